// The terminal log format: pino's JSON lines as readable text, fields kept, errors with their stack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanLine, wantsHumanLogs } from './logHuman.js';

test('humanLine: time, level, message and fields on one line; not-JSON passes through', () => {
  const time = Date.UTC(2026, 0, 2, 3, 4, 5);
  const line = humanLine(JSON.stringify({ level: 30, time, pid: 1, hostname: 'pi', app: 'ocpp-edge', msg: 'charger connected', chargePointId: 'CP-1', ip: '10.0.0.5' }));
  assert.equal(line, `${new Date(time).toTimeString().slice(0, 8)} INFO  charger connected  chargePointId=CP-1 ip=10.0.0.5`);
  assert.match(humanLine(JSON.stringify({ level: 50, time, msg: 'boom', err: { message: 'bad', stack: 'Error: bad\n    at x' } })), /ERROR boom  \n {4}Error: bad\n {8}at x$/);
  assert.match(humanLine(JSON.stringify({ level: 40, time, msg: 'x', note: 'two words' })), /WARN  x  note="two words"$/);
  assert.equal(humanLine('plain text\n'), 'plain text');
  assert.match(humanLine(JSON.stringify({ level: 30, time, msg: 'm' }), true), /\x1b\[32mINFO \x1b\[0m m$/);
});

test('wantsHumanLogs: only a terminal, and LOG_FORMAT=json keeps JSON there too', () => {
  const tty = { isTTY: true } as NodeJS.WriteStream;
  const pipe = { isTTY: false } as NodeJS.WriteStream;
  assert.equal(wantsHumanLogs(tty, {}), true);
  assert.equal(wantsHumanLogs(tty, { LOG_FORMAT: 'json' }), false);
  assert.equal(wantsHumanLogs(pipe, {}), false, 'systemd or a pipe gets JSON');
});
