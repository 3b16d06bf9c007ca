// The site every fault case runs on, and what its resources say the network must look like: each
// core's BGP table and each node's FIB, for any combination of nodes, BNGs and core links that are
// out. The fault cases compare the whole of both with this after every fault (./whole.ts).
import type { AgentState } from '../bed/bng.ts';
import { coreEndpoints, nodeEndpoints } from '../bed/operator.ts';

export const NODES = ['bng1', 'bng2', 'bng3'] as const;
export type NodeName = (typeof NODES)[number];
export const CORES = {
  core1: { address: '10.100.0.1', asn: 65000, prefix: '198.51.100.0/24' },
  core2: { address: '10.100.0.2', asn: 65010, prefix: '198.51.101.0/24' },
} as const;
export type CoreName = keyof typeof CORES;

export const TABLE = 1000;
/** Announced by every node (a service address reachable through any BNG). */
export const ANYCAST = '203.0.113.0/24';
export const nodeAddress = (node: NodeName) => `10.100.0.${11 + NODES.indexOf(node)}`;
/** Each node's BNG hands out one exclusive pool. */
export const poolOf = (node: NodeName) => `100.64.${1 + NODES.indexOf(node)}.0/24`;

export const bngState = (node: NodeName): AgentState => ({
  nodeId: `olt-${node}`,
  pools: [{ id: `res-${node}`, cidr: poolOf(node), role: 'production', sharing: 'exclusive' }],
});

// BFD at 300 ms x 3 on every upstream session (the cores run bfdd), back 3 s after a repair rather
// than GoBGP's default 30 (idleHoldTime); graceful restart on (the default), so a planned restart
// keeps the routes at the cores as stale. No transit: a node never passes one core's prefixes on.
export const SITE = `
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPConfiguration
metadata: { name: site-a }
spec:
  asNumber: 64512
  nodeSelector: { matchLabels: { bgp.bng-edge.io/site: a } }
  gracefulRestart: { enabled: true, restartTime: 60, deferralTime: 5 }
  fib: { table: ${TABLE}, metric: 20, resyncIntervalSeconds: 2 }
  bngPools: { source: Agent }
${nodeEndpoints()}
${coreEndpoints()}
---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPPeeringPolicy
metadata: { name: upstream }
spec:
  mode: upstream
  selector: { matchLabels: { role: bng } }
  upstreamConfig: { peerSelector: { matchLabels: { role: pe } } }
  sessionTemplate:
    labels: { upstream: 'yes' }
    connectRetryTime: 1
    idleHoldTime: 3
    bfd: { receiveIntervalMs: 300, transmitIntervalMs: 300, detectMultiplier: 3 }
---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPRoutePolicy
metadata: { name: no-transit }
spec:
  type: Export
  statements:
    - name: core-prefixes-stay
      prefixSet: [{ cidr: 198.51.0.0/16, maskLengthMin: 16, maskLengthMax: 32 }]
      action: Reject
  defaultAction: Accept
---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPAdvertisement
metadata: { name: anycast }
spec: { prefixes: ['${ANYCAST}'] }
---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPAdvertisement
metadata: { name: subscriber-pools }
spec: { communities: ['65000:200'], pools: {} }
`;

/** What is out: removed nodes, dead BNGs, cores whose link is cut. */
export interface Outage {
  nodes?: NodeName[];
  bngs?: NodeName[];
  cores?: CoreName[];
  /** Extra prefixes every present node announces (the burst case), as at the cores. */
  extra?: string[];
}

/** A core's table as prefix -> sorted "next hop AS-path" paths; a locally originated path is "local". */
export type CoreTable = Record<string, string[]>;
/** A node's FIB as sorted "prefix via gateway" lines. */
export type Fib = string[];

export interface Whole {
  cores: Record<CoreName, CoreTable | 'cut'>;
  fibs: Record<NodeName, Fib | 'removed'>;
}

export function expected(out: Outage = {}): Whole {
  const present = NODES.filter((n) => !out.nodes?.includes(n));
  const cores = {} as Whole['cores'];
  for (const [name, core] of Object.entries(CORES) as [CoreName, (typeof CORES)[CoreName]][]) {
    if (out.cores?.includes(name)) {
      cores[name] = 'cut';
      continue;
    }
    const path = (n: NodeName) => `${nodeAddress(n)} 64512`;
    const table: CoreTable = { [core.prefix]: ['local'] };
    for (const prefix of [ANYCAST, ...(out.extra ?? [])])
      if (present.length) table[prefix] = present.map(path).sort();
    for (const n of present) if (!out.bngs?.includes(n)) table[poolOf(n)] = [path(n)];
    cores[name] = sortKeys(table);
  }
  const fibs = {} as Whole['fibs'];
  for (const n of NODES) {
    fibs[n] = present.includes(n)
      ? (Object.entries(CORES) as [CoreName, (typeof CORES)[CoreName]][])
          .filter(([name]) => !out.cores?.includes(name))
          .map(([, c]) => `${c.prefix} via ${c.address}`)
          .sort()
      : 'removed';
  }
  return { cores, fibs };
}

export function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}
