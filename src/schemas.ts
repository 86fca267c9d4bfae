// Finds the schemas/ folder both from source (src/..) and from the bundle (dist/..).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const candidates = [path.resolve(here, '../schemas'), path.resolve(here, 'schemas'), path.resolve(here, '../../schemas')];

export const schemasDir: string = candidates.find((dir) => fs.existsSync(path.join(dir, 'config.schema.json'))) ?? candidates[0]!;

export function loadSchemaFile(relative: string): object {
  return JSON.parse(fs.readFileSync(path.join(schemasDir, relative), 'utf8'));
}
