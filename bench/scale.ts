// Control plane scale on a real apiserver with the three real agents: a peering policy over many
// BGPEndpoints (3 of them the bed's nodes, the rest external speakers at addresses no node
// namespace has a route to, so they never answer and nothing leaves the bed), timed from the
// policy's creation until its sessions exist, its status counts them, every session has a state
// and every node has configured its peers in gobgpd. Once settled: API writes over a window
// (target 0) and the agents' RSS and CPU at that size. Reference in the same run, just before: the
// same number of BGPSession objects created by one `kubectl apply --server-side` (one request per
// object, as the leader makes them: the apiserver's own write floor on this machine).
import { startOperatorBed, type OperatorBed } from '../test/bed/operator.ts';
import { waitFor } from '../test/bed/wait.ts';
import { ApiWatch, bgpWriteRequests, requestsBetween } from './api-watch.ts';
import {
  describePasses,
  measureWindow,
  settle,
  type Passes,
  type ProcessFootprint,
  type WindowWrites,
} from './footprint.ts';
import { GROUP_PATH, KubeHttp, type KubeObject } from './kube-http.ts';

export type LayoutKind = 'mesh' | 'route-reflector';

export interface LayoutResult {
  kind: LayoutKind;
  endpoints: number;
  sessions: number;
  /** `kubectl apply --server-side` of as many BGPSessions: the reference. */
  referenceMs: number;
  /** Policy created -> the milestones below, first seen. */
  createdMs: number;
  generatedMs: number;
  reportedMs: number;
  nodesMs: number;
  settleMs: number;
  leader: string;
  window: { processes: ProcessFootprint[]; writes: WindowWrites; passes: Record<string, Passes> };
  /** Write requests for bgp objects from the policy's creation until settled, by kind, most first. */
  requests: string[];
  /** Policy deleted -> none of its sessions left. */
  deleteMs: number;
}

const POLICY_LABEL = 'bgp.bng-edge.io/peering-policy';
const NODES = ['bng1', 'bng2', 'bng3'];

/** The endpoints of a layout: bng1..3 (bng1 and bng2 reflectors), then external speakers. */
function endpoints(kind: LayoutKind, count: number): KubeObject[] {
  return Array.from({ length: count }, (_v, i) => {
    const node = NODES[i];
    const x = i - NODES.length;
    return {
      apiVersion: 'bgp.bng-edge.io/v1alpha1',
      kind: 'BGPEndpoint',
      metadata: {
        name: node ?? `ext-${x}`,
        labels: { 'bench-layout': kind, ...(i < 2 ? { rr: 'true' } : {}) },
      },
      spec: node
        ? { address: `10.100.0.${11 + i}`, asNumber: 64512, nodeName: node }
        : { address: `10.200.${Math.floor(x / 250)}.${(x % 250) + 1}`, asNumber: 64512 },
    };
  });
}

/** Sessions the policy generates, and how many peers each node's gobgpd then has. */
function expected(kind: LayoutKind, count: number): { sessions: number; peers: Record<string, number> } {
  if (kind === 'mesh')
    return {
      sessions: (count * (count - 1)) / 2,
      peers: { bng1: count - 1, bng2: count - 1, bng3: count - 1 },
    };
  const clients = count - 2;
  return { sessions: 1 + 2 * clients, peers: { bng1: clients + 1, bng2: clients + 1, bng3: 2 } };
}

function policy(kind: LayoutKind): KubeObject {
  return {
    apiVersion: 'bgp.bng-edge.io/v1alpha1',
    kind: 'BGPPeeringPolicy',
    metadata: { name: `bench-${kind}` },
    spec: {
      mode: kind,
      selector: { matchLabels: { 'bench-layout': kind } },
      ...(kind === 'route-reflector'
        ? {
            routeReflectorConfig: {
              reflectorSelector: { matchLabels: { rr: 'true' } },
              clusterID: '10.0.0.1',
            },
          }
        : {}),
    },
  } as KubeObject;
}

const toYaml = (objects: KubeObject[]) => objects.map((o) => JSON.stringify(o)).join('\n---\n');

async function deleteAll(kube: KubeHttp, watch: ApiWatch, plural: string, selector: string): Promise<void> {
  await kube.call('DELETE', `${GROUP_PATH}/${plural}?labelSelector=${encodeURIComponent(selector)}`);
  const [key, value] = selector.split('=');
  await waitFor(
    `no ${plural} with ${selector} left`,
    () => (watch.list(plural).some((o) => o.metadata.labels?.[key!] === value) ? undefined : true),
    { timeoutMs: 600_000, intervalMs: 250 },
  );
}

/** The reference: `count` BGPSessions between two endpoints that do not exist (no node configures them). */
async function reference(bed: OperatorBed, kube: KubeHttp, watch: ApiWatch, count: number): Promise<number> {
  const sessions = Array.from({ length: count }, (_v, i) => ({
    apiVersion: 'bgp.bng-edge.io/v1alpha1',
    kind: 'BGPSession',
    metadata: { name: `ref-${i}`, labels: { 'bench-ref': 'yes' } },
    spec: { localEndpoint: 'ref-a', remoteEndpoint: 'ref-b' },
  }));
  const t0 = performance.now();
  await bed.cp.kubectl(['apply', '--server-side', '--field-manager=bench', '-f', '-'], toYaml(sessions));
  const ms = performance.now() - t0;
  await deleteAll(kube, watch, 'bgpsessions', 'bench-ref=yes');
  return ms;
}

async function layout(
  bed: OperatorBed,
  kube: KubeHttp,
  watch: ApiWatch,
  kind: LayoutKind,
  count: number,
  windowMs: number,
  log: (s: string) => void,
): Promise<LayoutResult> {
  const want = expected(kind, count);
  log(`scale ${kind}: reference: kubectl apply of ${want.sessions} BGPSessions ...`);
  const referenceMs = await reference(bed, kube, watch, want.sessions);
  log(`scale ${kind}: reference ${(referenceMs / 1000).toFixed(1)} s; applying ${count} endpoints ...`);
  await bed.cp.kubectl(
    ['apply', '--server-side', '--field-manager=bench', '-f', '-'],
    toYaml(endpoints(kind, count)),
  );
  await settle(watch, kube, 10_000, 600_000);
  const name = `bench-${kind}`;
  const requestsBefore = await bgpWriteRequests(kube);
  const t0 = performance.now();
  await kube.call('POST', `${GROUP_PATH}/bgppeeringpolicies`, policy(kind));
  const at: Record<'created' | 'generated' | 'reported' | 'nodes', number> = {
    created: 0,
    generated: 0,
    reported: 0,
    nodes: 0,
  };
  let lastLog = t0;
  await waitFor(
    `${want.sessions} sessions of ${name} created, counted, reported and configured on the nodes`,
    () => {
      const now = performance.now() - t0;
      const sessions = watch.list('bgpsessions').filter((s) => s.metadata.labels?.[POLICY_LABEL] === name);
      const reported = sessions.filter((s) => s.status?.sessionState).length;
      const generated = Number(watch.get('bgppeeringpolicies', name)?.status?.generatedSessions ?? 0);
      const peers = NODES.map(
        (n) => ((watch.get('bgpnodestates', n)?.status?.peers as unknown[]) ?? []).length,
      );
      if (!at.created && sessions.length === want.sessions) at.created = now;
      if (!at.generated && generated === want.sessions) at.generated = now;
      if (!at.reported && reported === want.sessions) at.reported = now;
      if (!at.nodes && NODES.every((n, i) => peers[i] === want.peers[n])) at.nodes = now;
      if (performance.now() - lastLog > 15_000) {
        lastLog = performance.now();
        log(
          `scale ${kind}: ${(now / 1000).toFixed(0)} s: ${sessions.length} sessions, policy counts ${generated}, ${reported} with a state, node peers ${peers.join('/')}`,
        );
      }
      return Object.values(at).every(Boolean) ? true : undefined;
    },
    { timeoutMs: 1_800_000, intervalMs: 250 },
  );
  log(
    `scale ${kind}: created ${(at.created / 1000).toFixed(1)} s, counted ${(at.generated / 1000).toFixed(1)} s, all reported ${(at.reported / 1000).toFixed(1)} s, nodes configured ${(at.nodes / 1000).toFixed(1)} s`,
  );
  const settleMs = await settle(watch, kube, 15_000, 1_800_000);
  const requests = requestsBetween(requestsBefore, await bgpWriteRequests(kube));
  log(`scale ${kind}: write requests from the policy's creation until settled: ${requests.join(', ')}`);
  const lease = await kube.call<{ spec: { holderIdentity?: string } }>(
    'GET',
    '/apis/coordination.k8s.io/v1/namespaces/bng-bgp/leases/bng-bgp-leader',
  );
  const leader = lease.spec.holderIdentity ?? '';
  log(
    `scale ${kind}: settled after ${(settleMs / 1000).toFixed(1)} s (leader ${leader}); measuring ${windowMs / 1000} s at rest ...`,
  );
  const window = await measureWindow(bed, watch, kube, windowMs);
  log(`scale ${kind}: reconcile passes in the window: ${describePasses(window.passes)}`);
  log(
    `scale ${kind}: in the window: write requests ${window.writes.requests} ${window.writes.requestKinds.join(', ')}; objects changed ${window.writes.bgp} ${window.writes.rewritten.join(', ')}; events ${window.writes.events}; leases ${window.writes.leases}`,
  );
  for (const p of window.processes)
    log(`scale ${kind}: ${p.name}: RSS ${p.rssMB} MB (peak ${p.peakRssMB}), CPU ${p.cpuPct.toFixed(1)} %`);
  const d0 = performance.now();
  await kube.call('DELETE', `${GROUP_PATH}/bgppeeringpolicies/${name}`);
  await waitFor(
    `no session of ${name} left`,
    () =>
      watch.list('bgpsessions').some((s) => s.metadata.labels?.[POLICY_LABEL] === name) ? undefined : true,
    { timeoutMs: 1_800_000, intervalMs: 250 },
  );
  const deleteMs = performance.now() - d0;
  log(
    `scale ${kind}: policy deleted -> sessions gone in ${(deleteMs / 1000).toFixed(1)} s; removing the endpoints ...`,
  );
  await deleteAll(kube, watch, 'bgpendpoints', `bench-layout=${kind}`);
  return {
    kind,
    endpoints: count,
    sessions: want.sessions,
    referenceMs,
    createdMs: at.created,
    generatedMs: at.generated,
    reportedMs: at.reported,
    nodesMs: at.nodes,
    settleMs,
    requests,
    leader,
    window,
    deleteMs,
  };
}

export async function benchScale(
  layouts: { kind: LayoutKind; endpoints: number }[],
  windowMs: number,
  log: (s: string) => void,
): Promise<LayoutResult[]> {
  log('scale: starting the bed (3 nodes with agents, no cores) ...');
  const bed = await startOperatorBed([]);
  let watch: ApiWatch | undefined;
  try {
    const kube = new KubeHttp(bed.cp.kubeconfigPath);
    watch = await ApiWatch.start(kube);
    await bed.apply(`
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPConfiguration
metadata: { name: site-a }
spec: { asNumber: 64512, nodeSelector: { matchLabels: { bgp.bng-edge.io/site: a } }, fib: { table: 1000 } }`);
    // The leader writes readyNodes: once it says 3, a leader runs and every speaker is up.
    await waitFor(
      'site-a reporting 3 node speakers ready',
      () => (watch!.get('bgpconfigurations', 'site-a')?.status?.readyNodes === 3 ? true : undefined),
      { timeoutMs: 180_000 },
    );
    const results: LayoutResult[] = [];
    for (const l of layouts) results.push(await layout(bed, kube, watch, l.kind, l.endpoints, windowMs, log));
    return results;
  } finally {
    watch?.stop();
    await bed.stop();
  }
}
