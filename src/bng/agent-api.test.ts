import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readLeases, readPools } from './agent-api.ts';
import { leasesUrl } from './agent-source.ts';
import { bindNexusPool } from './nexus-source.ts';
import { canonicalCidr, inside } from './pool.ts';

const pool = (over: Record<string, unknown>) => ({
  id: 'p1',
  cidr: '100.64.0.0/24',
  role: 'production',
  sharing: 'exclusive',
  ...over,
});

test('a pools answer: good pools are used, each bad one is reported with why, the rest still count', () => {
  const { pools, invalid, response } = readPools({
    apiVersion: 'v1',
    nodeId: 'olt-1',
    generation: 3,
    haRole: 'standby',
    pools: [
      pool({ labels: { tier: 'gold' }, allocated: 5 }),
      pool({ id: 'p2', cidr: '100.64.1.1/24' }),
      pool({ id: 'p3', role: 'vip' }),
      pool({ id: 'p1', cidr: '100.64.9.0/24' }),
      pool({ id: 'v6', cidr: '2001:DB8:100::/48', sharing: 'shared' }),
      'junk',
    ],
  });
  assert.equal(response.generation, 3);
  assert.deepEqual(
    pools.map((p) => [p.id, p.cidr, p.standby, p.labels['bng.bng-edge.io/pool'], p.labels.tier]),
    [
      ['p1', '100.64.0.0/24', true, 'p1', 'gold'],
      ['v6', '2001:db8:100::/48', true, 'v6', undefined],
    ],
  );
  // Schema failures first, then what only the pool's meaning rules out.
  assert.deepEqual(
    invalid.map((i) => i.id),
    ['p3', 'pools[5]', 'p2', 'p1'],
  );
  assert.match(invalid[0]?.message ?? '', /role/);
  assert.match(invalid[2]?.message ?? '', /host bits set \(the network is 100\.64\.1\.0\/24\)/);
  assert.match(invalid[3]?.message ?? '', /duplicate/);
});

test('a pools answer of another version or shape is refused whole', () => {
  assert.throws(() => readPools({ apiVersion: 'v2', nodeId: 'x', generation: 1, pools: [] }), /apiVersion/);
  assert.throws(() => readPools({ apiVersion: 'v1', nodeId: 'x', pools: [] }), /generation/);
});

test('leases become canonical host routes inside their pool; others are dropped', () => {
  const p = readPools({ apiVersion: 'v1', nodeId: 'n', generation: 1, pools: [pool({ sharing: 'shared' })] })
    .pools[0]!;
  const routes = readLeases(
    {
      apiVersion: 'v1',
      pool: 'p1',
      generation: 1,
      leases: [
        { ip: '100.64.0.9' },
        { ip: '100.64.0.9' },
        { ip: '100.65.0.1' },
        { prefix: '100.64.0.16/28' },
      ],
    },
    p,
  );
  assert.deepEqual(routes, ['100.64.0.16/28', '100.64.0.9/32']);
  assert.equal(inside('2001:db8:100:1200::/56', '2001:db8:100::/48'), true);
  assert.equal(inside('2001:db8:101::/56', '2001:db8:100::/48'), false);
  assert.equal(inside('100.64.0.0/16', '100.64.0.0/24'), false);
});

test('the leases path sits next to the pools path', () => {
  assert.equal(
    leasesUrl('http://127.0.0.1:9090/api/v1/pools', 'nexus-a b'),
    'http://127.0.0.1:9090/api/v1/leases?pool=nexus-a+b',
  );
  assert.deepEqual(canonicalCidr('10.0.0.0'), { error: 'cidr "10.0.0.0" is not a prefix' });
});

test('nexus metadata binds pools to nodes: active, standby, sharing by default from the node count', () => {
  const entry = (metadata: Record<string, string>) => ({
    id: 'n1',
    cidr: '100.80.0.0/16',
    prefix: 32,
    metadata,
  });
  assert.equal(bindNexusPool(entry({}), 'bng1'), undefined);
  const active = bindNexusPool(entry({ 'bgp-nodes': 'bng1, bng2' }), 'bng1');
  assert.ok(active && 'cidr' in active);
  assert.equal(active.sharing, 'shared');
  assert.equal(active.standby, false);
  const standby = bindNexusPool(
    entry({ 'bgp-nodes': 'bng1', 'bgp-standby-nodes': 'bng2', site: 'a' }),
    'bng2',
  );
  assert.ok(standby && 'cidr' in standby);
  assert.deepEqual([standby.sharing, standby.standby, standby.labels.site], ['exclusive', true, 'a']);
  const bad = bindNexusPool(entry({ 'bgp-nodes': 'bng1', 'bgp-role': 'vip' }), 'bng1');
  assert.ok(bad && !('cidr' in bad));
  assert.match(bad.message, /bgp-role/);
});
