// Readable log lines for a person at a terminal (`npm start`, `npm run demo` on a TTY): pino still writes
// JSON, this turns each line into "19:45:12 INFO  charger connected  chargePointId=CP-1". Not a TTY
// (systemd, a pipe) or LOG_FORMAT=json: the JSON lines go out untouched.
const LEVELS: Record<number, [string, string]> = {
  10: ['TRACE', '\x1b[90m'], 20: ['DEBUG', '\x1b[90m'], 30: ['INFO ', '\x1b[32m'], 40: ['WARN ', '\x1b[33m'], 50: ['ERROR', '\x1b[31m'], 60: ['FATAL', '\x1b[41m'],
};
const SKIP = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'app', 'v']);

/** One pino JSON line as text; `color` adds ANSI colours. A line that is not JSON is returned as it is. */
export function humanLine(json: string, color = false): string {
  let rec: Record<string, unknown>;
  try { rec = JSON.parse(json) as Record<string, unknown>; } catch { return json.replace(/\n$/, ''); }
  const [name, tint] = LEVELS[Number(rec.level)] ?? [String(rec.level).toUpperCase().padEnd(5), ''];
  const time = typeof rec.time === 'number' ? new Date(rec.time).toTimeString().slice(0, 8) : '';
  const fields = Object.entries(rec).filter(([k]) => !SKIP.has(k)).map(([k, v]) => {
    if (k === 'err' && v && typeof v === 'object') return `\n    ${String((v as { stack?: string; message?: string }).stack ?? (v as { message?: string }).message).replace(/\n/g, '\n    ')}`;
    return `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`;
  });
  const head = color && tint ? `${tint}${name}\x1b[0m` : name;
  return `${time} ${head} ${String(rec.msg ?? '')}${fields.length ? `  ${fields.join(' ')}` : ''}`;
}

/** A pino destination that writes human lines to a terminal stream. */
export function humanDestination(out: NodeJS.WriteStream): { write(chunk: string): boolean } {
  return { write: (chunk) => out.write(`${humanLine(chunk, out.hasColors?.() ?? false)}\n`) };
}

/** Human lines only for a person: a TTY, unless LOG_FORMAT=json asks for JSON anyway. */
export const wantsHumanLogs = (out: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean =>
  Boolean(out.isTTY) && env.LOG_FORMAT !== 'json';
