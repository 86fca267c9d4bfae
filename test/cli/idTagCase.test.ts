// `ocpp-edge idtag` and `wallet topup --id-tag` with idTags as OCPP CiString20 (case-insensitive): run as
// an installer runs them, a child process on a real database file in a temp dataDir.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/cliProcess.js';
import Database from 'better-sqlite3';

const cli = runCli;


function tags(dir: string): Array<{ id_tag: string; status: string; parent_id_tag: string | null }> {
  const db = new Database(path.join(dir, 'ocpp-edge.db'), { readonly: true });
  try {
    return db.prepare('SELECT id_tag, status, parent_id_tag FROM id_tag ORDER BY id').all() as never;
  } finally {
    db.close();
  }
}

test('idtag add refuses a tag differing only in case; block, --parent and wallet topup find tags in any case', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-cli-case-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const ok = (r: { code: number | null; err: string }) => assert.equal(r.code, 0, r.err);

  ok(await cli(dir, ['idtag', 'add', 'ABC123', '--new-user', 'Dana Driver']));
  const dup = await cli(dir, ['idtag', 'add', 'abc123']);
  assert.equal(dup.code, 1, 'a duplicate in another case');
  assert.match(dup.err, /idTag abc123 already exists as ABC123 \(idTags are case-insensitive\); block it with `ocpp-edge idtag block ABC123`/);
  assert.equal(tags(dir).length, 1);

  const blocked = await cli(dir, ['idtag', 'block', 'abc123']);
  ok(blocked);
  assert.equal(blocked.out, 'idTag ABC123 is blocked\n', 'named as registered');
  assert.equal(tags(dir)[0]!.status, 'Blocked');

  ok(await cli(dir, ['idtag', 'add', 'KID-1', '--parent', 'Abc123']));
  assert.deepEqual({ ...tags(dir)[1] }, { id_tag: 'KID-1', status: 'Accepted', parent_id_tag: 'ABC123' }, 'the group as registered');

  ok(await cli(dir, ['wallet', 'topup', '--id-tag', 'aBc123', '--amount', '700']));
  const db = new Database(path.join(dir, 'ocpp-edge.db'), { readonly: true });
  try {
    const wallet = db.prepare('SELECT w.balance, u.full_name AS name FROM wallet w JOIN "user" u ON u.id = w.user_id').get();
    assert.deepEqual({ ...(wallet as object) }, { balance: 700, name: 'Dana Driver' });
  } finally {
    db.close();
  }
});
