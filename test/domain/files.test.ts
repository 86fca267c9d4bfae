// Files on a real database: a batch whose COMMIT fails (a deferred foreign key here, as a full disk
// would) leaves the previous version's bytes where the database row still points.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startTestSite } from '../support/testSite.js';

test('a re-upload in a batch whose COMMIT fails: the old bytes stay readable, the failed version never shows', async () => {
  await using site = await startTestSite();
  const { files, uow } = site.domain;
  const original = await uow.run(() => files.save('firmware', 'fw.bin', null, Buffer.from('old image')));

  const replaced = uow.run(() => files.save('firmware', 'fw.bin', null, Buffer.from('new image')));
  // Another write in the same batch breaks a foreign key checked only at COMMIT: the whole batch fails.
  const breaker = uow.run(() => {
    site.database.sqlite.pragma('defer_foreign_keys = ON');
    files.save('diagnostics', 'orphan.log', 999_999, Buffer.from('x'));
  });
  await assert.rejects(replaced);
  await assert.rejects(breaker);

  const row = files.byName('firmware', 'fw.bin', null)!;
  assert.equal(row.sha256, original.sha256, 'the database still has the old version');
  assert.equal(files.read(row).toString(), 'old image');
  assert.ok(fs.existsSync(files.pathOf(original)));

  // A later removal that commits takes the bytes away.
  await uow.run(() => files.remove(row));
  assert.equal(fs.existsSync(files.pathOf(original)), false);
});

test('files saved under the bare name (before versioned paths) are still read and are cleaned up on replace', async () => {
  await using site = await startTestSite();
  const { files, uow } = site.domain;
  const saved = await uow.run(() => files.save('firmware', 'legacy.bin', null, Buffer.from('legacy')));
  const bare = files.pathOf(saved).slice(0, -(saved.sha256.length + 1));
  fs.renameSync(files.pathOf(saved), bare);
  assert.equal(files.read(saved).toString(), 'legacy');
  const next = await uow.run(() => files.save('firmware', 'legacy.bin', null, Buffer.from('next')));
  assert.equal(files.read(next).toString(), 'next');
  assert.equal(fs.existsSync(bare), false);
});
