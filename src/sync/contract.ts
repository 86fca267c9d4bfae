// The upstream MQTT contract (schemas/mqtt): topics, the envelope, and a validator for what a site sends.
// Shared by the publisher (topics, envelope), the tests and the central-office consumer script.
import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { schemasDir } from '../schemas.js';
import type { OutboxRow } from '../domain/outbox.js';

export const ONLINE_SCHEMA = 'ocpp-edge/online/v1';

export interface Envelope {
  schema: string; eventId: string; seq: number; siteId: string; occurredAt: string; data: Record<string, unknown>;
}

export interface OnlineMessage { schema: typeof ONLINE_SCHEMA; siteId: string; online: boolean; at: string }

export const topicFor = (prefix: string, siteId: string, suffix: string) => `${prefix}/${siteId}/${suffix}`;

/** The message for one outbox row: `data` is the row's payload JSON, unchanged. */
export function envelopeFor(row: OutboxRow, siteId: string): Envelope {
  return { schema: row.schema, eventId: row.eventId, seq: row.seq, siteId, occurredAt: row.occurredAt, data: JSON.parse(row.payload) };
}

export function onlineMessage(siteId: string, online: boolean, at: Date = new Date()): OnlineMessage {
  return { schema: ONLINE_SCHEMA, siteId, online, at: at.toISOString() };
}

/** Checks a received message against the schema it names (every file in schemas/mqtt, by $id). */
export class ContractValidator {
  private readonly bySchema = new Map<string, ValidateFunction>();

  constructor(dir: string = path.join(schemasDir, 'mqtt')) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv, ['date-time', 'uuid']);
    const schemas = fs.readdirSync(dir).filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { $id: string });
    for (const s of schemas) ajv.addSchema(s);
    for (const s of schemas) this.bySchema.set(s.$id, ajv.getSchema(s.$id)!);
  }

  get schemaIds(): string[] { return [...this.bySchema.keys()].sort(); }

  /** null when valid, else what is wrong (one line per problem). */
  problems(message: unknown): string | null {
    const name = (message as { schema?: unknown } | null)?.schema;
    if (typeof name !== 'string') return 'no "schema" field';
    const validate = this.bySchema.get(name);
    if (!validate) return `unknown schema ${name}`;
    if (validate(message)) return null;
    return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
  }
}
