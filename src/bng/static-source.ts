// Static pools: listed in the BGPConfiguration, alive while the local BNG's /health answers. What
// works with today's `bng run`, which lists no pools. The pools themselves are resolved by compile
// from the spec (editing them restarts nothing), so this source only watches the BNG's health.
import { PolledPoolSource, type PoolList } from './pool-source.ts';

export class StaticPoolSource extends PolledPoolSource {
  readonly kind = 'Static' as const;
  protected readonly refreshEveryMs = Infinity;

  protected refresh(): Promise<PoolList> {
    return Promise.resolve({ pools: [] });
  }
}
