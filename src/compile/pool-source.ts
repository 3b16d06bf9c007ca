// BGPConfiguration.spec.bngPools -> how this node reads its pools. Static pools are resolved here
// (which of them this node serves, active or standby), so the static source only adds liveness.
import type { BGPConfiguration } from '../api/types.ts';
import { poolLabels, type BngPool } from '../bng/pool.ts';
import { parsePrefix } from '../routesync/rtnl/addr.ts';
import type { DesiredPoolSource, PoolPolling } from './model.ts';

type Spec = NonNullable<BGPConfiguration['spec']['bngPools']>;
type Polling = { healthURL?: string; intervalMs?: number; failureThreshold?: number } | undefined;

export const DEFAULT_HEALTH_URL = 'http://127.0.0.1:9090/health';
export const DEFAULT_POOLS_URL = 'http://127.0.0.1:9090/api/v1/pools';

function polling(p: Polling): PoolPolling {
  return {
    healthURL: p?.healthURL ?? DEFAULT_HEALTH_URL,
    intervalMs: p?.intervalMs ?? 500,
    failureThreshold: p?.failureThreshold ?? 4,
  };
}

function staticPools(spec: NonNullable<Spec['static']>, node: string): BngPool[] {
  const pools: BngPool[] = [];
  for (const p of spec.pools) {
    const active = !p.nodeNames?.length || p.nodeNames.includes(node);
    const standby = p.standbyNodeNames?.includes(node) ?? false;
    if (!active && !standby) continue;
    const pool = {
      id: p.name,
      name: p.name,
      // Admission checked it is a prefix; the key is its canonical form (claims compare it).
      cidr: parsePrefix(p.cidr)?.key ?? p.cidr,
      role: p.role ?? 'production',
      sharing: p.sharing ?? (p.nodeNames?.length === 1 ? 'exclusive' : 'shared'),
      // Listed as both: active wins (a node is not its own standby).
      standby: standby && !p.nodeNames?.includes(node),
    };
    pools.push({ ...pool, labels: poolLabels(pool, p.labels) });
  }
  return pools;
}

export function compilePoolSource(spec: Spec | undefined, node: string): DesiredPoolSource | undefined {
  switch (spec?.source) {
    case 'Agent':
      return { kind: 'Agent', url: spec.agent?.url ?? DEFAULT_POOLS_URL, ...polling(spec.agent) };
    case 'Static':
      return spec.static
        ? { kind: 'Static', pools: staticPools(spec.static, node), ...polling(spec.static) }
        : undefined;
    case 'Nexus':
      return spec.nexus
        ? {
            kind: 'Nexus',
            url: spec.nexus.url,
            refreshIntervalMs: (spec.nexus.refreshIntervalSeconds ?? 10) * 1000,
            ...polling(spec.nexus),
          }
        : undefined;
    default:
      return undefined;
  }
}
