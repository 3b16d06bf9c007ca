// Convergence on one operator bed (bench/convergence-site.ts), each figure beside a reference
// taken in the same run, trials of the figure and its reference interleaved so that a busier
// moment of the machine weighs on both:
//   advertisement  BGPAdvertisement created -> prefix in core1's table; reference: the same kind of
//                  prefix added straight into bng1's gobgpd (AddPath) -> in core1's table
//   pool           a pool appears at bng1's BNG agent -> its aggregate in core1's table; reference:
//                  the poll interval, and the AddPath propagation above
//   BNG crash      bng1's BNG agent SIGKILLed -> its pool gone from core1's table; reference: the
//                  configured detection time, failureThreshold x intervalMs
//   link cut       core1's LAN link down -> core1's prefix gone from bng1's FIB; reference: gobgpd's
//                  RIB on bng1 losing the path (BFD brings the session down)
// core1's table is read through its kernel, where zebra installs FRR's best paths: the same few
// milliseconds for a figure and its reference, and no CLI polling error.
import type { Path } from '../gen/ts/gobgp/api/Path.ts';
import { setAgentState } from '../test/bed/bng.ts';
import { ip } from '../test/bed/netns.ts';
import { waitFor } from '../test/bed/wait.ts';
import {
  CORE1_PREFIX,
  FAILURE_THRESHOLD,
  POLL_MS,
  baseState,
  bng1Core1,
  pool,
  resetBng1,
  startSite,
  type Site,
} from './convergence-site.ts';
import { idleFootprint, type IdleFootprint } from './footprint.ts';
import { GROUP_PATH } from './kube-http.ts';
import { line, summarize, type Summary } from './stats.ts';

export interface Trials {
  advertisement: number;
  pool: number;
  crash: number;
  linkCut: number;
}

export interface BfdTimers {
  /** bng1's detection time for a silent core1: its multiplier x the agreed receive interval. */
  detectMs: number;
  text: string;
}

export interface ConvergenceResult {
  advertise: Summary;
  advertiseRef: Summary;
  withdraw: Summary;
  withdrawRef: Summary;
  pool: Summary;
  crash: Summary;
  crashBack: Summary;
  linkFib: Summary;
  linkRib: Summary;
  /** FIB clean minus RIB loss, per trial: the agent's own share of a link cut. */
  linkAgent: Summary;
  /** Link up again -> the prefix back in bng1's FIB (session, BFD and BGP timers; informational). */
  linkBack: Summary;
  pollMs: number;
  detectionMs: number;
  bfd: BfdTimers;
  idle: IdleFootprint;
}

/** Trials of one kind: each takes a fresh /24 of its own 100.<block>.0.0/16. */
export const MAX_TRIALS = 256;
/** The i-th /24 of 100.<block>.0.0/16. */
const prefixOf = (block: number, i: number) => `100.${block}.${i}.0/24`;

/** A path bng1's gobgpd originates itself, as the agent's AddPath would. */
function ownPath(prefix: string): Path {
  const [address, length] = prefix.split('/');
  return {
    family: { afi: 'AFI_IP', safi: 'SAFI_UNICAST' },
    nlri: { prefix: { prefix: address!, prefixLen: Number(length) } },
    pattrs: [{ origin: { origin: 0 } }, { nextHop: { nextHop: '10.100.0.11' } }],
  };
}

/** Advertisement created -> at core1 and deleted -> gone, beside AddPath and DeletePath. */
async function advertisementTrials(site: Site, n: number, log: (s: string) => void) {
  const gobgp = site.bed.gobgp.get('bng1')!;
  const out = {
    advertise: [] as number[],
    withdraw: [] as number[],
    ref: [] as number[],
    refGone: [] as number[],
  };
  for (let i = 0; i < n; i++) {
    const prefix = prefixOf(65, i);
    const name = `bench-${i}`;
    let from = site.core1.mark();
    let t0 = performance.now();
    await site.kube.call('POST', `${GROUP_PATH}/bgpadvertisements`, {
      apiVersion: 'bgp.bng-edge.io/v1alpha1',
      kind: 'BGPAdvertisement',
      metadata: { name },
      spec: { prefixes: [prefix], nodeSelector: { matchLabels: { 'kubernetes.io/hostname': 'bng1' } } },
    });
    out.advertise.push((await site.core1.prefix(prefix, false, from)).at - t0);
    from = site.core1.mark();
    t0 = performance.now();
    await site.kube.call('DELETE', `${GROUP_PATH}/bgpadvertisements/${name}`);
    out.withdraw.push((await site.core1.prefix(prefix, true, from)).at - t0);
    await waitFor(`${name} gone from the API`, () =>
      site.watch.get('bgpadvertisements', name) ? undefined : true,
    );

    const refPrefix = prefixOf(66, i);
    from = site.core1.mark();
    t0 = performance.now();
    await gobgp.addPath(ownPath(refPrefix));
    out.ref.push((await site.core1.prefix(refPrefix, false, from)).at - t0);
    from = site.core1.mark();
    t0 = performance.now();
    await gobgp.deletePath(ownPath(refPrefix));
    out.refGone.push((await site.core1.prefix(refPrefix, true, from)).at - t0);
    if ((i + 1) % 10 === 0 || i + 1 === n)
      log(
        `convergence: advertisement ${i + 1}/${n}: last ${Math.round(out.advertise.at(-1)!)} ms, AddPath ${Math.round(out.ref.at(-1)!)} ms`,
      );
  }
  return out;
}

/** A new pool at bng1's BNG agent -> its aggregate at core1. */
async function poolTrials(site: Site, n: number, log: (s: string) => void): Promise<number[]> {
  const node = site.bed.topo.node('bng1');
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const prefix = prefixOf(67, i);
    let from = site.core1.mark();
    const t0 = performance.now();
    setAgentState(node, { ...baseState(0), pools: [...baseState(0).pools, pool(`new-${i}`, prefix)] });
    samples.push((await site.core1.prefix(prefix, false, from)).at - t0);
    from = site.core1.mark();
    resetBng1(site);
    await site.core1.prefix(prefix, true, from);
  }
  log(`convergence: pool appears -> core1: ${line(summarize(samples))}`);
  return samples;
}

/** bng1's BNG agent SIGKILLed -> its pool gone at core1; restarted -> back. */
async function crashTrials(site: Site, n: number, log: (s: string) => void) {
  const out = { gone: [] as number[], back: [] as number[] };
  for (let i = 0; i < n; i++) {
    let from = site.core1.mark();
    let t0 = performance.now();
    await site.bed.bngAgents.get('bng1')!.kill();
    out.gone.push((await site.core1.prefix('100.64.1.0/24', true, from, 30_000)).at - t0);
    from = site.core1.mark();
    t0 = performance.now();
    await site.bed.startBngAgent('bng1', baseState(0));
    out.back.push((await site.core1.prefix('100.64.1.0/24', false, from, 30_000)).at - t0);
  }
  log(`convergence: BNG agent killed -> withdrawn at core1: ${line(summarize(out.gone))}`);
  return out;
}

/** core1's LAN link down -> CORE1_PREFIX gone from bng1's FIB and from its gobgpd's RIB; restored. */
async function linkCutTrials(site: Site, n: number, log: (s: string) => void) {
  const core1Ns = site.bed.topo.router('core1').netns;
  const out = { fib: [] as number[], rib: [] as number[], back: [] as number[], spawnLag: [] as number[] };
  for (let i = 0; i < n; i++) {
    const fibFrom = site.bng1Fib.mark();
    const ribFrom = site.bng1Rib.mark();
    const linkFrom = site.core1Link.mark();
    const spawned = performance.now();
    await ip(['link', 'set', 'lan0', 'down'], core1Ns);
    try {
      // The clock starts when core1's kernel announced the link down, not when the `ip` process
      // was spawned some milliseconds before.
      const t0 = (await site.core1Link.prefix('lan0', true, linkFrom, 10_000)).at;
      out.spawnLag.push(t0 - spawned);
      out.fib.push((await site.bng1Fib.prefix(CORE1_PREFIX, true, fibFrom, 30_000)).at - t0);
      out.rib.push((await site.bng1Rib.prefix(CORE1_PREFIX, true, ribFrom, 30_000)).at - t0);
    } finally {
      const back = site.bng1Fib.mark();
      const up = performance.now();
      await ip(['link', 'set', 'lan0', 'up'], core1Ns);
      out.back.push((await site.bng1Fib.prefix(CORE1_PREFIX, false, back, 120_000)).at - up);
    }
    // The next cut must find BFD running again, or it would measure the hold timer.
    await waitFor(
      'bng1-core1 Established with BFD Up again',
      async () => {
        const s = await bng1Core1(site.bed);
        return s.bgp === 'SESSION_STATE_ESTABLISHED' && s.bfd === 'BFD_SESSION_STATE_UP' ? true : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 100 },
    );
  }
  log(
    `convergence: link cut -> FIB clean: ${line(summarize(out.fib))}; RIB lost the path: ${line(summarize(out.rib))}`,
  );
  log(`convergence: link restored -> back in the FIB: ${line(summarize(out.back))}`);
  log(
    `convergence: (\`ip link set\` spawned -> link down in core1's kernel: ${line(summarize(out.spawnLag))})`,
  );
  return out;
}

/** The BFD timers FRR agreed with bng1, read from core1's side. */
async function bfdTimers(site: Site): Promise<BfdTimers> {
  const peer = JSON.parse(
    await site.bed.topo.router('core1').cli('show bfd peer 10.100.0.11 json'),
  ) as Record<string, number | string>;
  const num = (k: string) => Number(peer[k] ?? NaN);
  // bng1 declares core1 down after its own multiplier x max(its receive interval, core1's transmit).
  const detectMs =
    num('remote-detect-multiplier') * Math.max(num('remote-receive-interval'), num('transmit-interval'));
  return {
    detectMs,
    text: `core1 tx ${num('transmit-interval')} ms / rx ${num('receive-interval')} ms x ${num('detect-multiplier')}, bng1 tx ${num('remote-transmit-interval')} ms / rx ${num('remote-receive-interval')} ms x ${num('remote-detect-multiplier')}`,
  };
}

export async function benchConvergence(
  trials: Trials,
  idleWindowMs: number,
  log: (s: string) => void,
): Promise<ConvergenceResult> {
  const site = await startSite(log);
  try {
    const idle = await idleFootprint(site.bed, site.watch, site.kube, idleWindowMs, log);
    const bfd = await bfdTimers(site);
    log(`convergence: BFD ${bfd.text}: bng1 detects a silent core1 after ${bfd.detectMs} ms`);
    log(`convergence: ${trials.advertisement} advertisement trials (each beside an AddPath) ...`);
    const adv = await advertisementTrials(site, trials.advertisement, log);
    log(
      `convergence: advertisement -> core1: ${line(summarize(adv.advertise))}; AddPath: ${line(summarize(adv.ref))}`,
    );
    const pools = await poolTrials(site, trials.pool, log);
    const crash = await crashTrials(site, trials.crash, log);
    const link = await linkCutTrials(site, trials.linkCut, log);
    return {
      advertise: summarize(adv.advertise),
      advertiseRef: summarize(adv.ref),
      withdraw: summarize(adv.withdraw),
      withdrawRef: summarize(adv.refGone),
      pool: summarize(pools),
      crash: summarize(crash.gone),
      crashBack: summarize(crash.back),
      linkFib: summarize(link.fib),
      linkRib: summarize(link.rib),
      linkAgent: summarize(link.fib.map((f, i) => f - link.rib[i]!)),
      linkBack: summarize(link.back),
      pollMs: POLL_MS,
      detectionMs: POLL_MS * FAILURE_THRESHOLD,
      bfd,
      idle,
    };
  } finally {
    await site.stop();
  }
}
