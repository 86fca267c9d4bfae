// Fuzz cases for the charger-initiated OCPP 1.6 actions: one valid payload per action, and every way to
// break it that the official schema forbids, each with the CALLERROR code OCPP-J 1.6 asks for (the
// mapping of src/ocpp/validate.ts: required -> Occurence, type -> Type, additionalProperties -> Formation,
// maxLength/enum/format/range -> PropertyConstraintViolation). Derived from the schema files, so a field
// the schema has is never forgotten.
import { loadSchemaFile } from '../../src/schemas.js';

export type ViolationCode = 'OccurenceConstraintViolation' | 'TypeConstraintViolation' | 'FormationViolation' | 'PropertyConstraintViolation';

export interface InvalidCase { what: string; payload: unknown; code: ViolationCode }

type Path = Array<string | number>;
interface SchemaNode {
  type?: string; properties?: Record<string, SchemaNode>; required?: string[]; additionalProperties?: boolean;
  items?: SchemaNode; maxLength?: number; enum?: unknown[]; format?: string;
}

/** A valid request for every charger-initiated action we handle; nested arrays have one element to mutate. */
export function validPayloads(now: string, idTag: string, transactionId: number): Record<string, object> {
  const meterValue = [{ timestamp: now, sampledValue: [{ value: '10', context: 'Sample.Periodic', format: 'Raw', measurand: 'Energy.Active.Import.Register', phase: 'L1', location: 'Outlet', unit: 'Wh' }] }];
  return {
    BootNotification: {
      chargePointVendor: 'Acme', chargePointModel: 'Fuzz', chargePointSerialNumber: 'S1', chargeBoxSerialNumber: 'B1', firmwareVersion: '1.0',
      iccid: 'I', imsi: 'M', meterType: 'T', meterSerialNumber: 'MS',
    },
    Heartbeat: {},
    Authorize: { idTag },
    StartTransaction: { connectorId: 1, idTag, meterStart: 0, reservationId: 1, timestamp: now },
    StopTransaction: { idTag, meterStop: 10, timestamp: now, transactionId, reason: 'Local', transactionData: meterValue },
    MeterValues: { connectorId: 1, transactionId, meterValue },
    StatusNotification: { connectorId: 1, errorCode: 'NoError', info: 'i', status: 'Available', timestamp: now, vendorId: 'v', vendorErrorCode: 'e' },
    DataTransfer: { vendorId: 'Acme', messageId: 'm', data: 'd' },
    DiagnosticsStatusNotification: { status: 'Idle' },
    FirmwareStatusNotification: { status: 'Idle' },
    SecurityEventNotification: { type: 'FirmwareUpdated', timestamp: now, techInfo: 't' },
    LogStatusNotification: { status: 'Uploaded', requestId: 1 },
    SignCertificate: { csr: 'not a CSR' },
    SignedFirmwareStatusNotification: { status: 'Idle', requestId: 1 },
  };
}

const clone = <T>(v: T): T => structuredClone(v);

function setAt(root: unknown, path: Path, value: unknown): unknown {
  const copy = clone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  return copy;
}

function deleteAt(root: unknown, path: Path): unknown {
  const copy = clone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  delete node[path[path.length - 1]!];
  return copy;
}

const at = (path: Path) => '/' + path.join('/');

/** Values of the wrong JSON type for a schema type (ajv reports 'type' for each). */
function wrongTypes(type: string | undefined): unknown[] {
  switch (type) {
    case 'string': return [42, null, ['x'], { x: 1 }];
    case 'integer': return ['1', 1.5, true, null];
    case 'number': return ['1.0', false];
    case 'boolean': return ['true', 0];
    case 'object': return ['x', [], 7];
    case 'array': return [{}, 'x'];
    default: return [];
  }
}

/** Every single-field violation of `payload` under `node`, recursing into the objects and arrays it has. */
function violations(node: SchemaNode, root: unknown, path: Path, value: unknown, out: InvalidCase[]): void {
  for (const wrong of wrongTypes(node.type)) {
    if (path.length > 0) out.push({ what: `${at(path)} = ${JSON.stringify(wrong)}`, payload: setAt(root, path, wrong), code: 'TypeConstraintViolation' });
  }
  if (node.type === 'string') {
    const bad = (what: string, v: string) => out.push({ what: `${at(path)} ${what}`, payload: setAt(root, path, v), code: 'PropertyConstraintViolation' });
    if (node.maxLength !== undefined) {
      bad(`one over maxLength ${node.maxLength}`, 'x'.repeat(node.maxLength + 1));
      bad('one unicode character over maxLength', '€'.repeat(node.maxLength) + '😀');
    }
    if (node.enum) bad('not in the enum', 'NotAnEnumValue');
    if (node.format === 'date-time') {
      for (const t of ['yesterday', '2024-05-01T10:00:00', '2024-13-01T10:00:00Z', '2024-05-01T25:00:00Z', '2024-05-01 10:00:00+25:00', '']) bad(`date-time "${t}"`, t);
    }
  }
  if (node.type === 'integer') {
    out.push({ what: `${at(path)} beyond the safe integer range`, payload: setAt(root, path, 2 ** 60), code: 'PropertyConstraintViolation' });
  }
  if (node.type === 'object' && value && typeof value === 'object') {
    for (const field of node.required ?? []) {
      out.push({ what: `${at([...path, field])} missing`, payload: deleteAt(root, [...path, field]), code: 'OccurenceConstraintViolation' });
    }
    if (node.additionalProperties === false) {
      out.push({ what: `${at(path)} with an extra property`, payload: setAt(root, [...path, 'fuzzExtra'], 1), code: 'FormationViolation' });
    }
    for (const [field, child] of Object.entries(node.properties ?? {})) {
      const v = (value as Record<string, unknown>)[field];
      if (v !== undefined) violations(child, root, [...path, field], v, out);
    }
  }
  if (node.type === 'array' && Array.isArray(value) && value.length > 0 && node.items) {
    violations(node.items, root, [...path, 0], value[0], out);
  }
}

/** Every schema violation of the action's valid payload, with the CALLERROR code it must get. */
export function invalidCases(action: string, valid: object): InvalidCase[] {
  const schema = loadSchemaFile(`ocpp16/${action}.json`) as SchemaNode;
  const out: InvalidCase[] = [];
  violations(schema, valid, [], valid, out);
  return out;
}
