// Pages (WAL frames) per commit of one MeterValues, alone in its commit or in a commit window, at a site's load: counts
// frames in the wal-index header (mxFrame, https://www.sqlite.org/walformat.html) around N messages.
// npx tsx scripts/bench/pagesPerCommit.ts [messages] [chargers] [ms between messages] [commit window ms, default 0]
// With a window, messages are sent on the pace without waiting for their answers (as chargers do).
import fs from 'node:fs';
import { startTestSite } from '../../test/support/testSite.js';
import { meterValuesPayload } from './load.js';

const N = Number(process.argv[2] ?? 40);
const CHARGERS = Number(process.argv[3] ?? 5);
const PACE_MS = Number(process.argv[4] ?? 0);
const WINDOW_MS = Number(process.argv[5] ?? 0);
const site = await startTestSite({ 'storage.commitWindowMs': WINDOW_MS });
const file = `${site.dir}/ocpp-edge.db-shm`;
const mxFrame = () => { const b = Buffer.alloc(4); const fd = fs.openSync(fs.existsSync(file) ? file : `${site.dir}/${fs.readdirSync(site.dir).find((f) => f.endsWith('-shm'))}`, 'r'); fs.readSync(fd, b, 0, 4, 16); fs.closeSync(fd); return b.readUInt32LE(0); };
const cps = await Promise.all(Array.from({ length: CHARGERS }, (_, i) => i).map((i) => site.connectCharger(`PAGES-${i}`)));
const txs: number[] = [];
for (const [i, cp] of cps.entries()) {
  await cp.call('BootNotification', { chargePointVendor: 'Bench', chargePointModel: 'B1' });
  txs.push((await cp.call('StartTransaction', { connectorId: 1, idTag: `TAG-${i}`, meterStart: 0, timestamp: new Date().toISOString() })).transactionId as number);
}
await new Promise((r) => setTimeout(r, 1500)); // the background writes (frame log, last seen) of the setup
// An empty WAL to start from: the checkpoint worker waits 1,000 frames or 30 s before the next one.
site.domain.uow.commit(); // the setup's batch, if its window still holds it open
site.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
const before = mxFrame();
const commits = site.domain.uow.commits;
const answers: Array<Promise<unknown>> = [];
for (let k = 0; k < N; k++) {
  const i = k % cps.length;
  const answer = cps[i]!.call('MeterValues', meterValuesPayload(txs[i], 10 * (k + 1)));
  if (WINDOW_MS) answers.push(answer); else await answer;
  if (PACE_MS) await new Promise((r) => setTimeout(r, PACE_MS));
}
await Promise.all(answers);
const mid = mxFrame();
const commitsMid = site.domain.uow.commits;
await new Promise((r) => setTimeout(r, 1500)); // and what follows them in the background
const after = mxFrame();
console.log(`${N} MeterValues in ${commitsMid - commits} commits: ${((mid - before) / N).toFixed(2)} WAL frames per message in the acknowledged commits, `
  + `${((after - before) / N).toFixed(2)} with the background writes that followed (${site.domain.uow.commits - commits} commits)`);
// Which B-trees those frames were: page numbers from the WAL frame headers, names from dbstat.
const wal = fs.readFileSync(`${site.dir}/ocpp-edge.db-wal`);
const pageSize = wal.readUInt32BE(8);
const owner = new Map((site.database.sqlite.prepare('SELECT name, pageno FROM dbstat').all() as Array<{ name: string; pageno: number }>).map((r) => [r.pageno, r.name]));
const byTree = new Map<string, number>();
for (let f = before; f < after; f++) {
  const page = wal.readUInt32BE(32 + f * (pageSize + 24));
  const name = owner.get(page) ?? `page ${page}`;
  byTree.set(name, (byTree.get(name) ?? 0) + 1);
}
console.log([...byTree].sort((a, b) => b[1] - a[1]).map(([n, c]) => `${n} ${(c / N).toFixed(2)}`).join(', '));
for (const cp of cps) cp.close();
await site.stop();
