// Runs inside a bench namespace (`ip netns exec`): writes N IPv4 /24 routes with route sync's
// kernel writer, then does what a restart or a resync does at that size (read the table back, plan
// against an identical learned RIB: zero writes). Prints one JSON line of figures.
import { InstalledTable } from '../src/routesync/installed-table.ts';
import { LearnedRib } from '../src/routesync/learned-rib.ts';
import { PlanReport, allPrefixes, planRoutes } from '../src/routesync/plan.ts';
import { KernelFib } from '../src/routesync/rtnl/kernel-fib.ts';
import { nthPrefix } from './prefixes.ts';

const count = Number(process.argv[2] ?? 1_000_000);
const table = Number(process.argv[3] ?? 100);
const gateway = process.argv[4] ?? '10.255.0.2';
const metric = 20;

function* adds() {
  for (let i = 0; i < count; i++)
    yield { op: 'add' as const, prefix: nthPrefix(i), nextHops: [gateway], metric };
}

const fib = new KernelFib({ table, protocol: 196 });
const t0 = performance.now();
const failures = await fib.apply(adds());
const writeMs = performance.now() - t0;

const rib = new LearnedRib(false);
for (let i = 0; i < count; i++)
  rib.apply({ prefix: nthPrefix(i), source: '10.255.0.2#0', nextHop: gateway, withdraw: false });
const t1 = performance.now();
const installed = new InstalledTable();
await fib.readRoutes((r) => installed.set(r.prefix, { nextHops: r.nextHops, metric: r.metric }));
const readMs = performance.now() - t1;
const planned = [
  ...planRoutes(
    allPrefixes(rib.prefixKeys(), installed, (p) => rib.has(p)),
    (p) => rib.get(p),
    installed,
    { metric, maxRoutes: 2_000_000, ownPrefixes: new Set(), resolveNextHop: (h) => h },
    new PlanReport(),
  ),
];
const resyncMs = performance.now() - t1;
fib.close();
console.log(
  JSON.stringify({
    writeMs: Math.round(writeMs),
    failures: failures.length,
    readBack: installed.size,
    readMs: Math.round(readMs),
    resyncMs: Math.round(resyncMs),
    resyncWrites: planned.length,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
