// BNG pools -> the routes this node originates for them, and for every pool why it is or is not
// advertised. Pure: the pool source's view and the other nodes' aggregate claims are snapshot data.
//
// The aggregation trap (reference/bng.md): an address of a shared pool says nothing about which BNG
// serves it, so a shared pool is only ever advertised as host routes of this node's own leases, and
// an exclusive pool's aggregate is advertised by one active node (its HA standby may add a less
// preferred copy). When two active nodes claim the same aggregate, the older claim keeps it and the
// newer one reports AggregateConflict: a misconfigured newcomer never takes traffic away.
import type { BGPAdvertisement } from '../api/types.ts';
import type { BngPool } from '../bng/pool.ts';
import { numericCommunity } from './communities.ts';
import type { Diagnostic, PathCandidate, PoolClaim, PoolOutcome, Snapshot } from './model.ts';
import { matches } from './selectors.ts';

export const GRACEFUL_SHUTDOWN = numericCommunity('graceful-shutdown');
const DEFAULT_STANDBY_PREPEND = 3;

type PoolsSpec = NonNullable<BGPAdvertisement['spec']['pools']>;

/** Whether another active node's claim on this aggregate predates ours. */
function olderClaim(claims: PoolClaim[], node: string, cidr: string): PoolClaim | undefined {
  const mine = claims.find((c) => c.node === node && c.cidr === cidr)?.since;
  return claims
    .filter((c) => c.node !== node && c.cidr === cidr && !c.standby && c.since)
    .sort((a, b) => (a.since ?? '').localeCompare(b.since ?? '') || a.node.localeCompare(b.node))
    .find((c) => !mine || (c.since ?? '') < mine || ((c.since ?? '') === mine && c.node < node));
}

/** The attributes a pool route gets beyond its advertisement's own: standby and drain. */
function poolAttributes(spec: PoolsSpec, pool: BngPool, draining: boolean) {
  const standby = pool.standby ? (spec.standby ?? { asPathPrepend: DEFAULT_STANDBY_PREPEND }) : undefined;
  return {
    ...(standby?.med !== undefined ? { med: standby.med } : {}),
    ...(standby?.asPathPrepend !== undefined ? { extraPrepend: standby.asPathPrepend } : {}),
    ...(draining && spec.gracefulShutdownOnStop !== false ? { community: GRACEFUL_SHUTDOWN } : {}),
  };
}

type Wanted = { mode: 'Aggregate' | 'HostRoutes' } | { mode: 'None'; reason: string; message: string };

function wantedMode(spec: PoolsSpec, pool: BngPool, claims: PoolClaim[], node: string): Wanted {
  const mode = spec.mode ?? 'Auto';
  const aggregate = mode === 'Aggregate' || (mode === 'Auto' && pool.sharing === 'exclusive');
  if (!aggregate) {
    return pool.leases
      ? { mode: 'HostRoutes' }
      : {
          mode: 'None',
          reason: 'NoLeaseSource',
          message:
            pool.sharing === 'shared'
              ? `pool ${pool.id} is shared: only host routes of this node's leases are correct, and the pool source lists no leases for it (use source Agent, or Nexus allocations with node_id)`
              : `pool ${pool.id}: mode HostRoutes needs the pool's leases, and the source lists leases only for shared pools`,
        };
  }
  if (pool.sharing === 'shared') {
    return {
      mode: 'None',
      reason: 'SharedPoolAggregate',
      message: `pool ${pool.id} (${pool.cidr}) is shared by several nodes: its aggregate is never advertised; use mode HostRoutes or Auto`,
    };
  }
  const older = pool.standby ? undefined : olderClaim(claims, node, pool.cidr);
  if (older) {
    return {
      mode: 'None',
      reason: 'AggregateConflict',
      message: `${pool.cidr} is already advertised as an aggregate by node ${older.node}: an exclusive pool has one active node; mark the other standby, or the pool shared`,
    };
  }
  return { mode: 'Aggregate' };
}

export function compilePoolRoutes(
  snapshot: Snapshot,
  diagnostics: Diagnostic[],
): { candidates: PathCandidate[]; outcomes: PoolOutcome[] } {
  const view = snapshot.pools;
  if (!view) return { candidates: [], outcomes: [] };
  const node = snapshot.node.name;
  const adverts = snapshot.advertisements
    .filter((a) => a.spec.pools && matches(a.spec.nodeSelector, snapshot.node.labels))
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const draining = view.draining || snapshot.node.drainPools === true;
  const candidates: PathCandidate[] = [];
  const outcomes: PoolOutcome[] = [];
  for (const pool of [...view.pools].sort((a, b) => a.id.localeCompare(b.id))) {
    const none = (reason: string, message: string) =>
      outcomes.push({ pool, mode: 'None', routes: 0, advertisements: [], reason, message });
    const selecting = adverts.filter((a) => matches(a.spec.pools?.selector, pool.labels));
    const allowed = selecting.filter((a) => pool.role !== 'walled-garden' || a.spec.pools?.walledGarden);
    if (selecting.length === 0) {
      none('NotSelected', 'no BGPAdvertisement for this node selects the pool');
      continue;
    }
    if (allowed.length === 0) {
      none(
        'WalledGarden',
        `walled-garden pool: ${selecting.map((a) => a.metadata.name).join(', ')} would need pools.walledGarden: true`,
      );
      continue;
    }
    if (view.health !== 'Healthy') {
      none(
        view.health === 'Down' ? 'BNGDown' : 'BNGStarting',
        view.healthError ?? 'waiting for the first health answer of the local BNG',
      );
      continue;
    }
    const modes = new Set<'Aggregate' | 'HostRoutes'>();
    const names: string[] = [];
    const routes = new Set<string>();
    let refused: Wanted | undefined;
    for (const advert of allowed) {
      const name = advert.metadata.name ?? '';
      const spec = advert.spec.pools ?? {};
      const wanted = wantedMode(spec, pool, snapshot.poolClaims ?? [], node);
      if (wanted.mode === 'None') {
        refused = wanted;
        if (wanted.reason !== 'NoLeaseSource')
          diagnostics.push({
            kind: 'BGPAdvertisement',
            name,
            reason: wanted.reason,
            message: `node ${node}: ${wanted.message}`,
          });
        continue;
      }
      const extra = poolAttributes(spec, pool, draining);
      const prefixes = wanted.mode === 'Aggregate' ? [pool.cidr] : (pool.leases ?? []);
      // Host routes are scoped through their pool (lease churn never changes the export policy);
      // an aggregate is scoped exactly, so other prefixes inside the pool keep their own scope.
      const scope = wanted.mode === 'HostRoutes' ? { scope: pool.cidr } : {};
      for (const prefix of prefixes) {
        candidates.push({ prefix, advertisement: advert, extra, ...scope });
        routes.add(prefix);
      }
      modes.add(wanted.mode);
      names.push(name);
    }
    if (modes.size === 0 && refused?.mode === 'None') {
      none(refused.reason, refused.message);
      continue;
    }
    const mode = modes.has('Aggregate') ? 'Aggregate' : 'HostRoutes';
    outcomes.push({
      pool,
      mode,
      routes: routes.size,
      advertisements: names,
      reason: 'Advertised',
      message: `${mode === 'Aggregate' ? pool.cidr : `${routes.size} host route(s)`}${pool.standby ? ' as HA standby (less preferred)' : ''}${draining ? ' with GRACEFUL_SHUTDOWN' : ''}`,
    });
  }
  return { candidates, outcomes };
}
