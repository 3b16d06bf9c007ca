// What the fault cases do to the bench and what they watch while it happens: a cut that neither
// end sees as a carrier loss, background sampling, kernel route events and session resets.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { frrNeighbor, ip } from '../bed/index.ts';
import type { OperatorBed } from '../bed/operator.ts';
import { CORES, NODES, nodeAddress, type CoreName } from './site.ts';

/**
 * Stops (or resumes) forwarding to the core's port of the LAN switch. Both ends keep carrier, as
 * when a fibre breaks beyond a switch: only BFD (or the hold timer) can notice.
 */
export async function cutCore(bed: OperatorBed, core: CoreName, cut: boolean): Promise<void> {
  const [link] = JSON.parse(await ip(['-j', 'link', 'show', 'lan0'], bed.topo.router(core).netns)) as {
    link_index: number;
  }[];
  const lan = `${bed.topo.id}-lan`;
  const ports = JSON.parse(await ip(['-j', 'link', 'show'], lan)) as { ifindex: number; ifname: string }[];
  const port = ports.find((p) => p.ifindex === link?.link_index)?.ifname;
  if (!port) throw new Error(`no LAN switch port for ${core}`);
  // Out of the bridge, the port still has carrier but forwards nothing.
  await ip(['link', 'set', 'dev', port, ...(cut ? ['nomaster'] : ['master', 'br0'])], lan);
}

/** Calls `probe` every `everyMs` until stopped; returns each value that differed from the one before. */
export function sample<T>(probe: () => Promise<T>, everyMs = 100): { stop(): Promise<T[]> } {
  const seen: T[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const value = await probe();
      if (JSON.stringify(seen.at(-1)) !== JSON.stringify(value)) seen.push(value);
      await sleep(everyMs);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return seen;
    },
  };
}

/** Route changes the kernel of `netns` announces while this runs (`ip monitor route`), for `table`. */
export function routeEvents(netns: string, table: number): { stop(): Promise<string[]> } {
  const child = spawn('ip', ['-n', netns, 'monitor', 'route'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return {
    async stop() {
      await sleep(200); // late events of the window still arrive
      child.kill();
      await new Promise((r) => child.once('exit', r));
      return out.split('\n').filter((l) => l.includes(`table ${table}`));
    },
  };
}

/**
 * How often each node's session with each core has been established, as the cores count it: a
 * session reset anywhere raises one of these.
 */
export async function sessionCounts(bed: OperatorBed): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const core of Object.keys(CORES) as CoreName[])
    for (const node of NODES) {
      const n = await frrNeighbor(bed.topo.router(core), nodeAddress(node));
      counts[`${core}<-${node}`] = n.connectionsEstablished ?? -1;
    }
  return counts;
}

/** Whether every node's agent answers /readyz with 200. */
export async function agentReady(bed: OperatorBed, node: string): Promise<true | undefined> {
  const res = await fetch(`http://${bed.topo.node(node).management.ipv4}:9179/readyz`).catch(() => undefined);
  return res?.ok ? true : undefined;
}

/** The sum of every agent's `bngbgp_reconcile_total{outcome="error"}` samples. */
export async function reconcileErrors(bed: OperatorBed): Promise<number> {
  let sum = 0;
  for (const node of NODES) {
    const res = await fetch(`http://${bed.topo.node(node).management.ipv4}:9179/metrics`);
    for (const line of (await res.text()).split('\n'))
      if (line.startsWith('bngbgp_reconcile_total{') && line.includes('outcome="error"'))
        sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** Whether each core has an Up BFD session with every node (detection in 0.9 s, not the hold time). */
export async function bfdUp(bed: OperatorBed): Promise<true | undefined> {
  for (const core of Object.keys(CORES) as CoreName[]) {
    const peers = JSON.parse(await bed.topo.router(core).cli('show bfd peers json')) as {
      peer: string;
      status: string;
    }[];
    for (const node of NODES)
      if (!peers.some((p) => p.peer === nodeAddress(node) && p.status === 'up')) return undefined;
  }
  return true;
}
