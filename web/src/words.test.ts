// The page's plain-language layer: enums as words and API errors as sentences without codes, JSON or patterns.
import { test } from 'node:test';
import assert from 'node:assert/strict';

// A computed URL: the page's modules are plain JS without type declarations.
const { word, plainError, problemText } = await import(new URL('./words.js', import.meta.url).href);

const apiError = (status: number, code: string, message: string, details?: unknown, body?: unknown) => ({ status, code, message, details, body });

test('word: OCPP and ledger enums read as words; unknown ones are spelled out', () => {
  assert.equal(word('EVDisconnected'), 'Car unplugged');
  assert.equal(word('TOP_UP'), 'Top-up');
  assert.equal(word('SuspendedEV'), 'Paused by the car');
  assert.equal(word('COMPLETED'), 'Completed');
  assert.equal(word('SomeNewStatus'), 'Some new status');
  assert.equal(word('NEW_KIND'), 'New kind');
  assert.equal(word(null), '–');
});

test('plainError: the examples from issue 16 become sentences', () => {
  const refused = plainError(apiError(409, 'id_tag_not_accepted', 'idTag KIM-1 is Blocked (send "force": true to start anyway)', { status: 'Blocked' }));
  assert.equal(refused, 'This card cannot start a session here: blocked. To start anyway, tick "Start even so".');
  const pattern = plainError(apiError(400, 'invalid_body', 'invalid request body: /chargePointId must match pattern "^[^\\s/?#%]{1,48}$"',
    { problems: ['/chargePointId must match pattern "^[^\\s/?#%]{1,48}$"'] }));
  assert.equal(pattern, 'Charge point id: no spaces or / ? # %, at most 48 characters.');
  assert.equal(plainError(apiError(409, 'charger_refused', 'the charger answered Occupied', undefined, { status: 'Occupied' })), 'The charger refused: occupied.');
});

test('plainError: every sentence is free of status codes, error codes, JSON and patterns, known code or not', () => {
  const cases = [
    apiError(0, 'network', 'cannot reach the server (Failed to fetch)'),
    apiError(401, 'invalid_credentials', 'invalid username or password'),
    apiError(502, 'charger_error', 'charger answered CALLERROR', { code: 'NotSupported' }),
    apiError(418, 'brand_new_code', '{"weird":true}'),
    apiError(500, 'http_500', '<html>oops</html>'),
    apiError(400, 'invalid_body', 'x', { problems: ['/amount must be >= 1', '(body) must have required property \'fullName\'', '/email must match pattern "^[^@\\s]+@[^@\\s]+$"'] }),
  ];
  for (const c of cases) {
    const text = plainError(c);
    assert.doesNotMatch(text, /\b\d{3}\b|_|[{}"^$]|<|\bhttp/, `${c.code}: ${text}`);
    assert.match(text, /^[A-Z].*\.$/, `a sentence: ${text}`);
  }
  assert.equal(problemText('/amount must be >= 1'), 'Amount: must be at least 1.');
  assert.equal(problemText("(body) must have required property 'fullName'"), 'Full name is required.');
});
