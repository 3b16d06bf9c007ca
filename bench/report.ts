// docs/benchmarks.md from one run's results: a section per benchmark (figure, reference, target
// where another issue states one), then every judged figure in one table, so the closing note can
// quote which targets were met and which were missed.
import { cpus, totalmem } from 'node:os';
import type { ConvergenceResult } from './convergence.ts';
import { describePasses, perMinute } from './footprint.ts';
import type { EndToEndResult, WriterResult } from './route-sync.ts';
import type { LayoutResult } from './scale.ts';
import { ms, type Summary } from './stats.ts';

export interface Results {
  writer?: WriterResult;
  e2e?: EndToEndResult;
  convergence?: ConvergenceResult;
  scale?: LayoutResult[];
}

interface Verdict {
  figure: string;
  value: string;
  target: string;
  source: string;
  met: boolean;
}

const s = (value: number) => `${(value / 1000).toFixed(2)} s`;
const ratio = (a: number, b: number) => (a / b).toFixed(2);
const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const stats = (x: Summary) => `${ms(x.p50)} | ${ms(x.p99)} | ${ms(x.max)} | ${x.n}`;

function routeSync(writer: WriterResult | undefined, e2e: EndToEndResult | undefined, v: Verdict[]): string {
  const out: string[] = [];
  if (writer) {
    const r = writer.oursMs / writer.ipBatchMs;
    v.push({
      figure: 'FIB writer / `ip -batch`',
      value: ratio(writer.oursMs, writer.ipBatchMs),
      target: '≤ 1.25',
      source: 'issue 6',
      met: r <= 1.25,
    });
    const rate = (t: number) => Math.round(writer.routes / (t / 1000)).toLocaleString('en');
    out.push(`## Route sync: FIB writer

${writer.routes.toLocaleString('en')} IPv4 /24 routes (one gateway, protocol 196, table 100) into an empty
namespace table.

| writer | time | routes/s |
| --- | --- | --- |
${row(['`ip -batch` (iproute2, one request and ack per route)', s(writer.ipBatchMs), rate(writer.ipBatchMs)])}
${row(['route sync (1000 routes per sendmsg, 4 batches in flight)', s(writer.oursMs), rate(writer.oursMs)])}

Ratio route sync / \`ip -batch\`: **${ratio(writer.oursMs, writer.ipBatchMs)}** (target at most 1.25: ${verdict(r <= 1.25)}).

What a restart or a resync costs at this size, nothing to change: reading the table back
${s(writer.readMs)}, read and plan ${s(writer.resyncMs)}, route writes planned: ${writer.resyncWrites}.
Peak RSS of the benchmark process (learned RIB and installed table both at ${writer.routes.toLocaleString('en')}): ${writer.childPeakRssMB} MB.
`);
  }
  if (e2e) {
    const r = e2e.fibMs / e2e.ribMs;
    v.push({
      figure: 'end to end: FIB / RIB completion',
      value: ratio(e2e.fibMs, e2e.ribMs),
      target: '≤ 1.2',
      source: 'issue 6',
      met: r <= 1.2,
    });
    v.push({
      figure: `agent peak RSS at ${e2e.routes.toLocaleString('en')} routes`,
      value: `${e2e.agentPeakRssMB} MB`,
      target: '< 350 MB',
      source: 'issue 6',
      met: e2e.agentPeakRssMB < 350,
    });
    out.push(`## Route sync: end to end

BIRD originates ${e2e.routes.toLocaleString('en')} IPv4 /24 prefixes to bng1 (gobgpd + the bng-bgp agent in
its namespace, real kube-apiserver). Clock starts when the session is Established.

| milestone | time |
| --- | --- |
${row(["GoBGP's RIB complete (`GetTable` destinations)", s(e2e.ribMs)])}
${row(["FIB complete (the agent's `bngbgp_fib_routes`)", s(e2e.fibMs)])}
${row(['FIB counted in the kernel (`ip route show proto 196`, after the above)', s(e2e.kernelMs)])}

FIB / RIB time: **${ratio(e2e.fibMs, e2e.ribMs)}** (target at most 1.2: ${verdict(r <= 1.2)}).
`);
  }
  return out.join('\n');
}

function convergence(c: ConvergenceResult, v: Verdict[]): string {
  const crashOk = c.crash.p99 < 3000;
  const linkOk = c.linkFib.p99 <= c.bfd.detectMs;
  v.push({
    figure: 'BNG agent killed -> pool withdrawn at core1, p99',
    value: ms(c.crash.p99),
    target: '< 3 s (default settings)',
    source: 'issue 7',
    met: crashOk,
  });
  v.push({
    figure: "link cut -> core1's routes out of bng1's FIB, p99",
    value: ms(c.linkFib.p99),
    target: `within BFD detection (${ms(c.bfd.detectMs)})`,
    source: 'issue 9',
    met: linkOk,
  });
  const overhead = c.advertise.p50 - c.advertiseRef.p50;
  return `## Convergence

One bed: three BNG nodes (gobgpd + agent + a test BNG agent serving one pool each), two FRR cores
peered with every node by an upstream BGPPeeringPolicy with BFD, learned routes in table 1000.
Upstream presence is read from core1's kernel table, where zebra installs FRR's best paths
(\`ip monitor route\`: each change timestamped as it arrives, no CLI polling error); bng1's FIB the
same way, bng1's RIB from gobgpd's best-path stream. Trials of a figure and of its reference
alternate, so a busier moment of the machine weighs on both. Percentiles by nearest rank.

| from -> to | p50 | p99 | max | trials |
| --- | --- | --- | --- | --- |
${row(['BGPAdvertisement created (HTTP POST sent) -> prefix at core1', stats(c.advertise)])}
${row(["*reference:* the same kind of prefix added to bng1's gobgpd (AddPath) -> at core1", stats(c.advertiseRef)])}
${row(['BGPAdvertisement deleted -> prefix gone at core1', stats(c.withdraw)])}
${row(["*reference:* DeletePath on bng1's gobgpd -> gone at core1", stats(c.withdrawRef)])}
${row(["pool added to bng1's BNG agent -> aggregate at core1", stats(c.pool)])}
${row(["bng1's BNG agent SIGKILLed -> its pool withdrawn at core1", stats(c.crash)])}
${row(['BNG agent restarted -> its pool back at core1', stats(c.crashBack)])}
${row(["core1's LAN link down -> core1's prefix out of bng1's FIB", stats(c.linkFib)])}
${row(["*reference:* core1's LAN link down -> bng1's gobgpd RIB loses the path", stats(c.linkRib)])}
${row(["the agent's share of a link cut (FIB clean minus RIB loss, per trial)", stats(c.linkAgent)])}
${row(["core1's link restored -> prefix back in bng1's FIB", stats(c.linkBack)])}

- bng-bgp's own overhead on an advertisement (watch, compile, GoBGP calls), p50 over raw GoBGP:
  **${ms(overhead)}**.
- A new pool waits for the next poll of the BNG agent (every ${c.pollMs} ms): expected about
  ${ms(c.pollMs / 2)} plus the AddPath propagation (p50 ${ms(c.advertiseRef.p50)}), at most ${ms(c.pollMs)} plus it.
- A dead BNG agent is declared down after failureThreshold x intervalMs = **${ms(c.detectionMs)}**
  (configured), then its pool routes are withdrawn; target under 3 s (issue 7): ${verdict(crashOk)}.
- BFD as agreed on bng1-core1 (${c.bfd.text}): bng1 declares core1 down
  **${ms(c.bfd.detectMs)}** after the last packet it received; FIB clean p99 within that (issue 9,
  "within hold or BFD time"): ${verdict(linkOk)}. Without BFD the hold time (9 s with these FRR
  timers) would apply.${
    c.linkBack.p50 > 25_000
      ? `
- A restored link brings the session back only after ${ms(c.linkBack.p50)} (p50): GoBGP takes BFD
  down as a hard reset of the peer, after which the session stays idle for its idle hold time
  (BGPSession \`idleHoldTime\`, GoBGP's idle-hold-time-after-reset: 30 s by default, which this
  site keeps) before it connects again, however short the outage was.`
      : ''
  }
`;
}

function scale(layouts: LayoutResult[], c: ConvergenceResult | undefined, v: Verdict[]): string {
  const settled = [
    ...(c
      ? [{ name: 'small site (3 nodes, 6 sessions, 3 pools)', w: c.idle.writes, passes: c.idle.passes }]
      : []),
    ...layouts.map((l) => ({
      name: `${l.kind}, ${l.endpoints} endpoints`,
      w: l.window.writes,
      passes: l.window.passes,
    })),
  ];
  for (const x of settled)
    v.push({
      figure: `bgp write requests (objects changed) per minute once settled: ${x.name}`,
      value: `${perMinute(x.w.requests, x.w.windowMs).toFixed(1)} (${perMinute(x.w.bgp, x.w.windowMs).toFixed(1)})`,
      target: '0',
      source: 'issues 5 and 9',
      met: x.w.requests === 0 && x.w.bgp === 0,
    });
  const rate = (n: number, w: { windowMs: number }) => perMinute(n, w.windowMs).toFixed(1);
  return `## Control plane scale

A real kube-apiserver and the three agents (one of them leader, generating sessions and writing
cluster status). Each layout: BGPEndpoints bng1-bng3 (their nodes) and external speakers at
addresses no node has a route to (they never answer; nothing leaves the bed), then one
BGPPeeringPolicy; the clock starts when the policy is created. Reference, just before, on the same
apiserver: as many BGPSession objects created by one \`kubectl apply --server-side\` (one request
per object, as the leader makes them; sessions between endpoints that do not exist, so no node
configures them).

| layout | endpoints | sessions | *reference:* one kubectl apply | sessions exist | ratio to the reference | policy status counts them | every session has a state | every node's gobgpd has its peers | policy deleted -> sessions gone |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${layouts.map((l) => row([l.kind, l.endpoints, l.sessions.toLocaleString('en'), s(l.referenceMs), s(l.createdMs), ratio(l.createdMs, l.referenceMs), s(l.generatedMs), s(l.reportedMs), s(l.nodesMs), s(l.deleteMs)])).join('\n')}

Write requests for bgp objects from the policy's creation until settled (the apiserver's count,
below), against the sessions the layout needs:

${layouts.map((l) => `- ${l.kind}, ${l.sessions.toLocaleString('en')} sessions: ${l.requests.join(', ')}; settled ${s(l.settleMs)} after the last milestone`).join('\n')}

Once settled (no write request and no object changed for 15 s), over ${Math.round((settled[0]?.w.windowMs ?? 0) / 1000)} s:

| site | bgp write requests / min (target 0) | requests | bgp objects changed / min (target 0) | objects changed | Events / min | leader Lease renewals / min | reconcile passes in the window (count x mean duration) |
| --- | --- | --- | --- | --- | --- | --- | --- |
${settled.map((x) => row([x.name, `${rate(x.w.requests, x.w)} (${verdict(x.w.requests === 0)})`, x.w.requestKinds.join(', ') || '-', `${rate(x.w.bgp, x.w)} (${verdict(x.w.bgp === 0)})`, x.w.rewritten.join(', ') || '-', rate(x.w.events, x.w), rate(x.w.leases, x.w), describePasses(x.passes)])).join('\n')}

Write requests are counted by the apiserver itself (\`apiserver_request_total\`, mutating verbs,
group bgp.bng-edge.io): a server-side apply that changes nothing bumps no resourceVersion and
sends no watch event, so a resourceVersion comparison cannot see it, yet the apiserver serves it.
Objects changed are watch events. "Settled" means neither has moved for 15 s.
The Lease renewals are leader election's heartbeat (every lease duration / 6: 1 s with the bed's
6 s lease, 2.5 s with the default 15 s), not a write loop. A
reconcile pass that writes nothing still costs CPU: the leader recomputes every object's status
every 10 s (controller \`leader\`, key \`status\`), which is what the leader's CPU at rest below
grows with.
`;
}

function footprint(
  c: ConvergenceResult | undefined,
  layouts: LayoutResult[],
  e2e: EndToEndResult | undefined,
): string {
  const rows: string[] = [];
  if (c)
    for (const p of c.idle.processes)
      rows.push(row([`small site, at rest: ${p.name}`, `${p.rssMB} MB`, `${p.cpuPct.toFixed(2)} %`]));
  for (const l of layouts)
    for (const p of l.window.processes.filter((x) => x.name.endsWith('agent')))
      rows.push(
        row([
          `${l.kind} ${l.endpoints} endpoints, at rest: ${p.name}${p.name.startsWith(l.leader) ? ' (leader)' : ''}`,
          `${p.rssMB} MB (peak ${p.peakRssMB})`,
          `${p.cpuPct.toFixed(2)} %`,
        ]),
      );
  if (e2e) {
    rows.push(
      row([
        `${e2e.routes.toLocaleString('en')} learned routes: bng1 agent`,
        `peak **${e2e.agentPeakRssMB} MB**, ${e2e.agentRssMB} MB at the end`,
        '-',
      ]),
    );
    rows.push(
      row([
        `${e2e.routes.toLocaleString('en')} learned routes: bng1 gobgpd (for scale)`,
        `peak ${e2e.gobgpdPeakRssMB} MB`,
        '-',
      ]),
    );
  }
  return `## Footprint

RSS from /proc/<pid>/status; CPU as utime + stime from /proc/<pid>/stat over the settled window,
in % of one core.${e2e ? ` The ${e2e.routes.toLocaleString('en')}-route figures come from the end-to-end route sync run above.` : ''}

| where | RSS | CPU |
| --- | --- | --- |
${rows.join('\n')}
`;
}

export function renderReport(r: Results): string {
  const v: Verdict[] = [];
  const sections = [
    routeSync(r.writer, r.e2e, v),
    r.convergence ? convergence(r.convergence, v) : '',
    r.scale ? scale(r.scale, r.convergence, v) : '',
    footprint(r.convergence, r.scale ?? [], r.e2e),
  ].filter(Boolean);
  return `# Benchmarks

Generated by \`./scripts/bench.sh\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} CPUs
(${cpus()[0]?.model.trim() ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Linux, Node ${process.version}.
Every figure below comes from one run; each benchmark runs its reference in the same run.

${sections.join('\n')}
## Targets

| figure | measured | target | stated in | verdict |
| --- | --- | --- | --- | --- |
${v.map((x) => row([x.figure, x.value, x.target, x.source, verdict(x.met)])).join('\n')}
`;
}
