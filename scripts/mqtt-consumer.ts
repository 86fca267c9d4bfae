// What the central office runs to check a site: subscribes to {prefix}/{site}/#, validates every
// message against schemas/mqtt, drops duplicates by eventId and reports gaps in seq.
//   npm run consume -- --url mqtt://broker:1883 --site site-1 [--username u] [--client-id central-check]
// MQTT_PASSWORD in the environment avoids a password on the command line. Exit code 1 when anything
// was invalid or missing. With --client-id the session is persistent: the broker keeps QoS 1 messages
// for this consumer while it is away.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { SiteChecker, type Observation } from '../src/sync/siteChecker.js';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: 'mqtt://localhost:1883' },
    prefix: { type: 'string', default: 'ocpp-edge' },
    site: { type: 'string', default: '+' },
    username: { type: 'string' },
    password: { type: 'string' },
    ca: { type: 'string' }, cert: { type: 'string' }, key: { type: 'string' },
    'client-id': { type: 'string' },
    json: { type: 'boolean', default: false },
    'exit-after': { type: 'string' },
    'idle-exit': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (args.help) {
  process.stdout.write(`usage: npm run consume -- [--url mqtt://host:1883] [--prefix ocpp-edge] [--site site-1|+]
  [--username U] (password from MQTT_PASSWORD or --password) [--ca F --cert F --key F] [--client-id ID: persistent session]
  [--json: print each message as received] [--exit-after N events] [--idle-exit SECONDS]\n`);
  process.exit(0);
}

const checker = new SiteChecker();
const exitAfter = args['exit-after'] ? Number(args['exit-after']) : Infinity;
const idleMs = args['idle-exit'] ? Number(args['idle-exit']) * 1000 : 0;
let distinct = 0;
let idleTimer: NodeJS.Timeout | undefined;

function describe(o: Observation): string {
  switch (o.kind) {
    case 'online': return `${o.message.siteId} online=${o.message.online}${o.retained ? ' (retained)' : ''} at ${o.message.at}`;
    case 'invalid': return `INVALID on ${o.topic}: ${o.problems}`;
    case 'conflict': return `CONFLICT ${o.message.siteId} seq ${o.message.seq} carries event ${o.message.eventId} and ${o.otherEventId}`;
    case 'duplicate': return `duplicate ${o.message.siteId} #${o.message.seq} (${o.message.eventId}) dropped`;
    default: {
      const m = o.message;
      const d = m.data as Record<string, any>;
      const what = d.transaction ? `tx ${d.transaction.id} ${d.transaction.chargePointId}/${d.transaction.connectorId} ${d.transaction.energyWh ?? '-'} Wh`
        : d.chargePointId ? `${d.chargePointId}${d.connectorId !== undefined ? '/' + d.connectorId : ''} ${d.status ?? ''} ${d.errorCode && d.errorCode !== 'NoError' ? d.errorCode : ''}`
          : d.type ? `wallet ${d.walletId} ${d.type} ${d.amount} ${d.currency}` : '';
      const gap = o.kind === 'gap' ? `   GAP: missing #${o.missingFrom}..#${o.missingTo}` : o.outOfOrder ? '   (out of order)' : '';
      return `${m.siteId} #${m.seq} ${m.schema.split('/')[1]} ${d.event ?? ''} ${what.trim()} ${m.occurredAt}${gap}`.replace(/ +/g, ' ');
    }
  }
}

function finish(): never {
  const summary = checker.summary();
  const lines = summary.map((s) => `${s.siteId}: ${s.events} events #${s.firstSeq}..#${s.lastSeq}, ${s.duplicates} duplicates dropped, ` +
    (s.missing.length ? `MISSING ${s.missing.slice(0, 20).map((q) => '#' + q).join(' ')}${s.missing.length > 20 ? ' …' : ''}` : 'no gaps'));
  if (checker.invalid.length) lines.push(`${checker.invalid.length} invalid messages`);
  if (checker.conflicts.length) lines.push(`${checker.conflicts.length} seq numbers reused by another event`);
  process.stdout.write(`--- summary\n${lines.join('\n') || 'no events'}\n`);
  const bad = checker.invalid.length + checker.conflicts.length + summary.reduce((n, s) => n + s.missing.length, 0);
  process.exit(bad > 0 ? 1 : 0);
}

const read = (file?: string) => (file ? fs.readFileSync(file) : undefined);
const clientId = args['client-id'];
const client = mqtt.connect(args.url, {
  clientId: clientId ?? `ocpp-edge-consumer-${process.pid}`, clean: !clientId,
  username: args.username, password: args.password ?? process.env.MQTT_PASSWORD,
  ca: read(args.ca), cert: read(args.cert), key: read(args.key), reconnectPeriod: 2000,
});
const topic = `${args.prefix}/${args.site}/#`;
client.on('connect', () => {
  client.subscribe(topic, { qos: 1 }, (err) => {
    if (err) { process.stderr.write(`subscribe to ${topic} failed: ${err.message}\n`); process.exit(2); }
    process.stderr.write(`subscribed to ${topic} on ${args.url}\n`);
  });
});
client.on('error', (err) => process.stderr.write(`broker: ${err.message}\n`));
client.on('message', (t, payload, packet) => {
  const o = checker.observe(t, payload, packet.retain);
  if (!args.json) process.stdout.write(describe(o) + '\n');
  else {
    process.stdout.write(payload.toString() + '\n');
    if (o.kind !== 'event' && o.kind !== 'online') process.stderr.write(describe(o) + '\n');
  }
  if (o.kind === 'event' || o.kind === 'gap') distinct++;
  if (distinct >= exitAfter) finish();
  if (idleMs) { clearTimeout(idleTimer); idleTimer = setTimeout(finish, idleMs); }
});
process.on('SIGINT', finish);
process.on('SIGTERM', finish);
