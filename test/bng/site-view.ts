// What the pool tests look at on the bench: core1's paths for some prefixes, a node's
// status.bngPools and a node's /metrics samples.
import { waitFor } from '../bed/index.ts';
import type { OperatorBed } from '../bed/operator.ts';
import { metricValue } from '../support/metrics.ts';

interface FrrPath {
  nexthops?: { ip?: string }[];
  bestpath?: { overall?: boolean };
  aspath?: { string?: string };
  community?: { string?: string };
}

export interface PoolsStatus {
  health: string;
  pools: { id: string; mode: string; reason: string; routes: number; message: string }[];
}

export function siteView(bed: OperatorBed) {
  /** core1's paths for some IPv4 prefixes as "nexthop [as path] communities", best first. */
  async function core1(prefixes: string[]): Promise<Map<string, string[]>> {
    const router = bed.topo.router('core1');
    const all = JSON.parse(await router.cli('show bgp ipv4 unicast json')) as {
      routes?: Record<string, unknown>;
    };
    const table = new Map<string, string[]>();
    // FRR 8.4 has no table-wide `detail json`: one query per prefix for the communities.
    for (const prefix of prefixes.filter((p) => all.routes?.[p])) {
      const detail = JSON.parse(await router.cli(`show bgp ipv4 unicast ${prefix} json`)) as {
        paths?: FrrPath[];
      };
      const lines = (detail.paths ?? [])
        .sort((a, b) => Number(b.bestpath?.overall ?? false) - Number(a.bestpath?.overall ?? false))
        .map(
          (p) =>
            `${p.nexthops?.[0]?.ip} [${p.aspath?.string ?? ''}]${p.community?.string ? ` ${p.community.string}` : ''}`,
        );
      table.set(prefix, lines);
    }
    return table;
  }

  return {
    core1,
    /** Waits until core1's paths for the given prefixes are exactly these (undefined: absent). */
    async core1Has(expected: Record<string, string[] | undefined>, what: string, timeoutMs = 60_000) {
      let last = '';
      await waitFor(
        what,
        async () => {
          const table = await core1(Object.keys(expected));
          const got = Object.fromEntries(Object.keys(expected).map((p) => [p, table.get(p)]));
          last = JSON.stringify(got);
          return last === JSON.stringify(expected) ? true : undefined;
        },
        { timeoutMs, intervalMs: 50 },
      ).catch((err: unknown) => {
        throw new Error(`${String(err)}\ncore1 had: ${last}`);
      });
    },
    async poolsOf(node: string): Promise<PoolsStatus | undefined> {
      const state = await bed.getJson<{ status?: { bngPools?: PoolsStatus } }>(['get', 'bgpnodestate', node]);
      return state.status?.bngPools;
    },
    async metric(node: string, name: string): Promise<number | undefined> {
      const res = await fetch(`http://${bed.topo.node(node).management.ipv4}:9179/metrics`);
      return metricValue(await res.text(), name);
    },
  };
}
