import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planRoutes, type PlanOptions } from './plan.ts';

const connected = new Set(['10.100.0.1', '10.100.0.2', 'fd00:100::1']);
const opts: PlanOptions = {
  metric: 20,
  maxRoutes: 1000,
  ownPrefixes: new Set(['100.64.0.0/22']),
  // 192.0.2.1 is reached through 10.100.0.1 (recursive); 203.0.113.9 cannot be reached.
  resolveNextHop: (h) => (connected.has(h) ? h : h === '192.0.2.1' ? '10.100.0.1' : undefined),
};

test('new routes are replaced in; ECMP next hops become one sorted multipath route', () => {
  const plan = planRoutes([{ prefix: '198.51.100.0/24', nextHops: ['10.100.0.2', '10.100.0.1'] }], [], opts);
  assert.deepEqual(plan.replace, [
    { prefix: '198.51.100.0/24', nextHops: ['10.100.0.1', '10.100.0.2'], metric: 20 },
  ]);
  assert.deepEqual(plan.delete, []);
});

test('an unchanged kernel table plans nothing (restart without churn), whatever the next-hop order', () => {
  const plan = planRoutes(
    [{ prefix: '198.51.100.0/24', nextHops: ['10.100.0.1', '10.100.0.2'] }],
    [{ prefix: '198.51.100.0/24', nextHops: ['10.100.0.2', '10.100.0.1'], metric: 20 }],
    opts,
  );
  assert.deepEqual([plan.replace, plan.delete], [[], []]);
  assert.equal(plan.installed, 1);
});

test('a changed route is one replace; a route no longer learned is deleted', () => {
  const plan = planRoutes(
    [{ prefix: '198.51.100.0/24', nextHops: ['10.100.0.1'] }],
    [
      { prefix: '198.51.100.0/24', nextHops: ['10.100.0.1', '10.100.0.2'], metric: 20 },
      { prefix: '203.0.113.0/24', nextHops: ['10.100.0.2'], metric: 20 },
    ],
    opts,
  );
  assert.deepEqual(plan.replace, [{ prefix: '198.51.100.0/24', nextHops: ['10.100.0.1'], metric: 20 }]);
  assert.deepEqual(
    plan.delete.map((r) => r.prefix),
    ['203.0.113.0/24'],
  );
});

test('a metric change is a replace', () => {
  const plan = planRoutes(
    [{ prefix: '198.51.100.0/24', nextHops: ['10.100.0.1'] }],
    [{ prefix: '198.51.100.0/24', nextHops: ['10.100.0.1'], metric: 10 }],
    opts,
  );
  assert.equal(plan.replace.length, 1);
});

test('own prefixes and unreachable next hops are skipped with a reason; recursive ones resolve', () => {
  const plan = planRoutes(
    [
      { prefix: '100.64.0.0/22', nextHops: ['10.100.0.12'] },
      { prefix: '198.18.0.0/15', nextHops: ['203.0.113.9'] },
      { prefix: '192.0.2.128/25', nextHops: ['192.0.2.1'] },
      { prefix: '2001:db8::/32', nextHops: ['fd00:100::1'] },
    ],
    [],
    opts,
  );
  assert.deepEqual(plan.skipped, [
    { prefix: '100.64.0.0/22', reason: 'OwnPrefix' },
    { prefix: '198.18.0.0/15', reason: 'UnresolvedNextHop' },
  ]);
  assert.deepEqual(
    plan.replace.map((r) => [r.prefix, r.nextHops.join()]),
    [
      ['192.0.2.128/25', '10.100.0.1'],
      ['2001:db8::/32', 'fd00:100::1'],
    ],
  );
});

test('over the limit, installed routes keep their place and new ones wait, with a reason', () => {
  const learned = ['10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16'].map((prefix) => ({
    prefix,
    nextHops: ['10.100.0.1'],
  }));
  const plan = planRoutes(learned, [{ prefix: '10.3.0.0/16', nextHops: ['10.100.0.1'], metric: 20 }], {
    ...opts,
    maxRoutes: 2,
  });
  assert.deepEqual(
    plan.replace.map((r) => r.prefix),
    ['10.1.0.0/16'],
  );
  assert.deepEqual(plan.skipped, [{ prefix: '10.2.0.0/16', reason: 'RouteLimit' }]);
  assert.equal(plan.installed, 2);
});
