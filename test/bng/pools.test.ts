// BNG pool advertisement on the bench: a test BNG agent in each node's namespace serves the pool API
// (docs/bng-pool-api.md), the FRR core checks what arrives. Then the same with static pools and with
// pools read from Nexus. Withdrawal after a BNG crash is measured and printed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '../bed/index.ts';
import { siteView } from './site-view.ts';
import { logTail } from '../bed/process.ts';
import { setAgentState, startNexus, type AgentState, type Nexus } from '../bed/bng.ts';
import { startOperatorBed, type OperatorBed } from '../bed/operator.ts';

const NODES = { bng1: '10.100.0.11', bng2: '10.100.0.12', bng3: '10.100.0.13' } as const;
type NodeName = keyof typeof NODES;
let bed: OperatorBed;
let nexus: Nexus | undefined;

const pool = (id: string, cidr: string, extra: Record<string, unknown> = {}) => ({
  id,
  cidr,
  role: 'production',
  sharing: 'exclusive',
  ...extra,
});

const states: Record<NodeName, AgentState> = {
  bng1: {
    nodeId: 'olt-1',
    pools: [
      pool('res-a', '100.64.1.0/24'),
      pool('wg', '10.255.1.0/24', { role: 'walled-garden' }),
      pool('campus', '100.80.0.0/16', { sharing: 'shared' }),
    ],
    leases: { campus: ['100.80.0.11'] },
  },
  bng2: {
    nodeId: 'olt-2',
    pools: [pool('res-b', '100.64.2.0/24'), pool('campus', '100.80.0.0/16', { sharing: 'shared' })],
    leases: { campus: ['100.80.0.12'] },
  },
  // bng1's HA partner: the same pool, less preferred.
  bng3: { nodeId: 'olt-3', haRole: 'standby', pools: [pool('res-a', '100.64.1.0/24')] },
};

const config = (bngPools: string) => `
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPConfiguration
metadata: { name: site-a }
spec:
  asNumber: 64512
  nodeSelector: { matchLabels: { bgp.bng-edge.io/site: a } }
  fib: { enabled: false }
  bngPools: ${bngPools}
`;

const advertisement = (walledGarden: boolean) => `
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPAdvertisement
metadata: { name: subscriber-pools }
spec:
  communities: ['65000:200']
  pools: { walledGarden: ${walledGarden} }
`;

const topology = [
  ...Object.entries(NODES).map(
    ([node, address]) => `---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPEndpoint
metadata: { name: ${node} }
spec: { address: '${address}', asNumber: 64512, nodeName: ${node} }
---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPSession
metadata: { name: ${node}-core1 }
spec: { localEndpoint: ${node}, remoteEndpoint: core1, connectRetryTime: 1 }`,
  ),
  `---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPEndpoint
metadata: { name: core1 }
spec: { address: '10.100.0.1', asNumber: 65000 }`,
].join('\n');

let view: ReturnType<typeof siteView>;
const core1Has = (...a: Parameters<typeof view.core1Has>) => view.core1Has(...a);
const poolsOf = (node: NodeName) => view.poolsOf(node);
const metric = (node: NodeName, name: string) => view.metric(node, name);

before(async () => {
  bed = await startOperatorBed(['frr']);
  view = siteView(bed);
  for (const node of Object.keys(NODES) as NodeName[]) await bed.startBngAgent(node, states[node]);
  await bed.apply(`${config('{ source: Agent }')}\n---\n${advertisement(false)}\n${topology}`);
});

after(async () => {
  await nexus?.daemon.stop();
  await bed?.stop();
});

test('agent pools: exclusive aggregates and own host routes reach FRR from their node with the communities; shared aggregates and the walled garden do not; the HA standby is less preferred', async () => {
  await core1Has(
    {
      '100.64.1.0/24': ['10.100.0.11 [64512] 65000:200', '10.100.0.13 [64512 64512 64512 64512] 65000:200'],
      '100.64.2.0/24': ['10.100.0.12 [64512] 65000:200'],
      '100.80.0.11/32': ['10.100.0.11 [64512] 65000:200'],
      '100.80.0.12/32': ['10.100.0.12 [64512] 65000:200'],
      '100.80.0.0/16': undefined,
      '10.255.1.0/24': undefined,
    },
    'the agent pools at core1',
  );
  const status = await waitFor('bng1 pool status', async () => {
    const s = await poolsOf('bng1');
    return s?.pools.length === 3 ? s : undefined;
  });
  assert.equal(status.health, 'Healthy');
  assert.deepEqual(
    status.pools.map((p) => `${p.id} ${p.mode} ${p.reason} ${p.routes}`),
    ['campus HostRoutes Advertised 1', 'res-a Aggregate Advertised 1', 'wg None WalledGarden 0'],
  );
  assert.equal(await metric('bng1', 'bngbgp_bng_up{source="Agent"}'), 1);
  assert.equal(
    await metric('bng1', 'bngbgp_bng_pool_routes{pool="res-a",cidr="100.64.1.0/24",mode="Aggregate"}'),
    1,
  );
  await bed.apply(advertisement(true));
  await core1Has({ '10.255.1.0/24': ['10.100.0.11 [64512] 65000:200'] }, 'the walled garden after opting in');
});

test('host routes follow the leases of the BNG', async () => {
  setAgentState(bed.topo.node('bng1'), {
    ...states.bng1,
    leases: { campus: ['100.80.0.21', '100.80.0.22'] },
  });
  await core1Has(
    {
      '100.80.0.11/32': undefined,
      '100.80.0.21/32': ['10.100.0.11 [64512] 65000:200'],
      '100.80.0.22/32': ['10.100.0.11 [64512] 65000:200'],
    },
    'new leases advertised, the ended one withdrawn',
  );
});

test('a crashed BNG agent: its node withdraws every pool route within failureThreshold x interval, the standby takes the pool, a restart brings them back', async () => {
  const started = performance.now();
  await bed.bngAgents.get('bng1')?.kill();
  await core1Has(
    {
      '100.64.1.0/24': ['10.100.0.13 [64512 64512 64512 64512] 65000:200'],
      '100.80.0.21/32': undefined,
      '10.255.1.0/24': undefined,
    },
    'bng1 pool routes withdrawn after the agent crash',
    15_000,
  );
  const ms = Math.round(performance.now() - started);
  console.log(`# pool withdrawal at FRR after the BNG agent was killed: ${ms} ms (4 x 500 ms polls)`);
  assert.ok(ms < 5_000, `withdrawal took ${ms} ms`);
  await waitFor('bng1 reports its BNG down', async () =>
    (await poolsOf('bng1'))?.health === 'Down' ? true : undefined,
  );
  assert.equal(await metric('bng1', 'bngbgp_bng_up{source="Agent"}'), 0);
  assert.equal(await metric('bng1', 'bngbgp_bng_down_total'), 1);
  await bed.startBngAgent('bng1');
  await core1Has(
    {
      '100.64.1.0/24': ['10.100.0.11 [64512] 65000:200', '10.100.0.13 [64512 64512 64512 64512] 65000:200'],
      '100.80.0.21/32': ['10.100.0.11 [64512] 65000:200'],
    },
    'bng1 pool routes back after the restart',
  );
});

test('a draining BNG (planned stop) tags its routes GRACEFUL_SHUTDOWN', async () => {
  setAgentState(bed.topo.node('bng2'), { ...states.bng2, draining: true });
  await core1Has(
    {
      '100.64.2.0/24': ['10.100.0.12 [64512] 65000:200 graceful-shutdown'],
      '100.80.0.12/32': ['10.100.0.12 [64512] 65000:200 graceful-shutdown'],
    },
    'bng2 routes tagged graceful-shutdown',
  );
  setAgentState(bed.topo.node('bng2'), states.bng2);
});

test('restarting the bng-bgp agent (an upgrade) never re-announces a pool, even while the pool list cannot be read', async () => {
  // FRR stamps a path when it is (re)announced: a withdraw-and-readvertise, however brief, moves it
  // by seconds here. FRR derives the epoch from the path's age, so two readings may differ by 1 s.
  const stamp = async (): Promise<number> => {
    const out = JSON.parse(
      await bed.topo.router('core1').cli('show bgp ipv4 unicast 100.64.2.0/24 json'),
    ) as { paths?: { lastUpdate?: { epoch?: number }; nexthops?: { ip?: string }[] }[] };
    return out.paths?.find((p) => p.nexthops?.[0]?.ip === NODES.bng2)?.lastUpdate?.epoch ?? NaN;
  };
  await core1Has({ '100.64.2.0/24': ['10.100.0.12 [64512] 65000:200'] }, 'bng2 settled');
  await sleep(1_500);
  const before = await stamp();
  const unchanged = async (when: string) => {
    const moved = Math.abs((await stamp()) - before);
    if (!(moved <= 1))
      console.log(`# bng2 agent log:\n${logTail(`${bed.topo.node('bng2').dir}/agent.log`, 60)}`);
    assert.ok(moved <= 1, `FRR saw 100.64.2.0/24 from bng2 withdrawn and announced again ${when}`);
  };
  for (const failPools of [false, true]) {
    setAgentState(bed.topo.node('bng2'), { ...states.bng2, failPools });
    await bed.agents.get('bng2')?.stop();
    bed.startAgent('bng2');
    // The new agent: its pool list unreadable, it must hold; readable, it settles on the same routes.
    await waitFor('the new agent has seen the BNG', async () =>
      (await metric('bng2', 'bngbgp_bng_up{source="Agent"}').catch(() => undefined)) === 1 ? true : undefined,
    );
    await sleep(2_000);
    await unchanged(failPools ? 'while the pool list failed' : 'after a restart');
  }
  setAgentState(bed.topo.node('bng2'), states.bng2);
  await waitFor('bng2 reads its list again', async () =>
    (await metric('bng2', 'bngbgp_bng_pool_routes{pool="res-b",cidr="100.64.2.0/24",mode="Aggregate"}')) === 1
      ? true
      : undefined,
  );
  await unchanged('once the list returned');
});

test('a second active node claiming an advertised aggregate is refused (AggregateConflict); the first keeps it', async () => {
  setAgentState(bed.topo.node('bng2'), {
    ...states.bng2,
    pools: [...states.bng2.pools, pool('res-a', '100.64.1.0/24')],
  });
  const conflict = await waitFor('bng2 reports the conflict', async () =>
    (await poolsOf('bng2'))?.pools.find((p) => p.id === 'res-a' && p.reason === 'AggregateConflict'),
  );
  assert.equal(conflict.mode, 'None');
  assert.match(conflict.message, /already advertised as an aggregate by node bng1/);
  for (let i = 0; i < 2; i++) {
    await core1Has(
      {
        '100.64.1.0/24': ['10.100.0.11 [64512] 65000:200', '10.100.0.13 [64512 64512 64512 64512] 65000:200'],
      },
      'only bng1 and its standby advertise 100.64.1.0/24',
      5_000,
    );
    await sleep(1_000);
  }
  setAgentState(bed.topo.node('bng2'), states.bng2);
});

test('static pools: advertised from the nodes they name while the local BNG answers /health', async () => {
  await bed.apply(
    config(`
    source: Static
    static:
      pools:
        - { name: static-b, cidr: 100.90.0.0/24, nodeNames: [bng2] }
        - { name: static-ha, cidr: 100.91.0.0/24, nodeNames: [bng1], standbyNodeNames: [bng3] }`),
  );
  await core1Has(
    {
      '100.90.0.0/24': ['10.100.0.12 [64512] 65000:200'],
      '100.91.0.0/24': ['10.100.0.11 [64512] 65000:200', '10.100.0.13 [64512 64512 64512 64512] 65000:200'],
      '100.64.2.0/24': undefined,
    },
    'the static pools instead of the agent pools',
  );
  await bed.bngAgents.get('bng2')?.kill();
  await core1Has({ '100.90.0.0/24': undefined }, 'static-b withdrawn with bng2 BNG down', 15_000);
  await bed.startBngAgent('bng2');
  await core1Has({ '100.90.0.0/24': ['10.100.0.12 [64512] 65000:200'] }, 'static-b back');
});

test('nexus pools: bound to nodes by metadata, shared pools as the host routes of each node allocations', async () => {
  nexus = await startNexus(bed.topo.managementAddress, bed.topo.node('bng1').dir);
  await nexus.post('/api/v1/pools', {
    id: 'nx-excl',
    cidr: '100.96.0.0/24',
    prefix: 32,
    metadata: { 'bgp-nodes': 'bng3' },
  });
  await nexus.post('/api/v1/pools', {
    id: 'nx-shared',
    cidr: '100.97.0.0/16',
    prefix: 32,
    metadata: { 'bgp-nodes': 'bng1,bng2' },
  });
  await nexus.post('/api/v1/pools', { id: 'nx-unbound', cidr: '100.98.0.0/24', prefix: 32 });
  for (const [subscriber, node, ip] of [
    ['02:00:00:00:00:01', 'bng1', '100.97.0.5'],
    ['02:00:00:00:00:02', 'bng2', '100.97.0.6'],
    ['02:00:00:00:00:03', undefined, '100.97.0.7'],
  ] as const)
    await nexus.post('/api/v1/allocations', {
      pool_id: 'nx-shared',
      subscriber_id: subscriber,
      ip,
      node_id: node,
    });
  await bed.apply(config(`{ source: Nexus, nexus: { url: '${nexus.url}', refreshIntervalSeconds: 2 } }`));
  await core1Has(
    {
      '100.96.0.0/24': ['10.100.0.13 [64512] 65000:200'],
      '100.97.0.5/32': ['10.100.0.11 [64512] 65000:200'],
      '100.97.0.6/32': ['10.100.0.12 [64512] 65000:200'],
      '100.97.0.7/32': undefined,
      '100.97.0.0/16': undefined,
      '100.98.0.0/24': undefined,
      '100.90.0.0/24': undefined,
    },
    'the Nexus pools at core1',
  );
  await nexus.delete('/api/v1/allocations/02:00:00:00:00:01');
  await core1Has({ '100.97.0.5/32': undefined }, 'a released allocation withdrawn');
});
