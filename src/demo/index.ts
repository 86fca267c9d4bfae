// Demo mode (`npm run demo`, `ocpp-edge --demo`): the real server on a throwaway database, seeded,
// with simulated chargers charging on a schedule so every page has live data. serve.ts gives it a
// temp dataDir and MQTT off; the page shows a DEMO banner (config.demo, from GET /api/site).
import path from 'node:path';
import type { Config } from '../config.js';
import type { Site } from '../site.js';
import { seedDemo, type DemoSeed } from './seed.js';
import { DemoRunner, demoSchedule } from './runner.js';
import { isDemoDataDir } from './throwaway.js';

export interface Demo { stop(): Promise<void> }

function assertThrowaway(config: Config): void {
  // Never seed into, or run the demo on, a real database.
  if (!config.demo || !isDemoDataDir(config.dataDir)) {
    throw new Error(`demo data only goes into a temporary directory the demo made, not ${config.dataDir}`);
  }
}

/** Seeds the throwaway database before the server starts, so the first page load already has data. */
export async function seedDemoDatabase(config: Config): Promise<DemoSeed> {
  assertThrowaway(config);
  const { openDatabase } = await import('../db/index.js');
  const { createDomain } = await import('../domain/index.js');
  const database = openDatabase(path.join(config.dataDir, 'ocpp-edge.db'));
  try {
    const domain = createDomain(database.db, database.sqlite, config);
    const seed = await seedDemo(domain);
    await domain.settings.saveSite({ siteName: 'ocpp-edge demo site' });
    domain.uow.commit();
    domain.uow.closeWal(); // nothing writes after this
    return seed;
  } finally {
    database.sqlite.close();
  }
}

function pageUrl(site: Site): string {
  const host = site.config.http.host === '0.0.0.0' || site.config.http.host === '::' ? 'localhost' : site.config.http.host;
  return `http://${host}:${site.server.port}/`;
}

/** Connects the simulated chargers and prints how to log in. */
export async function startDemo(site: Site, seed: DemoSeed): Promise<Demo> {
  assertThrowaway(site.config);
  const schedule = demoSchedule();
  const runner = new DemoRunner(`ws://127.0.0.1:${site.server.port}/ocpp`, seed.chargers, seed.idTags, schedule,
    (line) => site.logger.info({ demo: true }, line));
  await runner.start();
  const url = pageUrl(site);
  const [lo, hi] = schedule.sessionSec;
  // On a terminal the login stands out from the log lines: framed, the address in bold (as the first-run link).
  const tty = Boolean(process.stdout.isTTY);
  const bold = (text: string) => (tty && process.stdout.hasColors?.() ? `\x1b[1;33m${text}\x1b[0m` : text);
  const rule = tty ? '='.repeat(72) : '';
  process.stdout.write([
    rule,
    `  ocpp-edge DEMO: throwaway data in ${site.config.dataDir} (deleted on exit; your real database is not used)`,
    `  Open ${bold(url)} and log in as "${seed.admin.username}" with password ${seed.admin.password}`,
    `  ${seed.chargers.length} simulated chargers charge for ${lo === hi ? lo : `${lo}–${hi}`} s at a time. Ctrl+C stops.`,
    `  Real chargers can connect too: ws://<this host>:${site.server.port}/ocpp/<id> (register them in the page).`,
    rule,
  ].join('\n') + '\n');
  site.logger.info({ url, chargers: seed.chargers.map((c) => c.chargePointId) }, 'demo running');
  return { stop: () => runner.stop() };
}
