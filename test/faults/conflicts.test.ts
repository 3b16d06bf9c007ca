// Semantic conflicts on the bench: objects the apiserver accepts but that cannot all hold. A working
// site first (three nodes, each its own BGPConfiguration, peering with core1; a prefix and a BNG's
// pools at core1; core1's prefix in every kernel FIB). Then every conflict at once: two
// configurations covering bng2, bng3 given bng1's router ID, an Aggregate advertisement of a shared
// pool, and objects whose selectors match nothing. Each must be reported on its own object, with
// its reason and what to fix, while the rest keeps working: no session reset (FRR's counters), the
// upstream table unchanged, a new advertisement reaching core1. Then the conflicts go and every
// object is Ready again, still without a session reset.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { frrNeighbor, kernelRoutes, waitFor, type FrrNeighborDetail } from '../bed/index.ts';
import { startOperatorBed, type OperatorBed } from '../bed/operator.ts';
import { siteView } from '../bng/site-view.ts';

const NODES = { bng1: '10.100.0.11', bng2: '10.100.0.12', bng3: '10.100.0.13' } as const;
type NodeName = keyof typeof NODES;
const NODE_NAMES = Object.keys(NODES) as NodeName[];
const CORE1_PREFIX = '198.51.100.0/24';
let bed: OperatorBed;
let view: ReturnType<typeof siteView>;

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}
interface Obj {
  kind: string;
  metadata: { name: string };
  status?: {
    conditions?: Condition[];
    configuration?: string;
    routerID?: string;
    matchedNodes?: number;
    readyNodes?: number;
  };
}

// Each node is a site of its own (label bgp.bng-edge.io/site a, b, c) with its own configuration;
// bng1's BNG serves an exclusive pool and a shared one.
const config = (name: string, site: string, extra = '') => `---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPConfiguration
metadata: { name: ${name} }
spec: { asNumber: 64512, nodeSelector: { matchLabels: { bgp.bng-edge.io/site: ${site} } }${extra} }
`;

const advertisement = (name: string, spec: string) => `---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPAdvertisement
metadata: { name: ${name} }
spec: ${spec}
`;

const SITE = [
  config('site-a', 'a', ', bngPools: { source: Agent }'),
  config('site-b', 'b'),
  config('site-c', 'c'),
  `---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPEndpoint
metadata: { name: core1 }
spec: { address: 10.100.0.1, asNumber: 65000 }
`,
  ...Object.entries(NODES).map(
    ([node, address]) => `---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPEndpoint
metadata: { name: ${node} }
spec: { address: ${address}, asNumber: 64512, nodeName: ${node} }
---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPSession
metadata: { name: ${node}-core1, labels: { upstream: 'yes' } }
spec: { localEndpoint: ${node}, remoteEndpoint: core1, connectRetryTime: 1 }
`,
  ),
  advertisement(
    'site-prefix',
    "{ prefixes: [203.0.113.0/24], peerSelector: { matchLabels: { upstream: 'yes' } } }",
  ),
  advertisement(
    'subscriber-pools',
    "{ pools: {}, peerSelector: { matchLabels: { upstream: 'yes' } }, communities: ['65000:200'] }",
  ),
].join('');

// Every conflict at once, as they come in practice.
const CONFLICTS = [
  // A replacement for site b, staged before the old configuration is deleted: bng2 is covered twice.
  config('site-b-v2', 'b', ', gracefulRestart: { restartTime: 60 }'),
  // bng1's router ID copied into site c: bng3 would run with it.
  config('site-c', 'c', ', routerIDSource: Manual, routerID: 10.100.0.11'),
  // The aggregate of a shared pool (any node may hold any of its addresses).
  advertisement(
    'campus-aggregate',
    "{ pools: { selector: { matchLabels: { bng.bng-edge.io/pool: campus } }, mode: Aggregate }, peerSelector: { matchLabels: { upstream: 'yes' } } }",
  ),
  // Selectors that match nothing. The route policy rejects everything for the sessions it selects:
  // selecting none, it must reject nothing.
  `---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPRoutePolicy
metadata: { name: transit-filter }
spec:
  type: Export
  peerSelector: { matchLabels: { peer-group: transit } }
  statements: [{ name: nothing, prefixSet: [{ cidr: 0.0.0.0/0, maskLengthMin: 0, maskLengthMax: 32 }], action: Reject }]
  defaultAction: Reject
`,
  advertisement(
    'pop-d',
    '{ prefixes: [198.18.40.0/24], nodeSelector: { matchLabels: { bgp.bng-edge.io/site: d } } }',
  ),
  advertisement(
    'to-ixp',
    '{ prefixes: [198.18.41.0/24], nodeSelector: { matchLabels: { bgp.bng-edge.io/site: a } }, peerSelector: { matchLabels: { peering: ixp } } }',
  ),
  `---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPPeeringPolicy
metadata: { name: rr-mesh }
spec: { mode: mesh, selector: { matchLabels: { role: rr } } }
`,
].join('');

/** What each conflict must say, on which object: kind, name, reason, message. */
const REPORTS: [string, string, string, RegExp][] = [
  [
    'bgpconfig',
    'site-b',
    'ConflictingConfiguration',
    /node bng2 is covered by site-b, site-b-v2: narrow their nodeSelectors so one covers it; it keeps running site-b meanwhile/,
  ],
  [
    'bgpconfig',
    'site-b-v2',
    'ConflictingConfiguration',
    /node bng2 is covered by site-b, site-b-v2: .*it keeps running site-b meanwhile/,
  ],
  [
    'bgpconfig',
    'site-a',
    'RouterIDCollision',
    /nodes bng1, bng3 all use router ID 10\.100\.0\.11: give each node its own/,
  ],
  ['bgpconfig', 'site-c', 'RouterIDCollision', /nodes bng1, bng3 all use router ID 10\.100\.0\.11/],
  [
    'bgpadvertisement',
    'campus-aggregate',
    'SharedPoolAggregate',
    /^bng1: node bng1: pool campus \(100\.80\.0\.0\/16\) is shared by several nodes: its aggregate is never advertised; use mode HostRoutes or Auto$/,
  ],
  [
    'bgproutepolicy',
    'transit-filter',
    'NoMatchingSessions',
    /^peerSelector "peer-group=transit" matches no BGPSession/,
  ],
  [
    'bgpadvertisement',
    'pop-d',
    'NoMatchingNodes',
    /^nodeSelector "bgp\.bng-edge\.io\/site=d" matches no Node/,
  ],
  [
    'bgpadvertisement',
    'to-ixp',
    'NoMatchingSessions',
    /^peerSelector "peering=ixp" matches none of the 1 BGPSession\(s\) of node\(s\) bng1: nothing is announced/,
  ],
  ['bgppeeringpolicy', 'rr-mesh', 'NoMatchingEndpoints', /^selector "role=rr" matches no BGPEndpoint/],
];

const CONFLICT_OBJECTS = [
  'bgpconfig/site-b-v2',
  'bgpadvertisement/campus-aggregate',
  'bgproutepolicy/transit-filter',
  'bgpadvertisement/pop-d',
  'bgpadvertisement/to-ixp',
  'bgppeeringpolicy/rr-mesh',
];

const pool = (id: string, cidr: string, sharing: string) => ({ id, cidr, role: 'production', sharing });

async function conditionOf(kind: string, name: string, type = 'Ready'): Promise<Condition | undefined> {
  const o = await bed.getJson<Obj>(['get', kind, name]);
  return o.status?.conditions?.find((c) => c.type === type);
}

/** Waits for a condition of an object, and says what it last was on timeout. */
async function waitCondition(
  kind: string,
  name: string,
  want: { type?: string; status: string; reason?: string; message?: RegExp },
): Promise<Condition> {
  let last: Condition | undefined;
  return waitFor(
    `${kind}/${name} ${want.type ?? 'Ready'}=${want.status} ${want.reason ?? ''} ${want.message ?? ''}`,
    async () => {
      last = await conditionOf(kind, name, want.type);
      const ok =
        last?.status === want.status &&
        (!want.reason || last.reason === want.reason) &&
        (!want.message || want.message.test(last.message));
      return ok ? last : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 500 },
  ).catch((err: Error) => {
    throw new Error(`${err.message}\nlast: ${JSON.stringify(last)}`);
  });
}

const neighbors = async (): Promise<Record<NodeName, FrrNeighborDetail>> =>
  Object.fromEntries(
    await Promise.all(
      NODE_NAMES.map(async (n) => [n, await frrNeighbor(bed.topo.router('core1'), NODES[n])] as const),
    ),
  ) as Record<NodeName, FrrNeighborDetail>;

/** The three sessions at core1: Established, never re-established since `baseline`, uptime still counting. */
async function noReset(baseline: Record<NodeName, FrrNeighborDetail>, when: string): Promise<void> {
  const now = await neighbors();
  for (const n of NODE_NAMES) {
    assert.equal(now[n].bgpState, 'Established', `core1 - ${n} ${when}`);
    assert.equal(
      now[n].connectionsEstablished,
      baseline[n].connectionsEstablished,
      `core1 - ${n} was re-established ${when}`,
    );
    assert.ok(
      (now[n].bgpTimerUpMsec ?? 0) > (baseline[n].bgpTimerUpMsec ?? 0),
      `core1 - ${n} uptime kept counting ${when}`,
    );
  }
}

/** core1's prefix in every node's kernel FIB (main table, protocol 196) via core1. */
async function coreRouteInEveryFib(what: string): Promise<void> {
  for (const n of NODE_NAMES)
    await waitFor(`${CORE1_PREFIX} via 10.100.0.1 in ${n}'s kernel FIB ${what}`, async () =>
      (await kernelRoutes(bed.topo.node(n).netns, { protocol: 196 })).find(
        (r) => r.dst === CORE1_PREFIX && r.gateway === '10.100.0.1',
      ),
    );
}

/** What core1 must hold from the site throughout (undefined: absent). */
const SITE_AT_CORE1 = {
  '203.0.113.0/24': ['10.100.0.11 [64512]', '10.100.0.12 [64512]', '10.100.0.13 [64512]'],
  '100.64.1.0/24': ['10.100.0.11 [64512] 65000:200'],
  '100.80.0.11/32': ['10.100.0.11 [64512] 65000:200'],
  '100.80.0.0/16': undefined,
};

/** core1's paths, best first; compared as sets of paths (FRR's order among equals may change). */
async function core1Has(expected: Record<string, string[] | undefined>, what: string): Promise<void> {
  const sorted = (e: Record<string, string[] | undefined>) =>
    JSON.stringify(Object.entries(e).map(([p, paths]) => [p, paths && [...paths].sort()]));
  let last = '';
  await waitFor(
    what,
    async () => {
      const table = await view.core1(Object.keys(expected));
      const got = Object.fromEntries(Object.keys(expected).map((p) => [p, table.get(p)]));
      last = JSON.stringify(got);
      return sorted(got) === sorted(expected) ? true : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 500 },
  ).catch((err: unknown) => {
    throw new Error(`${String(err)}\ncore1 had: ${last}`);
  });
}

let baseline: Record<NodeName, FrrNeighborDetail>;

before(async () => {
  bed = await startOperatorBed(['frr']);
  view = siteView(bed);
  for (const [node, site] of [
    ['bng2', 'b'],
    ['bng3', 'c'],
  ])
    await bed.cp.kubectl(['label', 'node', node!, `bgp.bng-edge.io/site=${site}`, '--overwrite']);
  await bed.startBngAgent('bng1', {
    nodeId: 'bng1',
    pools: [pool('res-a', '100.64.1.0/24', 'exclusive'), pool('campus', '100.80.0.0/16', 'shared')],
    leases: { campus: ['100.80.0.11'] },
  });
  await bed.apply(SITE);
});

after(async () => {
  await bed?.stop();
});

test('a working site: three nodes Established with core1, their prefixes and pools there, its prefix in every kernel FIB', async () => {
  for (const n of NODE_NAMES)
    await waitCondition('bgpsession', `${n}-core1`, { status: 'True', reason: 'Established' });
  await core1Has(SITE_AT_CORE1, 'the site at core1');
  await coreRouteInEveryFib('(converged)');
  for (const n of NODE_NAMES) await waitCondition('bgpnodestate', n, { status: 'True', reason: 'Converged' });
  baseline = await neighbors();
});

test('every conflict at once: each reported on its own object, with its reason and what to fix', async () => {
  await bed.apply(CONFLICTS);
  const started = Date.now();
  for (const [kind, name, reason, message] of REPORTS)
    await waitCondition(kind, name, { status: 'False', reason, message });
  console.log(
    `# all ${REPORTS.length} reports in place ${((Date.now() - started) / 1000).toFixed(1)} s after the apply`,
  );
  // bng2 keeps running the configuration it had (site-b), and says so on its node state.
  const bng2 = await bed.getJson<Obj>(['get', 'bgpnodestate', 'bng2']);
  assert.equal(bng2.status?.configuration, 'site-b');
  await waitCondition('bgpnodestate', 'bng2', { type: 'SpeakerReady', status: 'True', reason: 'Running' });
  await waitCondition('bgpnodestate', 'bng2', {
    status: 'False',
    reason: 'InvalidConfig',
    message:
      /BGPConfiguration\/site-b: ConflictingConfiguration; BGPConfiguration\/site-b-v2: ConflictingConfiguration/,
  });
  await waitFor('site-b counts bng2 ready, site-b-v2 none', async () => {
    const [b, v2] = await Promise.all(
      ['site-b', 'site-b-v2'].map((c) => bed.getJson<Obj>(['get', 'bgpconfig', c])),
    );
    return b?.status?.readyNodes === 1 && v2?.status?.matchedNodes === 1 && v2.status.readyNodes === 0
      ? true
      : undefined;
  });
  // bng3 cannot take a new router ID without a new gobgpd (GoBGP v4): it keeps its running speaker
  // and says why.
  await waitCondition('bgpnodestate', 'bng3', {
    type: 'SpeakerReady',
    status: 'False',
    reason: 'DaemonRestartUnavailable',
    message: /its identity changed/,
  });
  // The shared pool is still advertised the correct way: host routes of bng1's leases.
  const campus = (await view.poolsOf('bng1'))?.pools.find((p) => p.id === 'campus');
  assert.equal(`${campus?.mode} ${campus?.reason} ${campus?.routes}`, 'HostRoutes Advertised 1');
});

test('meanwhile the rest keeps working: no session reset, the upstream table unchanged, a new advertisement reaches core1', async () => {
  await bed.apply(
    advertisement(
      'late',
      "{ prefixes: [198.18.50.0/24], nodeSelector: { matchExpressions: [{ key: kubernetes.io/hostname, operator: In, values: [bng1, bng2] }] }, peerSelector: { matchLabels: { upstream: 'yes' } } }",
    ),
  );
  await core1Has(
    {
      ...SITE_AT_CORE1,
      '198.18.50.0/24': ['10.100.0.11 [64512]', '10.100.0.12 [64512]'],
      // Selected by nobody: announced by nobody, and to nobody (never to everybody).
      '198.18.40.0/24': undefined,
      '198.18.41.0/24': undefined,
    },
    'the new advertisement from bng1 and bng2 at core1, everything else as before',
  );
  await waitCondition('bgpadvertisement', 'late', {
    status: 'True',
    reason: 'Advertised',
    message: /2 prefix announcement\(s\) from 2 node\(s\)/,
  });
  await coreRouteInEveryFib('(conflicts present)');
  await noReset(baseline, 'while the conflicts were present');
  // Still reported: nothing above made a report go away.
  for (const [kind, name, reason] of REPORTS)
    assert.equal((await conditionOf(kind, name))?.reason, reason, `${kind}/${name}`);
});

test('conflicts removed: every object and every node Ready again, still no session reset', async () => {
  await bed.cp.kubectl(['delete', ...CONFLICT_OBJECTS]);
  await bed.apply(SITE); // site-c without the copied router ID
  await waitFor(
    'every bgp object and node state Ready=True',
    async () => {
      // The category bgp holds all seven kinds, node states included.
      const all = (await bed.getJson<{ items: Obj[] }>(['get', 'bgp'])).items;
      const notReady = all
        .map((o) => [o, o.status?.conditions?.find((c) => c.type === 'Ready')] as const)
        .filter(([, c]) => c?.status !== 'True')
        .map(([o, c]) => `${o.kind}/${o.metadata.name}: ${c?.reason} ${c?.message}`);
      if (notReady.length) throw new Error(notReady.join('\n'));
      // 3 configurations, 4 endpoints, 3 sessions, 3 advertisements, 3 node states: nothing else.
      return new Set(all.map((o) => `${o.kind}/${o.metadata.name}`)).size === 16 ? true : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 1_000 },
  );
  for (const n of NODE_NAMES) {
    const state = await bed.getJson<Obj>(['get', 'bgpnodestate', n]);
    assert.equal(state.status?.routerID, NODES[n], `${n} router ID`);
    assert.equal(
      (await conditionOf('bgpnodestate', n, 'SpeakerReady'))?.status,
      'True',
      `${n} speaker running`,
    );
  }
  await core1Has(
    { ...SITE_AT_CORE1, '198.18.50.0/24': ['10.100.0.11 [64512]', '10.100.0.12 [64512]'] },
    'the site at core1 after',
  );
  await coreRouteInEveryFib('(conflicts removed)');
  await noReset(baseline, 'through the whole test');
});
