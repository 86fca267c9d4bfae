// Writes src/protocol/ocpp16/messages.ts from schemas/ocpp16: a type for every request and response, and
// the action maps (which side sends what). `npm run generate:ocpp`; a test fails when the file is stale.
// Our own few lines instead of a JSON-Schema-to-TS package: the 78 schemas use a small draft-04 subset
// (object, array, enum, local $ref), and the names we want for shared shapes (IdTagInfo, MeterValue…) are ours.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type Schema = {
  type?: string; properties?: Record<string, Schema>; required?: string[]; items?: Schema; enum?: string[];
  $ref?: string; definitions?: Record<string, Schema>; maxLength?: number; format?: string; multipleOf?: number;
};

// Who sends which call is in the spec's text, not in the schemas (OCPP 1.6 §4–5, security whitepaper §4–7).
// DataTransfer goes both ways.
export const chargerInitiated = [
  'Authorize', 'BootNotification', 'DataTransfer', 'DiagnosticsStatusNotification', 'FirmwareStatusNotification',
  'Heartbeat', 'LogStatusNotification', 'MeterValues', 'SecurityEventNotification', 'SignCertificate',
  'SignedFirmwareStatusNotification', 'StartTransaction', 'StatusNotification', 'StopTransaction',
];

// A nested object gets the name of its property (PascalCase); these properties name a shape the spec calls
// otherwise. Two different shapes under one name: the second is prefixed with its parent's name.
const shapeNames: Record<string, string> = {
  configurationKey: 'KeyValue', csChargingProfiles: 'ChargingProfile', localAuthorizationList: 'AuthorizationData',
  transactionData: 'MeterValue', meterValue: 'MeterValue',
};

const pascal = (s: string) => s[0]!.toUpperCase() + s.slice(1);

class Emitter {
  readonly shapes = new Map<string, string>(); // name -> type body, in the order first met

  /** Names a shape, reusing a name when the same fields (in any order) are already there. */
  name(wanted: string, parent: string, body: string): string {
    const same = (a: string) => fields(a) === fields(body);
    for (const candidate of [wanted, parent + wanted]) {
      const existing = this.shapes.get(candidate);
      if (existing === undefined) { this.shapes.set(candidate, body); return candidate; }
      if (same(existing)) return candidate;
    }
    throw new Error(`two shapes named ${wanted} under ${parent}`);
  }

  type(s: Schema, root: Schema, prop: string, parent: string, indent: string): string {
    if (s.$ref) {
      const key = s.$ref.replace('#/definitions/', '');
      const def = root.definitions?.[key];
      if (!def) throw new Error(`unresolved $ref ${s.$ref} in ${parent}`);
      return def.type === 'object' ? this.name(key, parent, this.object(def, root, key, '')) : this.type(def, root, key, parent, indent);
    }
    if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
    switch (s.type) {
      case 'string': return 'string';
      case 'integer': case 'number': return 'number';
      case 'boolean': return 'boolean';
      case 'array': {
        const item = this.type(s.items!, root, prop, parent, indent);
        return /[ |]/.test(item) ? `Array<${item}>` : `${item}[]`;
      }
      case 'object': {
        const wanted = shapeNames[prop] ?? pascal(prop);
        return this.name(wanted, parent, this.object(s, root, wanted, ''));
      }
      default: throw new Error(`${parent}.${prop}: no TypeScript for schema type ${s.type}`);
    }
  }

  /** The body of an object type: `{ … }`, or Record<string, never> for the empty payloads. */
  object(s: Schema, root: Schema, self: string, indent: string): string {
    const props = Object.entries({ ...misplacedProperties(s), ...s.properties });
    if (props.length === 0) return 'Record<string, never>';
    const required = new Set(s.required ?? []);
    const lines = props.map(([key, p]) => {
      const note = [p.maxLength !== undefined ? `at most ${p.maxLength} characters` : '', p.format ?? '', p.multipleOf ? `multiple of ${p.multipleOf}` : '']
        .filter(Boolean).join(', ');
      return `${indent}  ${note ? `/** ${note} */ ` : ''}${key}${required.has(key) ? '' : '?'}: ${this.type(p, root, key, self, indent + '  ')};`;
    });
    return `{\n${lines.join('\n')}\n${indent}}`;
  }
}

const fields = (body: string) => body.split('\n').map((l) => l.trim()).sort().join('\n');

// The official SendLocalList schema puts idTagInfo's expiryDate and parentIdTag beside "properties"
// instead of inside it (so a validator ignores them, and they are allowed); they are fields all the same.
const keywords = new Set(['type', 'properties', 'required', 'additionalProperties', 'items', 'enum', '$ref', 'definitions',
  'maxLength', 'format', 'multipleOf', 'id', '$schema', 'title', 'description', 'minimum', 'maximum', 'default']);
function misplacedProperties(s: Schema): Record<string, Schema> {
  return Object.fromEntries(Object.entries(s).filter(([k, v]) => !keywords.has(k) && typeof v === 'object' && v !== null && 'type' in v)) as Record<string, Schema>;
}

const declare = (name: string, body: string) =>
  body.startsWith('{') ? `export interface ${name} ${body}\n` : `export type ${name} = ${body};\n`;

export function generate(schemaDir: string): string {
  const files = fs.readdirSync(schemaDir).filter((f) => f.endsWith('.json')).sort();
  const actions = files.filter((f) => !f.endsWith('Response.json')).map((f) => f.replace(/\.json$/, ''));
  const unknown = chargerInitiated.filter((a) => !actions.includes(a));
  if (unknown.length) throw new Error(`charger-initiated actions without a schema: ${unknown.join(', ')}`);
  const e = new Emitter();
  const messages: string[] = [];
  for (const action of actions) {
    for (const [suffix, file] of [['Request', `${action}.json`], ['Response', `${action}Response.json`]] as const) {
      const schema = JSON.parse(fs.readFileSync(path.join(schemaDir, file), 'utf8')) as Schema;
      if (schema.type !== 'object') throw new Error(`${file}: a message is an object`);
      messages.push(declare(action + suffix, e.object(schema, schema, action + suffix, '')));
    }
  }
  const map = (list: string[]) => list.map((a) => `  ${a}: { request: ${a}Request; response: ${a}Response };`).join('\n');
  const central = actions.filter((a) => a === 'DataTransfer' || !chargerInitiated.includes(a));
  return [
    '// GENERATED by scripts/generate-ocpp-types.ts from schemas/ocpp16 — do not edit; run `npm run generate:ocpp`.',
    '// The OCPP 1.6 (+ security whitepaper) vocabulary: every request and response, and who sends which.',
    '',
    '// Shapes that occur inside the messages.',
    ...[...e.shapes].map(([name, body]) => declare(name, body)),
    '// Requests and responses.',
    ...messages,
    '/** Calls a charge point sends to the central system. */',
    `export interface ChargerActions {\n${map(chargerInitiated)}\n}`,
    'export type ChargerAction = keyof ChargerActions;',
    `export const chargerActions: readonly ChargerAction[] = ${JSON.stringify(chargerInitiated)};`,
    '',
    '/** Calls the central system sends to a charge point. */',
    `export interface CentralActions {\n${map(central)}\n}`,
    'export type CentralAction = keyof CentralActions;',
    `export const centralActions: readonly CentralAction[] = ${JSON.stringify(central)};`,
    '',
  ].join('\n');
}

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const outputFile = path.join(repo, 'src/protocol/ocpp16/messages.ts');
export const schemaDir = path.join(repo, 'schemas/ocpp16');

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fs.mkdirSync(path.dirname(outputFile), { recursive: true });
  fs.writeFileSync(outputFile, generate(schemaDir));
  console.log(`wrote ${path.relative(repo, outputFile)}`);
}
