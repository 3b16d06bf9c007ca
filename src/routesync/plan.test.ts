import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InstalledTable } from './installed-table.ts';
import type { LearnedRoute } from './learned-rib.ts';
import { PlanReport, allPrefixes, planRoutes, type InstalledRoute, type PlanOptions } from './plan.ts';

const connected = new Set(['10.100.0.1', '10.100.0.2', 'fd00:100::1']);
const opts: PlanOptions = {
  metric: 20,
  maxRoutes: 1000,
  ownPrefixes: new Set(['100.64.0.0/22']),
  // 192.0.2.1 is reached through 10.100.0.1 (recursive); 203.0.113.9 cannot be reached.
  resolveNextHop: (h) => (connected.has(h) ? h : h === '192.0.2.1' ? '10.100.0.1' : undefined),
};

const learned = (prefix: string, nextHops: string[], local = false): LearnedRoute => ({
  prefix,
  nextHops,
  local,
});
const kernel = (entries: [string, InstalledRoute][]) => {
  const t = new InstalledTable();
  for (const [p, r] of entries) t.set(p, r);
  return t;
};

/** A full plan, collected. */
function plan(routes: LearnedRoute[], installed: InstalledTable, options = opts) {
  const byPrefix = new Map(routes.map((r) => [r.prefix, r]));
  const report = new PlanReport();
  const changes = [
    ...planRoutes(
      allPrefixes(byPrefix.keys(), installed, (p) => byPrefix.has(p)),
      (p) => byPrefix.get(p),
      installed,
      options,
      report,
    ),
  ];
  const skipped = Object.fromEntries([...report.skipped].map(([reason, v]) => [reason, v.examples]));
  return { changes, skipped };
}

test('a new route is one add; ECMP next hops become one sorted multipath route', () => {
  const { changes } = plan([learned('198.51.100.0/24', ['10.100.0.2', '10.100.0.1'])], kernel([]));
  assert.deepEqual(changes, [
    { op: 'add', prefix: '198.51.100.0/24', nextHops: ['10.100.0.1', '10.100.0.2'], metric: 20 },
  ]);
});

test('an unchanged kernel table plans nothing (restart without churn)', () => {
  const { changes } = plan(
    [learned('198.51.100.0/24', ['10.100.0.2', '10.100.0.1']), learned('fd00:1::/64', ['fd00:100::1'])],
    kernel([
      ['198.51.100.0/24', { nextHops: ['10.100.0.1', '10.100.0.2'], metric: 20 }],
      ['fd00:1::/64', { nextHops: ['fd00:100::1'], metric: 20 }],
    ]),
  );
  assert.deepEqual(changes, []);
});

test('a changed route is one replace; a route no longer learned is deleted', () => {
  const { changes } = plan(
    [learned('198.51.100.0/24', ['10.100.0.1'])],
    kernel([
      ['198.51.100.0/24', { nextHops: ['10.100.0.1', '10.100.0.2'], metric: 20 }],
      ['203.0.113.0/24', { nextHops: ['10.100.0.2'], metric: 20 }],
    ]),
  );
  assert.deepEqual(changes, [
    { op: 'replace', prefix: '198.51.100.0/24', nextHops: ['10.100.0.1'], metric: 20 },
    { op: 'delete', prefix: '203.0.113.0/24', nextHops: ['10.100.0.2'], metric: 20 },
  ]);
});

test('a new metric is a new kernel route: added first, then the old one removed', () => {
  const { changes } = plan(
    [learned('198.51.100.0/24', ['10.100.0.1'])],
    kernel([['198.51.100.0/24', { nextHops: ['10.100.0.1'], metric: 10 }]]),
  );
  assert.deepEqual(
    changes.map((c) => [c.op, c.metric]),
    [
      ['add', 20],
      ['delete', 10],
    ],
  );
});

test('recursive next hops resolve to the covering gateway; unreachable ones are skipped with a reason', () => {
  const { changes, skipped } = plan(
    [
      learned('198.51.100.0/24', ['192.0.2.1']),
      learned('203.0.113.0/24', ['203.0.113.9']),
      learned('198.51.101.0/24', ['192.0.2.1', '203.0.113.9']),
    ],
    kernel([]),
  );
  assert.deepEqual(
    changes.map((c) => [c.prefix, c.nextHops]),
    [
      ['198.51.100.0/24', ['10.100.0.1']],
      ['198.51.101.0/24', ['10.100.0.1']],
    ],
  );
  assert.deepEqual(skipped, { UnresolvedNextHop: ['203.0.113.0/24'] });
});

test('own prefixes and locally originated paths are never installed, and an installed one is removed', () => {
  const { changes, skipped } = plan(
    [learned('100.64.0.0/22', ['10.100.0.1']), learned('100.65.0.0/24', [], true)],
    kernel([['100.64.0.0/22', { nextHops: ['10.100.0.1'], metric: 20 }]]),
  );
  assert.deepEqual(
    changes.map((c) => [c.op, c.prefix]),
    [['delete', '100.64.0.0/22']],
  );
  assert.deepEqual(skipped, { OwnPrefix: ['100.64.0.0/22'], LocallyOriginated: ['100.65.0.0/24'] });
});

test('an IPv4 route over an IPv6 next hop is not installed (no RFC 8950 support)', () => {
  const { changes, skipped } = plan([learned('198.51.100.0/24', ['fd00:100::1'])], kernel([]));
  assert.deepEqual([changes, skipped], [[], { UnresolvedNextHop: ['198.51.100.0/24'] }]);
});

test('over the route limit, installed routes keep their place and new ones wait (no churn)', () => {
  const { changes, skipped } = plan(
    [
      learned('10.0.1.0/24', ['10.100.0.1']),
      learned('10.0.2.0/24', ['10.100.0.1']),
      learned('10.0.3.0/24', ['10.100.0.1']),
    ],
    kernel([['10.0.3.0/24', { nextHops: ['10.100.0.1'], metric: 20 }]]),
    { ...opts, maxRoutes: 2 },
  );
  assert.deepEqual(
    changes.map((c) => [c.op, c.prefix]),
    [['add', '10.0.1.0/24']],
  );
  assert.deepEqual(skipped, { RouteLimit: ['10.0.2.0/24'] });
});

test('an incremental plan touches only its scope', () => {
  const installed = kernel([
    ['10.0.1.0/24', { nextHops: ['10.100.0.1'], metric: 20 }],
    ['10.0.2.0/24', { nextHops: ['10.100.0.1'], metric: 20 }],
  ]);
  const rib = new Map([['10.0.3.0/24', learned('10.0.3.0/24', ['10.100.0.2'])]]);
  const changes = [
    ...planRoutes(['10.0.1.0/24', '10.0.3.0/24'], (p) => rib.get(p), installed, opts, new PlanReport()),
  ];
  assert.deepEqual(
    changes.map((c) => [c.op, c.prefix]),
    [
      ['delete', '10.0.1.0/24'],
      ['add', '10.0.3.0/24'],
    ],
  );
});
