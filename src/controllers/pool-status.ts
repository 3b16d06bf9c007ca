// The bngPools part of a BGPNodeState: the BNG's health, and for every pool how it is advertised
// or why not. An aggregate keeps the time it started being advertised (other nodes compare it to
// settle AggregateConflict), so an unchanged pool is never rewritten.
import type { BGPNodeStateStatus } from '../api/types.ts';
import type { PoolView } from '../bng/pool.ts';
import type { PoolOutcome } from '../compile/model.ts';
import { rfc3339, type DesiredCondition } from '../kube/conditions.ts';

type BngPoolsStatus = NonNullable<BGPNodeStateStatus['bngPools']>;

export function bngPoolsStatus(
  view: PoolView,
  outcomes: PoolOutcome[],
  current: BngPoolsStatus | undefined,
  now = new Date(),
): BngPoolsStatus {
  return {
    source: view.source,
    health: view.health,
    ...(view.healthError ? { healthError: view.healthError } : {}),
    ...(view.draining ? { draining: true } : {}),
    ...(view.listError ? { listError: view.listError } : {}),
    pools: outcomes.map(({ pool, mode, routes, advertisements, reason, message }) => {
      const before = current?.pools.find((p) => p.id === pool.id && p.cidr === pool.cidr);
      const since =
        mode === 'Aggregate' ? (before?.mode === 'Aggregate' && before.since) || rfc3339(now) : undefined;
      return {
        id: pool.id,
        ...(pool.name ? { name: pool.name } : {}),
        cidr: pool.cidr,
        role: pool.role,
        sharing: pool.sharing,
        ...(pool.standby ? { standby: true } : {}),
        mode,
        ...(since ? { since } : {}),
        routes,
        ...(advertisements.length ? { advertisements } : {}),
        reason,
        message,
        ...(pool.allocated !== undefined ? { allocated: pool.allocated } : {}),
        ...(pool.available !== undefined ? { available: pool.available } : {}),
      };
    }),
    ...(view.invalid.length ? { invalid: view.invalid } : {}),
  };
}

/**
 * The bngPools status for this pass. Until the pool source has settled, the pools last published
 * stand (other nodes read their aggregate claims; GoBGP still advertises them), with the source's
 * current health and errors, so a list that cannot be read is visible.
 */
export function poolsStatus(
  pools: { view: PoolView; settled: boolean },
  compiled: { pools: PoolOutcome[] },
  current: BngPoolsStatus | undefined,
): BngPoolsStatus {
  const { view, settled } = pools;
  if (settled || !current) return bngPoolsStatus(view, compiled.pools, current);
  const next: BngPoolsStatus = { ...current, source: view.source, health: view.health };
  delete next.healthError;
  delete next.listError;
  if (view.healthError) next.healthError = view.healthError;
  if (view.listError) next.listError = view.listError;
  return next;
}

/** BNGHealthy: whether the local BNG answers, so its pools can be advertised. */
export function bngCondition(view: PoolView, outcomes: PoolOutcome[], generation: number): DesiredCondition {
  const base = { type: 'BNGHealthy', observedGeneration: generation };
  if (view.health === 'Healthy') {
    const advertised = outcomes.filter((o) => o.mode !== 'None').length;
    return {
      ...base,
      status: 'True',
      reason: 'Healthy',
      message: `${advertised}/${outcomes.length} pool(s) advertised (source ${view.source})`,
    };
  }
  if (view.health === 'Down')
    return {
      ...base,
      status: 'False',
      reason: 'BNGDown',
      message: `pool routes withdrawn: ${view.healthError ?? 'no answer'}`,
    };
  return {
    ...base,
    status: 'Unknown',
    reason: 'Starting',
    message: 'waiting for the first answer of the local BNG',
  };
}
