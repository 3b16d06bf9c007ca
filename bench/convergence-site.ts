// The small site the convergence and footprint benchmarks run on: three BNG nodes, each with one
// pool served by its test BNG agent, peered with both FRR cores by an upstream policy with BFD;
// learned routes in table 1000. Started, applied and waited for until every part a benchmark
// observes is up: pools at core1, core routes in bng1's FIB, BFD Up on bng1's core sessions.
import { setAgentState, type AgentState } from '../test/bed/bng.ts';
import { coreEndpoints, nodeEndpoints, startOperatorBed, type OperatorBed } from '../test/bed/operator.ts';
import { kernelRoutes } from '../test/bed/netns.ts';
import { waitFor } from '../test/bed/wait.ts';
import { ApiWatch } from './api-watch.ts';
import { KubeHttp } from './kube-http.ts';
import { LinkMonitor, RibMonitor, RouteMonitor } from './observe.ts';

export const FIB_TABLE = 1000;
export const POLL_MS = 500;
export const FAILURE_THRESHOLD = 4;
export const NODES = ['bng1', 'bng2', 'bng3'] as const;
/** What core1 originates: the route bng1 must drop from its FIB when core1's link is cut. */
export const CORE1_PREFIX = '198.51.100.0/24';

export const pool = (id: string, cidr: string) => ({ id, cidr, role: 'production', sharing: 'exclusive' });

/** Each node's BNG serves one exclusive pool: 100.64.N.0/24. */
export const baseState = (i: number): AgentState => ({
  nodeId: `olt-${i + 1}`,
  pools: [pool(`base-${i + 1}`, `100.64.${i + 1}.0/24`)],
});

const SITE = `
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPConfiguration
metadata: { name: site-a }
spec:
  asNumber: 64512
  nodeSelector: { matchLabels: { bgp.bng-edge.io/site: a } }
  fib: { table: ${FIB_TABLE} }
  bngPools: { source: Agent, agent: { intervalMs: ${POLL_MS}, failureThreshold: ${FAILURE_THRESHOLD} } }
---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPPeeringPolicy
metadata: { name: to-core }
spec:
  mode: upstream
  selector: { matchLabels: { role: bng } }
  upstreamConfig: { peerSelector: { matchLabels: { role: pe } } }
  sessionTemplate: { connectRetryTime: 1, bfd: {} }
---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPAdvertisement
metadata: { name: subscriber-pools }
spec: { pools: {} }
${nodeEndpoints()}
${coreEndpoints()}
`;

export interface Site {
  bed: OperatorBed;
  kube: KubeHttp;
  watch: ApiWatch;
  /** core1's kernel table as zebra installs FRR's best paths (proto bgp, 186). */
  core1: RouteMonitor;
  /** core1's links: the moment its LAN link went down. */
  core1Link: LinkMonitor;
  /** bng1's routes of protocol 196 (what the agent installs). */
  bng1Fib: RouteMonitor;
  /** bng1's gobgpd best paths. */
  bng1Rib: RibMonitor;
  stop(): Promise<void>;
}

/** BFD state of bng1's session with core1 as gobgpd reports it ("BFD_SESSION_STATE_UP"). */
export async function bng1Core1(bed: OperatorBed): Promise<{ bgp: string; bfd: string }> {
  const [peer] = await bed.gobgp.get('bng1')!.listPeers('10.100.0.1');
  return { bgp: peer?.state?.sessionState ?? '', bfd: peer?.state?.bfdState?.sessionState ?? '' };
}

export async function startSite(log: (s: string) => void): Promise<Site> {
  log('convergence: starting the bed (3 nodes, 2 FRR cores with BFD) ...');
  const bed = await startOperatorBed(['frr', 'frr'], { bfd: true });
  const monitors: { stop(): void }[] = [];
  try {
    const core1 = new RouteMonitor(bed.topo.router('core1').netns, (l) => l.includes('proto 186'));
    const core1Link = new LinkMonitor(bed.topo.router('core1').netns);
    const bng1Fib = new RouteMonitor(bed.topo.node('bng1').netns, (l) => l.includes('proto 196'));
    const bng1Rib = new RibMonitor(bed.gobgp.get('bng1')!);
    monitors.push(core1, core1Link, bng1Fib, bng1Rib);
    for (const [i, n] of NODES.entries()) await bed.startBngAgent(n, baseState(i));
    const kube = new KubeHttp(bed.cp.kubeconfigPath);
    const watch = await ApiWatch.start(kube);
    monitors.push(watch);
    await bed.apply(SITE);
    log('convergence: site applied; waiting for pools at core1, core routes in FIB, BFD up ...');
    const core1Ns = bed.topo.router('core1').netns;
    await waitFor(
      'the three pools in core1 kernel table',
      async () => {
        const have = new Set((await kernelRoutes(core1Ns)).map((r) => r.dst));
        return NODES.every((_n, i) => have.has(`100.64.${i + 1}.0/24`)) ? true : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 500 },
    );
    await waitFor(
      "both cores' prefixes in bng1's FIB",
      async () => {
        const routes = await kernelRoutes(bed.topo.node('bng1').netns, { table: FIB_TABLE, protocol: 196 });
        const have = new Set(routes.map((r) => r.dst));
        return have.has(CORE1_PREFIX) && have.has('198.51.101.0/24') ? true : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    await waitFor(
      'BFD Up on bng1-core1',
      async () => ((await bng1Core1(bed)).bfd === 'BFD_SESSION_STATE_UP' ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    // The monitors saw the pools arrive: they were listening before the first trial.
    if (core1.events.length === 0 || bng1Fib.events.length === 0)
      throw new Error('route monitors saw nothing while the site converged');
    return {
      bed,
      kube,
      watch,
      core1,
      core1Link,
      bng1Fib,
      bng1Rib,
      async stop() {
        for (const m of monitors) m.stop();
        await bed.stop();
      },
    };
  } catch (err) {
    for (const m of monitors) m.stop();
    await bed.stop();
    throw err;
  }
}

/** Puts bng1's BNG back to its one pool. */
export function resetBng1(site: Site): void {
  setAgentState(site.bed.topo.node('bng1'), baseState(0));
}
