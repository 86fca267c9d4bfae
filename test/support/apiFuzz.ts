// Hostile inputs for the API fuzz test (src/server/apiFuzz.e2e.test.ts): path segments, query strings and
// request bodies a broken client or an attacker could send, and a raw HTTP client that can send all of
// them (fetch refuses a GET with a body and rewrites odd paths). Fixed lists and a fixed order, so a run
// that finds something can be repeated exactly.
import http from 'node:http';

/** Path segments as they travel in the URL (already percent-encoded, or deliberately broken). */
export const HOSTILE_SEGMENTS: string[] = [
  'x'.repeat(3000), encodeURIComponent('Ωmega 🔥 \u0000'), '..', '.', '%2E%2E', '..%2F..%2Fetc%2Fpasswd', '%2F', '%00', '%E0%A4%A', '%',
  '%zz', '%C0%AF', '%FF%FE', '%ED%A0%80', '-1', '0', '1.5', '1e3', '99999999999999999999', '9007199254740993', '0x10', '%201', 'NaN',
  'Infinity', 'null', '__proto__', 'constructor', 'toString', "'%20OR%201%3D1--", '%3Cscript%3E', 'NOPE-404', '424242',
];

/** Query strings: repeated keys, array syntax, absurd limits, offsets and dates, broken encodings. */
export const HOSTILE_QUERIES: string[] = [
  'limit=-1', 'limit=0', 'limit=1e309', 'limit=99999999999999999999', 'limit=1.5', 'limit=abc', 'limit=', 'limit=%E0%A4%A',
  'offset=-5', 'offset=1e20', 'offset=9007199254740993', 'limit=1&limit=2&limit=x', 'limit[]=1&limit[]=2', 'limit[0]=1',
  'from=notadate', 'from=999999-01-01', 'from=%2B275760-09-13T00:00:00.001Z', 'from=-271821-04-20T00:00:00Z', 'to=0',
  'to=2016-12-31T23:59:60Z', 'from=2024-13-45T99:99:99Z', 'from=1e400', 'before=-1', 'before=1e400', 'before=1e20',
  'status=,,,', 'status=running,NOPE', 'q=%25_%5C', "q='%20OR%201=1%20--", `q=${'x'.repeat(2000)}`,
  'chargePointId=..%2F..%2Fetc', 'chargePointId=%00', 'chargePointId=__proto__', 'charger=NOPE', 'kind=..%2F', 'kind=constructor',
  'historyLimit=1e308', 'historyLimit=-5', 'duration=-1', 'duration=1e12', 'connectorId=1e400', 'connectorId=-1', 'chargingRateUnit=kW',
  'cached=true', `key=${'a'.repeat(3000)}`, 'key=,,,', 'archived=true', 'unpaid=maybe', 'direction=sideways', 'name=..%2F..%2Fx', 'name=',
  'all=true', 'open=true', 'userId=-1', 'userId=1e400', 'chargerId=1e400', 'idTag=%FF', '=&&==&a', '%', 'a=%', '__proto__=1&constructor=2',
  'afterId=-1', 'afterId=1e400', 'sort=-', 'sort=--name', 'sort=__proto__', 'sort=name%3Bdrop', 'sort=-balance&sort=x', 'sort[]=name',
];

export interface RawBody { label: string; text: string | Buffer; /** null: no Content-Type header. */ contentType?: string | null }

// A number JSON.stringify cannot write (1e999 parses to Infinity, 9007199254740993 loses precision):
// marked in the value, then spliced into the JSON text as written.
const RAW = '\u0001raw:';
const raw = (literal: string) => `${RAW}${literal}\u0001`;
export function jsonText(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0001raw:(.*?)\\u0001"/g, '$1');
}

const deep = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** Whole bodies that are wrong for every route: not JSON, JSON of the wrong shape, the wrong content type. */
export const GENERIC_BODIES: RawBody[] = [
  { label: 'empty body', text: '' }, { label: 'not JSON', text: 'not json' }, { label: 'truncated JSON', text: '{"a":' },
  { label: 'array', text: '[]' }, { label: 'array of objects', text: '[{"a":1}]' }, { label: 'string', text: '"hello"' },
  { label: 'null', text: 'null' }, { label: 'number', text: '42' }, { label: 'false', text: 'false' }, { label: 'empty object', text: '{}' },
  { label: 'extra field', text: '{"surprise":1}' },
  { label: '__proto__ key', text: '{"__proto__":{"isAdmin":true,"role":"admin","status":"Accepted"}}' },
  { label: 'constructor.prototype key', text: '{"constructor":{"prototype":{"polluted":true}}}' },
  { label: 'deep object', text: deep(50_000) }, { label: 'deep array', text: '['.repeat(100_000) + ']'.repeat(100_000) },
  { label: 'huge string', text: JSON.stringify('x'.repeat(900_000)) },
  { label: 'over the body limit', text: JSON.stringify({ a: 'x'.repeat(1_100_000) }) },
  { label: 'BOM', text: '\ufeff{}' }, { label: 'duplicate keys', text: '{"a":1,"a":2}' }, { label: 'NaN', text: '{"a":NaN}' },
  { label: 'invalid UTF-8', text: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]) },
  { label: 'text/plain', text: '{}', contentType: 'text/plain' }, { label: 'no content type', text: '{}', contentType: null },
  { label: 'form', text: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' },
  { label: 'multipart', text: '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--\r\n', contentType: 'multipart/form-data; boundary=b' },
  { label: 'octet-stream', text: Buffer.from([0, 1, 2, 255]), contentType: 'application/octet-stream' },
  { label: 'json, utf-16 charset', text: '{}', contentType: 'application/json; charset=utf-16' },
  { label: 'json, odd case', text: '{}', contentType: 'Application/JSON' },
];

/** What each field of a valid body is replaced with, one at a time. */
const HOSTILE_VALUES: Array<[string, unknown]> = [
  ['null', null], ['true', true], ['-1', -1], ['0', 0], ['1.5', 1.5], ['2^53+1', raw('9007199254740993')], ['1e20', 1e20],
  ['1e999', raw('1e999')], ['-1e999', raw('-1e999')], ['empty string', ''], ['huge string', 'x'.repeat(100_000)],
  ['unicode', '\u0000\ud800🔥Ω'], ['array', []], ['object', {}], ['"__proto__"', '__proto__'], ['"constructor"', 'constructor'],
  ['"toString"', 'toString'], ['path traversal', '../../etc/passwd'], ['leap second', '2016-12-31T23:59:60Z'],
  ['far date', '9999-12-31T23:59:59-23:59'], ['year 0', '0000-01-01T00:00:00Z'], ['deep object', raw(deep(20_000))],
];

/** A valid body with each field (and each field of a nested object) removed, retyped or made absurd. */
export function mutatedBodies(sample: Record<string, unknown>): RawBody[] {
  const out: RawBody[] = [];
  const json = (label: string, value: unknown) => out.push({ label, text: jsonText(value) });
  json('valid sample', sample);
  json('sample + extra field', { ...sample, surprise: 'x' });
  out.push({ label: 'sample + __proto__', text: jsonText(sample).replace(/^\{/, '{"__proto__":{"role":"admin"},') });
  out.push({ label: 'sample + constructor', text: jsonText(sample).replace(/^\{/, '{"constructor":{"prototype":{"x":1}},') });
  const walk = (obj: Record<string, unknown>, rebuild: (o: Record<string, unknown>) => unknown, at: string, depth: number) => {
    for (const key of Object.keys(obj)) {
      const { [key]: _, ...without } = obj;
      json(`${at}${key} missing`, rebuild(without));
      for (const [name, value] of HOSTILE_VALUES) json(`${at}${key} = ${name}`, rebuild({ ...obj, [key]: value }));
      const inner = obj[key];
      if (depth < 2 && inner && typeof inner === 'object' && !Array.isArray(inner)) {
        walk(inner as Record<string, unknown>, (o) => rebuild({ ...obj, [key]: o }), `${at}${key}.`, depth + 1);
      }
    }
  };
  walk(sample, (o) => o, '', 0);
  return out;
}

export interface RawReply { status: number; text: string; json: any; contentType: string; error?: string }

export interface RawRequest { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer; stream?: boolean }

/**
 * Sends requests exactly as given (method, raw path, headers, body) over one kept-alive connection.
 * close() ends it: an idle connection would keep the test process alive until the server's idle timeout.
 */
export class RawClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  constructor(readonly baseUrl: string) {}

  /** A dropped connection is status 0 with the error (uWS closes the socket on an oversized request line, for instance). */
  request(req: RawRequest): Promise<RawReply> {
    const url = new URL(this.baseUrl);
    return new Promise((resolve) => {
      const r = http.request({ host: url.hostname, port: url.port, method: req.method, path: req.path, headers: req.headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        const contentType = String(res.headers['content-type'] ?? '');
        // A live stream never ends: its first chunk is enough.
        if (req.stream && contentType.startsWith('text/event-stream')) {
          res.once('data', (c: Buffer) => { res.destroy(); r.destroy(); resolve({ status: res.statusCode ?? 0, text: c.toString(), json: undefined, contentType }); });
          return;
        }
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: any;
          try { json = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
          resolve({ status: res.statusCode ?? 0, text, json, contentType });
        });
        res.on('error', (err) => resolve({ status: 0, text: '', json: undefined, contentType, error: err.message }));
      });
      r.on('error', (err) => resolve({ status: 0, text: '', json: undefined, contentType: '', error: err.message }));
      r.end(req.body);
    });
  }

  /** A JSON request with a Bearer token. */
  json(method: string, path: string, token: string, body?: unknown): Promise<RawReply> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return this.request({ method, path, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  }

  close(): void { this.agent.destroy(); }
  [Symbol.dispose](): void { this.close(); }
}

/**
 * Why a reply breaks the error contract ({"error": {code, message}} on every 4xx/5xx), or undefined. A HEAD
 * reply has no body to check (a body sent anyway breaks the next reply on the connection: status 0 there).
 */
export function contractProblem(reply: RawReply, method = 'GET'): string | undefined {
  if (reply.status === 0) return `no reply: ${reply.error}`;
  if (reply.status === 500) return `500 ${reply.text.slice(0, 200)}`;
  if (reply.status < 400 || method === 'HEAD') return undefined;
  const e = reply.json?.error;
  if (typeof e?.code !== 'string' || typeof e?.message !== 'string') return `${reply.status} without the standard error body: ${reply.text.slice(0, 200)}`;
  return undefined;
}
