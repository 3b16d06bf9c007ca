// The whole network as an engineer would read it: every core's BGP table (`show bgp ipv4 unicast
// json` on FRR) and every node's FIB (protocol 196 in our table), compared in one piece with what
// the resources say (./site.ts). A fault case passes only when nothing at all differs.
import assert from 'node:assert/strict';
import { kernelRoutes, waitFor } from '../bed/index.ts';
import type { OperatorBed } from '../bed/operator.ts';
import {
  CORES,
  NODES,
  TABLE,
  expected,
  sortKeys,
  type CoreName,
  type CoreTable,
  type Fib,
  type Outage,
  type Whole,
} from './site.ts';

interface FrrPath {
  nexthops?: { ip?: string }[];
  path?: string;
  stale?: boolean;
  valid?: boolean;
}

/** One core's table: every path of every prefix, stale ones marked (they must not be left over). */
export async function coreTable(bed: OperatorBed, core: CoreName): Promise<CoreTable> {
  const out = JSON.parse(await bed.topo.router(core).cli('show bgp ipv4 unicast json')) as {
    routes?: Record<string, FrrPath[]>;
  };
  const table: CoreTable = {};
  for (const [prefix, paths] of Object.entries(out.routes ?? {})) {
    table[prefix] = paths
      .map((p) => {
        const hop = p.nexthops?.[0]?.ip ?? '';
        const origin = hop === '0.0.0.0' || hop === '::' ? 'local' : `${hop} ${p.path ?? ''}`.trim();
        return `${origin}${p.stale ? ' stale' : ''}${p.valid === false ? ' invalid' : ''}`;
      })
      .sort();
  }
  return sortKeys(table);
}

/** One node's FIB: the routes bng-bgp installed (protocol 196) in the site's table. */
export async function fib(bed: OperatorBed, node: string): Promise<Fib> {
  const routes = await kernelRoutes(bed.topo.node(node).netns, { table: TABLE, protocol: 196 });
  return routes
    .map((r) => {
      const hops = r.gateway ? [r.gateway] : (r.nexthops ?? []).map((h) => h.gateway ?? h.dev ?? '');
      return `${r.dst} via ${hops.sort().join(',')}`;
    })
    .sort();
}

/** The network as it is, shaped like `want` (cut cores and removed nodes are not read). */
export async function observe(bed: OperatorBed, want: Whole): Promise<Whole> {
  const cores = {} as Whole['cores'];
  for (const core of Object.keys(CORES) as CoreName[])
    cores[core] = want.cores[core] === 'cut' ? 'cut' : await coreTable(bed, core);
  const fibs = {} as Whole['fibs'];
  for (const node of NODES) fibs[node] = want.fibs[node] === 'removed' ? 'removed' : await fib(bed, node);
  return { cores, fibs };
}

/**
 * Waits until the whole network is exactly what the resources say for `out`, and returns how long
 * that took; on timeout, fails with the full difference.
 */
export async function assertWhole(
  bed: OperatorBed,
  out: Outage,
  what: string,
  timeoutMs = 90_000,
): Promise<number> {
  const want = expected(out);
  const start = Date.now();
  let last: Whole | undefined;
  try {
    await waitFor(
      what,
      async () => {
        last = await observe(bed, want);
        return JSON.stringify(last) === JSON.stringify(want) ? true : undefined;
      },
      { timeoutMs, intervalMs: 100 },
    );
  } catch (err) {
    assert.deepEqual(last, want, `${what}: ${String(err)}`);
    throw err;
  }
  return Date.now() - start;
}

/** True when the network is exactly as the resources say for `out`, now. */
export async function isWhole(bed: OperatorBed, out: Outage = {}): Promise<boolean> {
  const want = expected(out);
  return JSON.stringify(await observe(bed, want)) === JSON.stringify(want);
}
