// The benchmark command (scripts/bench.sh): runs every benchmark with its reference in the same run
// and writes docs/benchmarks.md. Options scale a run down for a quick look; only a full-size run
// of everything rewrites docs/, so the published figures always come from one complete run.
//   --routes N        route sync routes (1,000,000)
//   --trials N        advertisement trials (100); pool trials min(20, N), crash and link cut min(10, N)
//   --mesh N          endpoints of the full-mesh layout (100: 4,950 sessions)
//   --rr N            endpoints of the route-reflector layout (500)
//   --idle-seconds N  the settled window for writes, RSS and CPU (60)
//   --only LIST       comma-separated: route-sync, convergence, scale (all)
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { benchConvergence, MAX_TRIALS } from './convergence.ts';
import { renderReport, type Results } from './report.ts';
import { benchEndToEnd, benchWriter } from './route-sync.ts';
import { benchScale } from './scale.ts';

const PARTS = ['route-sync', 'convergence', 'scale'] as const;
const FULL = { routes: 1_000_000, trials: 100, mesh: 100, rr: 500, 'idle-seconds': 60 };

const { values } = parseArgs({
  options: {
    routes: { type: 'string', default: String(FULL.routes) },
    trials: { type: 'string', default: String(FULL.trials) },
    mesh: { type: 'string', default: String(FULL.mesh) },
    rr: { type: 'string', default: String(FULL.rr) },
    'idle-seconds': { type: 'string', default: String(FULL['idle-seconds']) },
    only: { type: 'string', default: PARTS.join(',') },
  },
});
const n = (key: keyof typeof FULL) => {
  const v = Number(values[key]);
  if (!Number.isInteger(v) || v < 1)
    throw new Error(`--${key} must be a positive integer, not ${values[key]}`);
  return v;
};
const only = new Set(values.only.split(',').map((x) => x.trim()));
for (const p of only)
  if (!(PARTS as readonly string[]).includes(p))
    throw new Error(`--only: unknown part ${p} (${PARTS.join(', ')})`);
const trials = n('trials');
if (trials > MAX_TRIALS) throw new Error(`--trials: at most ${MAX_TRIALS}`);
if (n('mesh') < 4 || n('rr') < 4)
  throw new Error('--mesh and --rr: at least 4 endpoints (3 nodes and one more)');
const full =
  PARTS.every((p) => only.has(p)) && Object.entries(FULL).every(([k, v]) => n(k as keyof typeof FULL) === v);

const started = Date.now();
const log = (s: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${s}`);

const results: Results = {};
if (only.has('route-sync')) {
  results.writer = await benchWriter(n('routes'), log);
  results.e2e = await benchEndToEnd(n('routes'), log);
}
if (only.has('convergence'))
  results.convergence = await benchConvergence(
    {
      advertisement: trials,
      pool: Math.min(20, trials),
      crash: Math.min(10, trials),
      linkCut: Math.min(10, trials),
    },
    n('idle-seconds') * 1000,
    log,
  );
if (only.has('scale'))
  results.scale = await benchScale(
    [
      { kind: 'mesh', endpoints: n('mesh') },
      { kind: 'route-reflector', endpoints: n('rr') },
    ],
    n('idle-seconds') * 1000,
    log,
  );

const markdown = renderReport(results);
if (full) writeFileSync(new URL('../docs/benchmarks.md', import.meta.url), markdown);
console.log(markdown);
log(
  full
    ? 'wrote docs/benchmarks.md'
    : `not written: docs/benchmarks.md holds full runs only (${Object.entries(FULL)
        .map(([k, v]) => `--${k} ${v}`)
        .join(' ')}, every part)`,
);
