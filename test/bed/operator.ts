// The operator on the bench: a control plane on the management network, three BNG nodes each
// running `bng-bgp run` inside its namespace beside its gobgpd, and core routers (two FRR unless
// told otherwise) that peer with every node. Used by the controller tests and the lab.
import { fileURLToPath } from 'node:url';
import { AGENT_NODE_FLAGS } from '../../src/cli/node-flags.ts';
import { GobgpClient } from '../../src/gobgp/client.ts';
import { startDaemon, type Daemon } from './process.ts';
import { startBngAgent, type AgentState } from './bng.ts';
import { startControlPlane, type ControlPlane } from './controlplane.ts';
import { buildTopology, type Topology } from './topology.ts';

export const NODE_ASN = 64512;
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url));

export interface OperatorBed {
  topo: Topology;
  cp: ControlPlane;
  agents: Map<string, Daemon>;
  gobgp: Map<string, GobgpClient>;
  startAgent(node: string): Daemon;
  /** The test BNG agents (pool API on 127.0.0.1:9090 of their node), by node. */
  bngAgents: Map<string, Daemon>;
  /** Starts a node's test BNG agent, serving `state` (or the state it last served). */
  startBngAgent(node: string, state?: AgentState): Promise<Daemon>;
  apply(yaml: string): Promise<string>;
  getJson<T>(args: string[]): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Core routers: core1 AS 65000, core2 AS 65010, each originating 198.51.10X.0/24, peering with
 * every node over IPv4 (and IPv6 too with `ipv6`).
 */
export function coreRouters(kinds: ('frr' | 'bird')[] = ['frr', 'frr'], nodes = 3, ipv6 = false) {
  return kinds.map((kind, i) => ({
    name: `core${i + 1}`,
    kind,
    asn: 65000 + 10 * i,
    originate: [`198.51.${100 + i}.0/24`],
    neighbors: Array.from({ length: nodes }, (_n, j) => [
      { address: `10.100.0.${11 + j}`, asn: NODE_ASN },
      ...(ipv6 ? [{ address: `fd00:100::${11 + j}`, asn: NODE_ASN }] : []),
    ]).flat(),
  }));
}

/** A BGPEndpoint per node of the bench (bng1.., label role: bng), at its LAN address. */
export function nodeEndpoints(nodes = 3): string {
  return Array.from(
    { length: nodes },
    (_n, i) => `---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPEndpoint
metadata: { name: bng${i + 1}, labels: { role: bng } }
spec: { address: 10.100.0.${11 + i}, asNumber: ${NODE_ASN}, nodeName: bng${i + 1} }`,
  ).join('\n');
}

/** A BGPEndpoint per core of coreRouters(), labelled role: `role` (an upstream policy's peerSelector). */
export function coreEndpoints(role = 'pe', cores = 2): string {
  return Array.from(
    { length: cores },
    (_c, i) => `---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPEndpoint
metadata: { name: core${i + 1}, labels: { role: ${role} } }
spec: { address: 10.100.0.${1 + i}, asNumber: ${65000 + 10 * i} }`,
  ).join('\n');
}

/**
 * The smallest site a test needs beside its BGPConfiguration: BGPEndpoints for bng1 and core1 and
 * the BGPSession between them (`session` adds to its spec, for example a password).
 */
export function bng1Core1Session(session: Record<string, unknown> = {}): string {
  const spec = { localEndpoint: 'bng1', remoteEndpoint: 'core1', connectRetryTime: 1, ...session };
  return `apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPEndpoint
metadata: { name: bng1 }
spec: { address: 10.100.0.11, asNumber: ${NODE_ASN}, nodeName: bng1 }
---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPEndpoint
metadata: { name: core1 }
spec: { address: 10.100.0.1, asNumber: 65000 }
---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPSession
metadata: { name: bng1-core1 }
spec: ${JSON.stringify(spec)}
`;
}

export interface OperatorBedOptions {
  /** Prefixes a core originates instead of its 198.51.10X.0/24. */
  originate?: Record<string, string[]>;
  /** The cores also accept IPv6 sessions from every node. */
  ipv6?: boolean;
  /** TCP MD5 password each core expects from every node (RFC 2385). */
  md5?: string;
  /** The cores run BFD with every node (sessions need `bfd: {}` in their spec to match). */
  bfd?: boolean;
}

export async function startOperatorBed(
  routerKinds: ('frr' | 'bird')[] = ['frr', 'frr'],
  opts: OperatorBedOptions = {},
): Promise<OperatorBed> {
  const nodes = ['bng1', 'bng2', 'bng3'];
  const routers = coreRouters(routerKinds, nodes.length, opts.ipv6).map((r) => ({
    ...r,
    originate: opts.originate?.[r.name] ?? r.originate,
    neighbors: r.neighbors.map((n) => ({
      ...n,
      ...(opts.md5 ? { password: opts.md5 } : {}),
      ...(opts.bfd ? { bfd: true } : {}),
    })),
  }));
  const topo = await buildTopology({ nodes: nodes.length, routers });
  const cp = await startControlPlane({ address: topo.managementAddress }).catch(async (err: unknown) => {
    await topo.destroy();
    throw err;
  });
  const apply = (yaml: string) => cp.kubectl(['apply', '-f', '-'], yaml);
  await cp.kubectl(['apply', '--server-side', '-k', `${REPO}config/crd`]);
  await cp.kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all']);
  await cp.kubectl(['create', 'namespace', 'bng-bgp']);
  // The agents run as the DaemonSet's ServiceAccount with config/rbac: every bench test also proves
  // the least-privilege RBAC is enough.
  await cp.kubectl(['apply', '-k', `${REPO}config/rbac`]);
  const agentKubeconfig = cp.kubeconfigFor(
    (await cp.kubectl(['create', 'token', 'bng-bgp', '-n', 'bng-bgp', '--duration=24h'])).trim(),
    'agent',
  );
  for (const n of topo.nodes) {
    await apply(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: n.name, labels: { 'kubernetes.io/hostname': n.name, 'bgp.bng-edge.io/site': 'a' } },
      }),
    );
    // Nodes here have no kubelet: the test sets the address a kubelet would report.
    await cp.kubectl([
      'patch',
      'node',
      n.name,
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({ status: { addresses: [{ type: 'InternalIP', address: n.lan.ipv4 }] } }),
    ]);
  }
  const agents = new Map<string, Daemon>();
  const startAgent = (name: string): Daemon => {
    const node = topo.node(name);
    const agent = startDaemon({
      name: `${name}/agent`,
      netns: node.netns,
      command: process.execPath,
      args: [
        ...(process.env.AGENT_NODE_FLAGS?.split(' ') ?? AGENT_NODE_FLAGS),
        MAIN,
        'run',
        '--node-name',
        name,
        '--kubeconfig',
        agentKubeconfig,
        '--gobgp',
        node.gobgpd!.target,
        '--lease-duration',
        '6',
      ],
      logFile: `${node.dir}/agent.log`,
    });
    agents.set(name, agent);
    return agent;
  };
  for (const n of nodes) startAgent(n);
  const gobgp = new Map(topo.nodes.map((n) => [n.name, new GobgpClient(n.gobgpd!.target)]));
  const bngAgents = new Map<string, Daemon>();
  return {
    topo,
    cp,
    agents,
    gobgp,
    startAgent,
    bngAgents,
    async startBngAgent(name, state) {
      const daemon = await startBngAgent(topo.node(name), state);
      bngAgents.set(name, daemon);
      return daemon;
    },
    apply,
    getJson: async <T>(args: string[]) => JSON.parse(await cp.kubectl([...args, '-o', 'json'])) as T,
    async stop() {
      for (const a of [...agents.values(), ...bngAgents.values()]) await a.stop();
      for (const c of gobgp.values()) c.close();
      await cp.stop();
      await topo.destroy();
    },
  };
}
