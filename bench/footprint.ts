// Footprint at rest: once a site has settled (no bgp object written for a while), RSS and CPU of
// every agent and, for scale, every gobgpd over one window, and the API writes in that window
// (target 0 for bgp objects: issue 5's settle rule, issue 9's "API writes per minute once
// settled"). Events and the leader Lease's renewals are counted beside them: the Lease is
// written every retry period by design, so it is reported, not judged.
import { setTimeout as sleep } from 'node:timers/promises';
import type { OperatorBed } from '../test/bed/operator.ts';
import { waitFor } from '../test/bed/wait.ts';
import { bgpWriteRequests, requestsBetween, total, type ApiWatch } from './api-watch.ts';
import type { KubeHttp } from './kube-http.ts';
import { cpuPercent, procSample, type ProcSample } from './observe.ts';

export interface ProcessFootprint {
  name: string;
  rssMB: number;
  peakRssMB: number;
  /** Average over the window, % of one core. */
  cpuPct: number;
}

export interface WindowWrites {
  windowMs: number;
  /** Write requests for bgp objects the apiserver served, changed anything or not. */
  requests: number;
  /** Those requests by resource and verb, most first. */
  requestKinds: string[];
  /** bgp objects changed (watch events). */
  bgp: number;
  events: number;
  leases: number;
  /** The bgp objects that were written, most first. */
  rewritten: string[];
}

/** Reconcile passes an agent made in a window, by "controller/key": how busy "at rest" is. */
export type Passes = Record<string, { count: number; seconds: number }>;

export interface IdleFootprint {
  processes: ProcessFootprint[];
  writes: WindowWrites;
  passes: Record<string, Passes>;
  /** How long the site took to go quiet before the window. */
  settleMs: number;
}

/** Per minute, from a count over a window. */
export const perMinute = (n: number, windowMs: number) => (n * 60_000) / windowMs;

/**
 * Waits until no bgp object has been written, and no write request for one has been made (an
 * unchanged server-side apply writes nothing but is still a request), for `quietMs`; returns how
 * long that took.
 */
export async function settle(
  watch: ApiWatch,
  kube: KubeHttp,
  quietMs: number,
  timeoutMs: number,
): Promise<number> {
  const started = performance.now();
  let seen = -1;
  let since = started;
  await waitFor(
    `no bgp object written and no write request for ${quietMs / 1000} s`,
    async () => {
      const now = performance.now();
      const writes = watch.bgpWrites() + total(await bgpWriteRequests(kube));
      if (writes !== seen) {
        seen = writes;
        since = now;
      }
      return now - since >= quietMs ? true : undefined;
    },
    { timeoutMs, intervalMs: 2000 },
  );
  return performance.now() - started - quietMs;
}

/** The agent and gobgpd of every node, by name ("bng1 agent", "bng1 gobgpd"). */
export function nodeProcesses(bed: OperatorBed): { name: string; pid: number }[] {
  return bed.topo.nodes.flatMap((n) => [
    { name: `${n.name} agent`, pid: bed.agents.get(n.name)!.pid },
    ...(n.gobgpd ? [{ name: `${n.name} gobgpd`, pid: n.gobgpd.daemon.pid }] : []),
  ]);
}

/** An agent's reconcile counters from its /metrics (bngbgp_reconcile_duration_seconds sum and count). */
async function reconcileTotals(bed: OperatorBed, node: string): Promise<Passes> {
  const url = `http://${bed.topo.node(node).management.ipv4}:9179/metrics`;
  const text = await (await fetch(url)).text();
  const out: Passes = {};
  const re = /^bngbgp_reconcile_duration_seconds_(sum|count)\{controller="([^"]+)",key="([^"]+)"\} (\S+)$/gm;
  for (const m of text.matchAll(re)) {
    const entry = (out[`${m[2]}/${m[3]}`] ??= { count: 0, seconds: 0 });
    if (m[1] === 'count') entry.count = Number(m[4]);
    else entry.seconds = Number(m[4]);
  }
  return out;
}

/** What happened between two readings of the counters; keys without a pass are left out. */
function passesBetween(before: Passes, after: Passes): Passes {
  const out: Passes = {};
  for (const [key, a] of Object.entries(after)) {
    const count = a.count - (before[key]?.count ?? 0);
    if (count > 0) out[key] = { count, seconds: a.seconds - (before[key]?.seconds ?? 0) };
  }
  return out;
}

/**
 * Samples `processes`, counts API writes and each agent's reconcile passes over `windowMs` (a
 * measurement window, not a wait).
 */
export async function measureWindow(
  bed: OperatorBed,
  watch: ApiWatch,
  kube: KubeHttp,
  windowMs: number,
): Promise<{ processes: ProcessFootprint[]; writes: WindowWrites; passes: Record<string, Passes> }> {
  const processes = nodeProcesses(bed);
  const nodes = bed.topo.nodes.map((n) => n.name);
  const passesBefore = await Promise.all(nodes.map((n) => reconcileTotals(bed, n)));
  const before = new Map<string, ProcSample>(processes.map((p) => [p.name, procSample(p.pid)]));
  const requestsBefore = await bgpWriteRequests(kube);
  watch.reset();
  await sleep(windowMs);
  const requestsAfter = await bgpWriteRequests(kube);
  const passesAfter = await Promise.all(nodes.map((n) => reconcileTotals(bed, n)));
  const passes = Object.fromEntries(
    nodes.map((n, i) => [n, passesBetween(passesBefore[i]!, passesAfter[i]!)]),
  );
  const counts = watch.counts();
  const writes: WindowWrites = {
    windowMs,
    requests: total(requestsAfter) - total(requestsBefore),
    requestKinds: requestsBetween(requestsBefore, requestsAfter),
    bgp: watch.bgpWrites(),
    events: counts.get('events') ?? 0,
    leases: counts.get('leases') ?? 0,
    rewritten: watch.rewritten(),
  };
  return {
    processes: processes.map((p) => {
      const after = procSample(p.pid);
      return {
        name: p.name,
        rssMB: after.rssMB,
        peakRssMB: after.peakRssMB,
        cpuPct: cpuPercent(before.get(p.name)!, after),
      };
    }),
    writes,
    passes,
  };
}

/** Settles the site, then one window over every node's agent and gobgpd. */
export async function idleFootprint(
  bed: OperatorBed,
  watch: ApiWatch,
  kube: KubeHttp,
  windowMs: number,
  log: (s: string) => void,
): Promise<IdleFootprint> {
  log('footprint: waiting until no bgp write request and no object change for 15 s ...');
  const settleMs = await settle(watch, kube, 15_000, 300_000);
  log(
    `footprint: settled after ${(settleMs / 1000).toFixed(1)} s (plus the 15 s); measuring ${windowMs / 1000} s at rest ...`,
  );
  const window = await measureWindow(bed, watch, kube, windowMs);
  for (const p of window.processes)
    log(`footprint: ${p.name}: RSS ${p.rssMB} MB, CPU ${p.cpuPct.toFixed(2)} % of a core`);
  log(`footprint: reconcile passes in the window: ${describePasses(window.passes)}`);
  log(
    `footprint: in the window: write requests ${window.writes.requests} ${window.writes.requestKinds.join(', ')}; objects changed ${window.writes.bgp} ${window.writes.rewritten.join(', ')}; events ${window.writes.events}; leases ${window.writes.leases}`,
  );
  return { ...window, settleMs };
}

/** "bng1: leader/status 6 x 12 ms, node/node 2 x 30 ms; bng2: ..." */
export function describePasses(passes: Record<string, Passes>): string {
  return Object.entries(passes)
    .map(
      ([node, p]) =>
        `${node}: ${
          Object.entries(p)
            .map(([k, v]) => `${k} ${v.count} x ${Math.round((1000 * v.seconds) / v.count)} ms`)
            .join(', ') || 'none'
        }`,
    )
    .join('; ');
}
