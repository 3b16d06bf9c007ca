import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LearnedRib } from './learned-rib.ts';

const up = (prefix: string, source: string, nextHop: string) => ({
  prefix,
  source,
  nextHop,
  withdraw: false,
});
const down = (prefix: string, source: string) => ({ prefix, source, nextHop: '', withdraw: true });

test('multipath: paths are added and withdrawn one by one; the set is the ECMP next hops', () => {
  const rib = new LearnedRib(true);
  rib.apply(up('198.51.100.0/24', '10.100.0.1#0', '10.100.0.1'));
  rib.apply(up('198.51.100.0/24', '10.100.0.2#0', '10.100.0.2'));
  assert.deepEqual(rib.get('198.51.100.0/24')?.nextHops, ['10.100.0.1', '10.100.0.2']);
  rib.apply(down('198.51.100.0/24', '10.100.0.1#0'));
  assert.deepEqual(rib.get('198.51.100.0/24')?.nextHops, ['10.100.0.2']);
  rib.apply(down('198.51.100.0/24', '10.100.0.2#0'));
  assert.equal(rib.get('198.51.100.0/24'), undefined);
  assert.deepEqual([...rib.takeChanged()], ['198.51.100.0/24']);
  assert.equal(rib.size, 0);
});

test('single best path: each path replaces the prefix (a local best hides the learned one)', () => {
  const rib = new LearnedRib(false);
  rib.apply(up('198.51.100.0/24', '10.100.0.1#0', '10.100.0.1'));
  rib.apply(up('198.51.100.0/24', '10.100.0.2#0', '10.100.0.2'));
  assert.deepEqual(rib.get('198.51.100.0/24')?.nextHops, ['10.100.0.2']);
  rib.apply(up('198.51.100.0/24', '', '0.0.0.0'));
  assert.deepEqual(rib.get('198.51.100.0/24'), { prefix: '198.51.100.0/24', nextHops: [], local: true });
});

test('an update that changes nothing marks nothing; prefixes with the same paths share one value', () => {
  const rib = new LearnedRib(true);
  for (let i = 0; i < 100; i++) rib.apply(up(`10.0.${i}.0/24`, '10.100.0.1#0', '10.100.0.1'));
  rib.takeChanged();
  rib.apply(up('10.0.5.0/24', '10.100.0.1#0', '10.100.0.1'));
  assert.equal(rib.changedCount, 0);
  assert.deepEqual([...rib.nextHops()], ['10.100.0.1']);
  assert.equal(rib.get('10.0.1.0/24')?.nextHops, rib.get('10.0.2.0/24')?.nextHops);
});
