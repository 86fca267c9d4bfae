// The demo's data directory: made by the demo itself and marked, so the demo can tell it from a real
// dataDir wherever the program lives (a checkout under /tmp has its ./data inside the temp dir too).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const MARKER = '.ocpp-edge-demo';

export function createDemoDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-demo-'));
  fs.writeFileSync(path.join(dir, MARKER), 'made by ocpp-edge --demo; deleted when the demo stops\n');
  return dir;
}

/** True only for a directory createDemoDataDir made (and that still holds nothing else of value). */
export function isDemoDataDir(dir: string): boolean {
  return fs.existsSync(path.join(path.resolve(dir), MARKER));
}
