import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PrefixMap, ValuePool } from './prefix-map.ts';

test('a prefix map keeps IPv4 and IPv6 prefixes through growth, deletes and re-inserts', () => {
  const map = new PrefixMap();
  const reference = new Map<string, number>();
  const prefix = (i: number) =>
    i % 10 === 0
      ? `2001:db8:${i.toString(16)}::/48`
      : `${10 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.0/${20 + (i % 5)}`;
  for (let i = 0; i < 50_000; i++) {
    map.set(prefix(i), i);
    reference.set(prefix(i), i);
  }
  for (let i = 0; i < 50_000; i += 3) {
    assert.equal(map.delete(prefix(i)), true);
    reference.delete(prefix(i));
  }
  for (let i = 0; i < 50_000; i += 6) {
    map.set(prefix(i), i + 1);
    reference.set(prefix(i), i + 1);
  }
  assert.equal(map.size, reference.size);
  assert.deepEqual(new Map(map.entries()), reference);
  assert.equal(map.get('10.0.3.0/23'), reference.get('10.0.3.0/23'));
  assert.equal(map.get('10.0.3.0/32'), undefined);
  assert.equal(map.delete('192.0.2.0/24'), false);
  // /0 and host routes are prefixes like any other.
  map.set('0.0.0.0/0', 7);
  map.set('192.0.2.1/32', 8);
  assert.deepEqual([map.get('0.0.0.0/0'), map.get('192.0.2.1/32')], [7, 8]);
});

test('a value pool shares equal values and frees an index no one uses', () => {
  const pool = new ValuePool<string[]>();
  const a = pool.acquire('x', () => ['x']);
  const b = pool.acquire('x', () => ['never made']);
  assert.equal(a, b);
  assert.equal(pool.distinct, 1);
  pool.release(a);
  assert.deepEqual(pool.get(a), ['x']);
  pool.release(b);
  assert.equal(pool.distinct, 0);
  assert.throws(() => pool.get(a));
  assert.equal(
    pool.acquire('y', () => ['y']),
    a,
  ); // the freed index is reused
});
