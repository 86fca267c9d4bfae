// Walks a charger's payload along its official JSON schema and applies the rules of rules.ts: what a
// known-harmless deviation means is repaired in a copy, and every repair is reported. The input is
// never changed (the message log keeps what the charger really sent).
import { isDateTime } from '../validate.js';
import { ENUM_RULES, FIELD_ALIASES, enumKey, type RepairKind } from './rules.js';

export interface Repair {
  kind: RepairKind;
  /** Where, with list positions left out ("meterValue[].sampledValue[].unit"): bounded by the schema. */
  path: string;
  /** What the charger sent and what we used instead (JSON text; undefined when removed). */
  raw: string;
  repaired?: string;
}

type Schema = {
  type?: string; properties?: Record<string, Schema>; required?: string[]; items?: Schema; enum?: string[];
  maxLength?: number; minItems?: number; format?: string; additionalProperties?: boolean;
};

const DROP = Symbol('drop');
const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v) ?? String(v));
const NUMERIC = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
// Near misses of RFC 3339 that chargers send: no offset (read as UTC), an offset in hours only.
const NO_OFFSET = /^(\d{4}-\d\d-\d\d)[Tt ](\d\d:\d\d(:\d\d(\.\d+)?)?)$/;
const HOURS_OFFSET = /^(\d{4}-\d\d-\d\d)[Tt ](\d\d:\d\d:\d\d(\.\d+)?)([+-]\d\d)(\d\d)?$/;

export class PayloadRepairer {
  readonly repairs: Repair[] = [];
  constructor(private readonly receivedAt: Date) {}

  repair(schema: Schema, payload: Record<string, unknown>): Record<string, unknown> {
    const out = this.walk(schema, payload, '');
    return out === DROP ? {} : (out as Record<string, unknown>);
  }

  private note(kind: RepairKind, path: string, raw: unknown, repaired?: unknown): void {
    this.repairs.push({ kind, path: path || '(payload)', raw: text(raw), repaired: repaired === undefined ? undefined : text(repaired) });
  }

  private walk(schema: Schema, value: unknown, path: string): unknown {
    switch (schema.type) {
      case 'object': return this.object(schema, value, path);
      case 'array': return this.array(schema, value, path);
      case 'integer': case 'number': return this.number(schema, value, path);
      case 'string': return this.string(schema, value, path);
      default: return value;
    }
  }

  private object(schema: Schema, value: unknown, path: string): unknown {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
    const props = schema.properties ?? {};
    const required = new Set(schema.required ?? []);
    const out: Record<string, unknown> = {};
    const keepRaw: { field: string; raw: string }[] = [];
    for (const [sent, v] of Object.entries(value)) {
      const alias = props[sent] ? undefined : FIELD_ALIASES[sent];
      const key = alias && props[alias] && !(alias in value) ? alias : sent;
      if (key !== sent) this.note('field_renamed', path ? `${path}.${key}` : key, sent, key);
      const at = path ? `${path}.${key}` : key;
      const sub = props[key];
      if (!sub) {
        if (schema.additionalProperties === false) { this.note('extra_field', path, key); continue; }
        out[key] = v;
        continue;
      }
      if (!required.has(key) && (v === null || (v === '' && sub.type !== 'string') || (v === '' && sub.format === 'date-time'))) {
        this.note('null_optional', at, v);
        continue;
      }
      const repaired = this.walk(sub, v, at);
      if (this.pendingRaw) keepRaw.push(this.pendingRaw);
      this.pendingRaw = undefined;
      if (repaired === DROP) {
        if (ENUM_RULES[key]?.dropItem) return DROP; // the item this field belongs to goes
        continue;
      }
      out[key] = repaired;
    }
    for (const key of required) {
      if (out[key] === undefined && props[key]?.format === 'date-time') {
        const now = this.receivedAt.toISOString();
        this.note('timestamp_missing', path ? `${path}.${key}` : key, null, now);
        out[key] = now;
      }
    }
    // errorCode 'Error' became OtherError: the vendor's text survives in vendorErrorCode, as 1.6 means it.
    for (const { field, raw } of keepRaw) if (out[field] === undefined || out[field] === '') out[field] = raw;
    return out;
  }

  private pendingRaw: { field: string; raw: string } | undefined;

  private array(schema: Schema, value: unknown, path: string): unknown {
    let list = value;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      this.note('object_to_array', path, '{…}');
      list = [value];
    }
    if (!Array.isArray(list)) return value;
    const at = `${path}[]`;
    const out = schema.items ? list.map((item) => this.walk(schema.items!, item, at)).filter((item) => item !== DROP) : list;
    if (schema.minItems !== undefined && out.length < schema.minItems) this.note('empty_array', path, `${list.length} items`);
    return out;
  }

  private number(schema: Schema, value: unknown, path: string): unknown {
    let n = value;
    if (typeof value === 'string' && NUMERIC.test(value)) {
      n = Number(value);
      this.note('string_to_number', path, value, n);
    }
    if (schema.type === 'integer' && typeof n === 'number' && Number.isFinite(n) && !Number.isInteger(n)) {
      const rounded = Math.round(n);
      this.note('decimal_to_integer', path, n, rounded);
      return rounded;
    }
    return n;
  }

  private string(schema: Schema, value: unknown, path: string): unknown {
    if (typeof value === 'number' && Number.isFinite(value)) {
      const s = String(value);
      this.note('number_to_string', path, value, s);
      return this.string(schema, s, path);
    }
    if (typeof value !== 'string') return value;
    if (schema.format === 'date-time') return this.time(value, path);
    if (schema.enum && !schema.enum.includes(value)) return this.enumValue(schema.enum, value, path);
    if (schema.maxLength !== undefined && [...value].length > schema.maxLength) this.note('too_long', path, value.slice(0, 60));
    return value;
  }

  private enumValue(allowed: string[], value: string, path: string): unknown {
    const field = path.slice(path.lastIndexOf('.') + 1);
    const rule = ENUM_RULES[field];
    const key = enumKey(value);
    const mapped = allowed.find((a) => enumKey(a) === key) ?? (rule?.aliases?.[value.toLowerCase()] ?? rule?.aliases?.[key]);
    if (mapped && allowed.includes(mapped)) {
      this.note('enum_mapped', path, value, mapped);
      return mapped;
    }
    if (rule?.fallback) {
      this.note('enum_mapped', path, value, rule.fallback);
      if (rule.keepRawIn) this.pendingRaw = { field: rule.keepRawIn, raw: value };
      return rule.fallback;
    }
    if (rule?.dropItem) {
      this.note('sample_dropped', path, value);
      return DROP;
    }
    return value; // no nearest value: the relaxed check refuses it, and the message is kept for review
  }

  private time(value: string, path: string): string {
    if (isDateTime(value)) return value;
    const plain = NO_OFFSET.exec(value);
    const hours = HOURS_OFFSET.exec(value);
    let fixed: string | undefined;
    if (plain) fixed = `${plain[1]}T${plain[2]!.length === 5 ? plain[2] + ':00' : plain[2]}Z`;
    else if (hours) fixed = `${hours[1]}T${hours[2]}${hours[4]}:${hours[5] ?? '00'}`;
    if (fixed && isDateTime(fixed) && Number.isFinite(Date.parse(fixed))) {
      this.note('timestamp_no_offset', path, value, fixed);
      return fixed;
    }
    const now = this.receivedAt.toISOString();
    this.note('timestamp_invalid', path, value, now);
    return now;
  }
}
