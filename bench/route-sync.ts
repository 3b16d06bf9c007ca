// Route sync benchmarks, each side by side with its reference in the same run:
//   writer:     1,000,000 IPv4 /24 routes into an empty namespace table, route sync's writer vs `ip -batch`
//   end to end: BIRD sends 1,000,000 prefixes to bng1: when GoBGP's RIB is complete vs when the FIB is
//               (the agent's own count, then the kernel's), and the agent's peak RSS
import { readFileSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { BED_PREFIX } from '../test/bed/ledger.ts';
import { createNetns, destroy, ip } from '../test/bed/netns.ts';
import { bng1Core1Session, startOperatorBed } from '../test/bed/operator.ts';
import { waitFor } from '../test/bed/wait.ts';
import { metricValue } from '../test/support/metrics.ts';
import { nthPrefix } from './prefixes.ts';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('./fib-writer.ts', import.meta.url));
const seconds = (ms: number) => (ms / 1000).toFixed(2);

export interface WriterResult {
  routes: number;
  ipBatchMs: number;
  oursMs: number;
  readMs: number;
  resyncMs: number;
  resyncWrites: number;
  childPeakRssMB: number;
}

/** A namespace with a veth up on 10.255.0.1/24: routes via 10.255.0.2 are valid. */
async function benchNamespace() {
  const entry = await createNetns(`${BED_PREFIX}${randomBytes(2).toString('hex')}-fib`);
  const ns = entry.kind === 'netns' ? entry.name : '';
  await ip(['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], ns);
  await ip(['link', 'set', 'v0', 'up'], ns);
  await ip(['link', 'set', 'v1', 'up'], ns);
  await ip(['addr', 'add', '10.255.0.1/24', 'dev', 'v0'], ns);
  return { ns, entry };
}

export async function benchWriter(routes: number, log: (s: string) => void): Promise<WriterResult> {
  const batchFile = `/tmp/${BED_PREFIX}-ip-batch-${process.pid}`;
  const lines: string[] = [];
  for (let i = 0; i < routes; i++)
    lines.push(`route add ${nthPrefix(i)} via 10.255.0.2 proto 196 table 100 metric 20`);
  writeFileSync(batchFile, `${lines.join('\n')}\n`);
  const a = await benchNamespace();
  const b = await benchNamespace();
  try {
    log(`writer: ip -batch, ${routes} routes ...`);
    let t = performance.now();
    await run('ip', ['-n', a.ns, '-batch', batchFile], { maxBuffer: 1 << 26 });
    const ipBatchMs = performance.now() - t;
    log(`writer: ip -batch ${seconds(ipBatchMs)} s; route sync's writer ...`);
    t = performance.now();
    const { stdout } = await run(
      'ip',
      ['netns', 'exec', b.ns, process.execPath, CHILD, String(routes), '100', '10.255.0.2'],
      { maxBuffer: 1 << 20 },
    );
    const child = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
      writeMs: number;
      failures: number;
      readBack: number;
      readMs: number;
      resyncMs: number;
      resyncWrites: number;
      peakRssMB: number;
    };
    if (child.failures !== 0 || child.readBack !== routes) throw new Error(`writer run wrong: ${stdout}`);
    log(`writer: ours ${seconds(child.writeMs)} s (process ${seconds(performance.now() - t)} s)`);
    return {
      routes,
      ipBatchMs,
      oursMs: child.writeMs,
      readMs: child.readMs,
      resyncMs: child.resyncMs,
      resyncWrites: child.resyncWrites,
      childPeakRssMB: child.peakRssMB,
    };
  } finally {
    destroy(a.entry);
    destroy(b.entry);
    await run('rm', ['-f', batchFile]);
  }
}

export interface EndToEndResult {
  routes: number;
  ribMs: number;
  fibMs: number;
  kernelMs: number;
  agentPeakRssMB: number;
  agentRssMB: number;
  gobgpdPeakRssMB: number;
}

/** A memory figure of a process from /proc/<pid>/status, in MB. */
const procStatus = (pid: number, field: 'VmHWM' | 'VmRSS'): number => {
  const kb = Number(
    new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0,
  );
  return Math.round(kb / 1024);
};

export async function benchEndToEnd(routes: number, log: (s: string) => void): Promise<EndToEndResult> {
  log(`end to end: starting the bench with BIRD originating ${routes} prefixes ...`);
  const prefixes = Array.from({ length: routes }, (_v, i) => nthPrefix(i));
  const bed = await startOperatorBed(['bird'], { originate: { core1: prefixes } });
  try {
    const node = bed.topo.node('bng1');
    const gobgp = bed.gobgp.get('bng1')!;
    await bed.apply(`
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPConfiguration
metadata: { name: site-a }
spec: { asNumber: 64512, fib: { table: 1000 } }
---
${bng1Core1Session()}`);
    await waitFor(
      'bng1 and core1 Established',
      async () => {
        const [peer] = await gobgp.listPeers('10.100.0.1');
        return peer?.state?.sessionState === 'SESSION_STATE_ESTABLISHED' ? true : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 100 },
    );
    const t0 = performance.now();
    log('end to end: session Established; waiting for the RIB and the FIB ...');
    const metricsUrl = `http://${node.management.ipv4}:9179/metrics`;
    let ribMs = 0;
    let fibMs = 0;
    let lastLog = 0;
    await waitFor(
      `${routes} routes in GoBGP's RIB and in the agent's FIB count`,
      async () => {
        const now = performance.now() - t0;
        const rib = (await gobgp.getTable('ipv4-unicast')).destinations;
        const text = await (await fetch(metricsUrl)).text();
        const fib = metricValue(text, 'bngbgp_fib_routes{family="ipv4"}') ?? 0;
        if (!ribMs && rib >= routes) ribMs = now;
        if (!fibMs && fib >= routes) fibMs = now;
        if (now - lastLog > 5000) {
          lastLog = now;
          log(`end to end: ${seconds(now)} s: RIB ${rib}, FIB ${fib}`);
        }
        return ribMs && fibMs ? true : undefined;
      },
      { timeoutMs: 600_000, intervalMs: 100 },
    );
    const { stdout } = await run('ip', ['-n', node.netns, 'route', 'show', 'table', '1000', 'proto', '196'], {
      maxBuffer: 1 << 28,
    });
    const inKernel = stdout.split('\n').filter(Boolean).length;
    const kernelMs = performance.now() - t0;
    if (inKernel !== routes) throw new Error(`kernel holds ${inKernel} routes of ours, expected ${routes}`);
    const agentPid = bed.agents.get('bng1')!.pid;
    const finalMetrics = await (await fetch(metricsUrl)).text();
    const mb = (name: string) => Math.round((metricValue(finalMetrics, name) ?? 0) / 2 ** 20);
    log(
      `end to end: agent heap used ${mb('bngbgp_nodejs_heap_size_used_bytes')} MB of ${mb('bngbgp_nodejs_heap_size_total_bytes')} MB, external ${mb('bngbgp_nodejs_external_memory_bytes')} MB`,
    );
    return {
      routes,
      ribMs,
      fibMs,
      kernelMs,
      agentPeakRssMB: procStatus(agentPid, 'VmHWM'),
      agentRssMB: procStatus(agentPid, 'VmRSS'),
      gobgpdPeakRssMB: node.gobgpd ? procStatus(node.gobgpd.daemon.pid, 'VmHWM') : 0,
    };
  } finally {
    await bed.stop();
  }
}
