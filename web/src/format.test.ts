// fmt: dates carry their day (issue 16), so "since 18:00" on the dashboard is never yesterday's 18:00 read as today's.
import { test } from 'node:test';
import assert from 'node:assert/strict';

const { fmt } = await import(new URL('./format.js', import.meta.url).href);
const WEEKDAY = /\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b/;

test('fmt.clock: the time alone today, with the weekday on any other day; fmt.time always with it', () => {
  const now = new Date();
  assert.doesNotMatch(fmt.clock(now.toISOString()), WEEKDAY);
  assert.match(fmt.clock(now.toISOString()), /\d{1,2}:\d{2}:\d{2}/);
  const yesterday = new Date(now.getTime() - 86_400_000).toISOString();
  assert.match(fmt.clock(yesterday), WEEKDAY);
  assert.equal(fmt.clock(yesterday), fmt.time(yesterday));
  assert.match(fmt.time(now.toISOString()), WEEKDAY);
  assert.match(fmt.time('2020-03-04T05:06:07Z'), /2020/, 'another year says which');
  assert.equal(fmt.clock(null), '–');
  assert.equal(fmt.money(4250, 'EUR'), '42.50 EUR');
  assert.equal(fmt.duration(125 * 60_000), '2 h 05 min');
});
