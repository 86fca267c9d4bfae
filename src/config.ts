// Configuration: a JSON file validated against schemas/config.schema.json, then OCPP_EDGE_* overrides.
// Every leaf key has an env name derived from its path: ocpp.heartbeatIntervalSec -> OCPP_EDGE_OCPP_HEARTBEAT_INTERVAL_SEC.
import fs from 'node:fs';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { loadSchemaFile } from './schemas.js';
import validateConfig from './config.validate.generated.js';

export interface Config {
  siteId: string;
  siteName: string;
  dataDir: string;
  http: { host: string; port: number; tls: { enabled: boolean; port: number; certFile?: string; keyFile?: string; plainHttp: boolean; mtlsPort?: number } };
  ocpp: {
    heartbeatIntervalSec: number; unknownChargers: 'reject' | 'pending'; maxFrameBytes: number; maxTransactionFrameBytes: number;
    callTimeoutSec: number; pingIntervalSec: number; requirePassword: boolean;
    minBalanceToStart: number; allowTagsWithoutWallet: boolean;
  };
  retention: {
    logDays: number; logMaxRows: number; meterValueDays: number; meterValueMaxRows: number; outboxSentDays: number;
    outboxUnsentDaysWithoutMqtt: number; statusHistoryDays: number; securityEventDays: number; dataTransferDays: number; intervalSec: number;
  };
  storage: { minFreeMiB: number; commitWindowMs: number };
  mqtt: {
    enabled: boolean; url: string; username?: string; password?: string; clientId?: string; topicPrefix: string;
    caFile?: string; certFile?: string; keyFile?: string; inflightWindow: number; reconnectPeriodMs: number;
    reconnectMaxMs: number; keepaliveSec: number;
  };
  auth: { sessionHours: number; maxFailedLogins: number; lockoutSec: number };
  loadBalancing: LoadBalancingConfig;
  localAuthList: { autoSync: boolean };
  sessions: { doubtAfterOfflineSec: number; doubtAfterIdleSec: number; reviewIntervalSec: number; maxPowerW: number; stopWhenBlocked: boolean };
  files: { publicBaseUrl?: string; maxUploadMiB: number };
  pki: { caCertFile?: string; caKeyFile?: string; organizationName?: string; certificateDays: number };
  log: { level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent' };
  demo: boolean;
}

export class ConfigError extends Error {}

type JsonSchema = { type?: string | string[]; enum?: unknown[]; properties?: Record<string, JsonSchema> };

const schema = loadSchemaFile('config.schema.json') as JsonSchema;
// Ajv's code for the schema, generated ahead (scripts/generate-config-validator.ts): compiling it at every
// start cost ~5 MB of RSS and up to 750 ms. config.test.ts checks the schema against the meta-schema.
const validate = validateConfig as ValidateFunction;

const SECRET_KEYS = new Set(['password', 'keyFile', 'caKeyFile']);

function envName(keyPath: string[]): string {
  return 'OCPP_EDGE_' + keyPath.map((k) => k.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_');
}

/** Every overridable leaf: env name -> path and schema. */
export function envOverrides(node: JsonSchema = schema, keyPath: string[] = []): Map<string, { path: string[]; schema: JsonSchema }> {
  const out = new Map<string, { path: string[]; schema: JsonSchema }>();
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const p = [...keyPath, key];
    if (child.properties) for (const [k, v] of envOverrides(child, p)) out.set(k, v);
    else out.set(envName(p), { path: p, schema: child });
  }
  return out;
}

function parseEnvValue(name: string, raw: string, leaf: JsonSchema): unknown {
  const type = leaf.type ?? (leaf.enum && typeof leaf.enum[0] === 'number' ? 'integer' : 'string');
  if (type === 'integer' || type === 'number') {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) throw new ConfigError(`${name}=${raw}: expected a number`);
    return n;
  }
  if (type === 'boolean') {
    if (/^(true|1|yes|on)$/i.test(raw)) return true;
    if (/^(false|0|no|off)$/i.test(raw)) return false;
    throw new ConfigError(`${name}=${raw}: expected true or false`);
  }
  return raw;
}

function setPath(obj: Record<string, unknown>, keyPath: string[], value: unknown): void {
  let node = obj;
  for (const key of keyPath.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keyPath[keyPath.length - 1]!] = value;
}

export interface LoadOptions { file?: string; env?: NodeJS.ProcessEnv; overrides?: Record<string, unknown> }

/** Loads, overrides and validates; throws ConfigError naming the bad key. */
export function loadConfig(opts: LoadOptions = {}): Config {
  const env = opts.env ?? process.env;
  const file = opts.file ?? env.OCPP_EDGE_CONFIG ?? (fs.existsSync('config.json') ? 'config.json' : undefined);
  let raw: Record<string, unknown> = {};
  if (file) {
    let text: string;
    try { text = fs.readFileSync(file, 'utf8'); } catch (err) {
      throw new ConfigError(`cannot read config file ${file}: ${(err as Error).message}`);
    }
    try { raw = JSON.parse(text); } catch (err) {
      throw new ConfigError(`config file ${file} is not valid JSON: ${(err as Error).message}`);
    }
  }
  for (const [name, leaf] of envOverrides()) {
    const value = env[name];
    if (value !== undefined) setPath(raw, leaf.path, parseEnvValue(name, value, leaf.schema));
  }
  for (const [dotted, value] of Object.entries(opts.overrides ?? {})) setPath(raw, dotted.split('.'), value);
  if (!validate(raw)) {
    const problems = (validate.errors ?? []).map((e) => {
      const where = e.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(top level)';
      const extra = e.keyword === 'additionalProperties' ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"` : '';
      return `${where}: ${e.message}${extra}`;
    });
    throw new ConfigError(`invalid configuration${file ? ` in ${file}` : ''}:\n  ${problems.join('\n  ')}`);
  }
  const config = raw as unknown as Config;
  const lbProblems = loadBalancingProblems(config.loadBalancing);
  if (lbProblems.length > 0) throw new ConfigError(`invalid configuration${file ? ` in ${file}` : ''}:\n  ${lbProblems.join('\n  ')}`);
  config.dataDir = path.resolve(config.dataDir);
  return config;
}

/** The config with secrets replaced, for printing and logging (a user:password@ in a URL too). */
export function maskSecrets(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecrets(v, k)]));
  }
  if (SECRET_KEYS.has(key) && value !== undefined) return '********';
  return typeof value === 'string' ? maskUrlCredentials(value) : value;
}

/** A URL fit to show or log: any user:password@ becomes ****@. */
export function maskUrlCredentials(url: string): string {
  // greedy up to the last @ before the path: a raw @ inside the password is masked too
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1****@');
}

export interface LoadBalancingConfig {
  enabled: boolean; siteLimitA?: number; siteLimitKw?: number; minCurrentA: number; phases: 1 | 3; voltage: number;
  controlIntervalSec: number; raiseIntervalSec: number; minRaiseStepA: number; responseSec: number;
  complianceGraceSec: number; toleranceA: number; rotationMin: number;
  feeders: Array<{ id: string; parent: string; limitA?: number; limitKw?: number }>;
  chargers: Record<string, {
    feeder?: string; phases?: 1 | 3; phase?: 'L1' | 'L2' | 'L3'; voltage?: number; minCurrentA?: number; maxCurrentA?: number; priority?: number;
  }>;
  gridMeter?: {
    topic: string; url?: string; username?: string; password?: string; maxAgeSec: number;
    fallbackLimitA: number; fallbackLimitKw?: number; marginA: number;
  };
}

/** What the schema cannot say: the feeders form a tree under the site, chargers name feeders that exist. */
export function loadBalancingProblems(lb: LoadBalancingConfig): string[] {
  const problems: string[] = [];
  const ids = new Set(['site', ...lb.feeders.map((f) => f.id)]);
  if (ids.size !== lb.feeders.length + 1) problems.push('loadBalancing.feeders: two feeders have the same id');
  for (const f of lb.feeders) {
    if (!ids.has(f.parent)) problems.push(`loadBalancing.feeders.${f.id}.parent: no feeder "${f.parent}" (use "site" or a feeder id)`);
    const seen = new Set<string>();
    for (let c: string | undefined = f.id; c && c !== 'site'; c = lb.feeders.find((x) => x.id === c)?.parent) {
      if (seen.has(c)) { problems.push(`loadBalancing.feeders.${f.id}: its parents loop back to ${c}`); break; }
      seen.add(c);
    }
  }
  for (const [id, c] of Object.entries(lb.chargers)) {
    if (c.feeder !== undefined && !ids.has(c.feeder)) problems.push(`loadBalancing.chargers.${id}.feeder: no feeder "${c.feeder}"`);
    if (c.phase !== undefined && (c.phases ?? lb.phases) !== 1) problems.push(`loadBalancing.chargers.${id}.phase: only a single-phase charger (phases: 1) is on one phase`);
  }
  if (lb.enabled && lb.siteLimitA === undefined && lb.siteLimitKw === undefined) problems.push('loadBalancing: enabled needs siteLimitA or siteLimitKw');
  if (lb.gridMeter && lb.siteLimitA !== undefined && lb.gridMeter.fallbackLimitA > lb.siteLimitA) {
    problems.push('loadBalancing.gridMeter.fallbackLimitA: above siteLimitA (the fallback is what charging may use when the building\'s load is unknown)');
  }
  return problems;
}
