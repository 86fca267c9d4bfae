// The charger simulator's command line: `npm run simulate -- …` (scripts/simulate.ts) and
// `ocpp-edge simulate …` both run this. Human-readable output; resolves to the exit code.
import { parseArgs } from 'node:util';
import { runScenario, type Scenario } from './scenarios.js';
import { QUIRKS, quirkOptions } from './quirks.js';

export const SIMULATE_HELP = `Simulated OCPP 1.6J charge point(s).

  --url <ws-url>          CSMS base URL, the id is appended (default ws://localhost:8080/ocpp)
  --id <id>               charge point id (default CP-SIM-1); with --count N: <id>-1 … <id>-N
  --count <n>             number of chargers (default 1)
  --password <secret>     Basic auth password (security profile 1)
  --connectors <n>        connectors per charger (default 2)
  --scenario <name>       session (full successful session) | availability | idle (default session)
  --id-tag <tag>          idTag used to start sessions (default DEMO-TAG)
                          (ocpp-edge accepts a tag with a funded wallet, or any known tag
                          when ocpp.allowTagsWithoutWallet is true)
  --sessions <n>          sessions per charger in the session scenario (default 1)
  --session-sec <s>       how long each session charges (default 30)
  --meter-interval <s>    seconds between MeterValues (default 10)
  --power <W>             power drawn while charging (default 7400)
  --quirks <list>         a quirky charger: comma-separated deviations real chargers send, or all
                          (${QUIRKS.map((q) => q.id).join(', ')})
  -h, --help
Exit code 0 when every scenario completed, 1 otherwise, 2 on a usage error.`;

export async function runSimulator(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        url: { type: 'string', default: 'ws://localhost:8080/ocpp' }, id: { type: 'string', default: 'CP-SIM-1' },
        count: { type: 'string', default: '1' }, password: { type: 'string' }, connectors: { type: 'string', default: '2' },
        scenario: { type: 'string', default: 'session' }, 'id-tag': { type: 'string', default: 'DEMO-TAG' },
        sessions: { type: 'string', default: '1' }, 'session-sec': { type: 'string', default: '30' },
        'meter-interval': { type: 'string', default: '10' }, power: { type: 'string', default: '7400' },
        quirks: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${SIMULATE_HELP}`);
    return 2;
  }

  if (values.help) { console.log(SIMULATE_HELP); return 0; }
  const scenario = values.scenario as Scenario;
  if (!['session', 'availability', 'idle'].includes(scenario)) { console.error(`unknown scenario ${scenario}\n\n${SIMULATE_HELP}`); return 2; }

  let quirks: ReturnType<typeof quirkOptions> = {};
  try { quirks = values.quirks ? quirkOptions(values.quirks.split(',').map((q) => q.trim()).filter(Boolean)) : {}; } catch (err) {
    console.error(`${(err as Error).message}\n\n${SIMULATE_HELP}`);
    return 2;
  }
  const count = Number(values.count);
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());

  const runs = Array.from({ length: count }, (_, i) => runScenario({
    baseUrl: values.url!, id: count === 1 ? values.id! : `${values.id}-${i + 1}`, password: values.password,
    connectors: Number(values.connectors), scenario, idTag: values['id-tag']!, sessions: Number(values.sessions),
    sessionSec: Number(values['session-sec']), meterIntervalSec: Number(values['meter-interval']), powerW: Number(values.power),
    log: (line) => console.log(line), ...quirks,
  }, controller.signal));

  const results = await Promise.allSettled(runs);
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  for (const f of failed) console.error(`simulator failed: ${f.reason instanceof Error ? f.reason.message : f.reason}`);
  const done = results.flatMap((r) => (r.status === 'fulfilled' ? r.value.transactions : []));
  console.log(`done: ${done.length} session(s) completed, ${failed.length} charger(s) failed`);
  return failed.length ? 1 : 0;
}
