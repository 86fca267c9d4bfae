import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstFilePart } from './multipart.js';

test('the first file part of a multipart body, as a browser or curl -F sends it', async () => {
  const form = new FormData();
  form.append('note', 'not a file');
  form.append('file', new Blob([new Uint8Array([0, 1, 2, 13, 10, 45, 45, 255])]), 'diag.tar.gz');
  const req = new Request('http://x/', { method: 'POST', body: form });
  const body = Buffer.from(await req.arrayBuffer());
  const part = firstFilePart(req.headers.get('content-type')!, body);
  assert.equal(part?.filename, 'diag.tar.gz');
  assert.deepEqual([...part!.data], [0, 1, 2, 13, 10, 45, 45, 255], 'binary bytes, CRLF and dashes inside kept exactly');
});

test('not multipart, or no file part: undefined', () => {
  assert.equal(firstFilePart('application/octet-stream', Buffer.from('abc')), undefined);
  const body = Buffer.from('--b\r\nContent-Disposition: form-data; name="x"\r\n\r\nvalue\r\n--b--\r\n');
  assert.equal(firstFilePart('multipart/form-data; boundary=b', body), undefined);
});
