// Pools from the BNG agent's own API on the node (docs/bng-pool-api.md): the pool list every
// interval, revalidated with ETag so an unchanged list costs a 304, and the lease list of every
// shared pool (host-route mode) the same way, from the leases path next to the pools path.
import type { PoolPolling } from '../compile/model.ts';
import { readLeases, readPools } from './agent-api.ts';
import { getJson } from './http-get.ts';
import type { BngPool, InvalidPool } from './pool.ts';
import { errorText, PolledPoolSource, type PoolList } from './pool-source.ts';

/** http://h:9090/api/v1/pools -> http://h:9090/api/v1/leases?pool=ID */
export function leasesUrl(poolsUrl: string, pool: string): string {
  const url = new URL(poolsUrl);
  url.pathname = url.pathname.replace(/\/pools\/?$/, '/leases');
  url.search = new URLSearchParams({ pool }).toString();
  return url.toString();
}

interface Cached<T> {
  etag?: string;
  value: T;
}

export class AgentPoolSource extends PolledPoolSource {
  readonly kind = 'Agent' as const;
  protected readonly refreshEveryMs = 0;
  private readonly url: string;
  private pools: Cached<{ pools: BngPool[]; invalid: InvalidPool[]; draining: boolean }> | undefined;
  /** By pool id and CIDR: a pool whose CIDR changed starts again from a full lease list. */
  private leases = new Map<string, Cached<string[]>>();
  private leaseErrors = '';
  /** Something changed that the last returned list does not have yet (survives a failed read). */
  private dirty = false;

  constructor(settings: PoolPolling & { url: string }, onChange: () => void) {
    super(settings, onChange);
    this.url = settings.url;
  }

  protected async refresh(): Promise<PoolList | undefined> {
    // Lists are read beside the health loop: they may take longer than one interval.
    const timeout = Math.max(this.polling.intervalMs * 4, 2_000);
    const answer = await getJson(this.url, timeout, this.pools?.etag);
    if (answer.changed) {
      this.dirty = true;
      const { response, pools, invalid } = readPools(answer.body);
      this.pools = {
        ...(answer.etag ? { etag: answer.etag } : {}),
        value: { pools, invalid, draining: response.draining ?? false },
      };
    }
    const current = this.pools?.value ?? { pools: [], invalid: [], draining: false };
    const key = (p: BngPool) => `${p.id} ${p.cidr}`;
    const shared = current.pools.filter((p) => p.sharing === 'shared');
    const wanted = new Set(shared.map(key));
    for (const k of this.leases.keys()) if (!wanted.has(k)) this.leases.delete(k);
    const errors: string[] = [];
    for (const pool of shared) {
      const cached = this.leases.get(key(pool));
      try {
        const leases = await getJson(leasesUrl(this.url, pool.id), timeout, cached?.etag);
        if (!leases.changed) continue;
        this.leases.set(key(pool), {
          ...(leases.etag ? { etag: leases.etag } : {}),
          value: readLeases(leases.body, pool),
        });
        this.dirty = true;
      } catch (err) {
        // Never read: the list is not usable yet (publishing the pool without its host routes
        // would withdraw them). Read before: keep the last leases and report.
        if (!cached) throw err;
        errors.push(errorText(err));
      }
    }
    const partialError = errors.join('; ');
    if (partialError !== this.leaseErrors) this.dirty = true;
    this.leaseErrors = partialError;
    if (!this.dirty) return undefined;
    this.dirty = false;
    return {
      ...current,
      pools: current.pools.map((p) =>
        p.sharing === 'shared' ? { ...p, leases: this.leases.get(key(p))?.value ?? [] } : p,
      ),
      ...(partialError ? { partialError } : {}),
    };
  }
}
