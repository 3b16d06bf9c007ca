// The learned RIB: per prefix, the best path (or the multipath set) GoBGP holds, fed by its
// best-path stream. Sized for a full table: each prefix holds the index of an interned path set
// ("source=nexthop" entries), which prefixes with the same peers and next hops share, in a compact
// prefix map (about 20 bytes an IPv4 prefix). Changed prefixes are remembered until taken, which
// is what lets route sync write only what moved.

import { PrefixMap, ValuePool } from './prefix-map.ts';

/** One path of GoBGP's best-path stream, already reduced to what the FIB needs. */
export interface BestPathUpdate {
  /** Canonical prefix. */
  prefix: string;
  /** Where the path comes from (peer address and add-path identifier); "" for a local path. */
  source: string;
  /** Canonical next hop ("" when absent, as for a withdrawal). */
  nextHop: string;
  withdraw: boolean;
}

/** A prefix of the learned RIB, ready for the planner. */
export interface LearnedRoute {
  prefix: string;
  nextHops: readonly string[];
  /** GoBGP originates it itself (an advertisement of ours): never installed. */
  local: boolean;
}

interface PathSet {
  nextHops: readonly string[];
  local: boolean;
  /** source -> next hop */
  paths: ReadonlyMap<string, string>;
}

export class LearnedRib {
  /**
   * multipath: GoBGP sends multipath deltas (each path added or withdrawn on its own); otherwise
   * each path is the prefix's new single best and replaces what was there.
   */
  readonly multipath: boolean;
  private readonly prefixes = new PrefixMap();
  private readonly sets = new ValuePool<PathSet>();
  private changed = new Set<string>();

  constructor(multipath: boolean) {
    this.multipath = multipath;
  }

  get size(): number {
    return this.prefixes.size;
  }

  apply(update: BestPathUpdate): void {
    const current = this.prefixes.get(update.prefix);
    const paths = new Map(this.multipath && current !== undefined ? this.sets.get(current).paths : []);
    if (update.withdraw) paths.delete(update.source);
    else paths.set(update.source, update.nextHop);
    const next = paths.size === 0 ? undefined : this.intern(paths);
    if (next !== undefined && next === current) {
      this.sets.release(next); // intern() counted a second user of the same set
      return;
    }
    if (current !== undefined) this.sets.release(current);
    if (next === undefined) {
      if (current === undefined) return;
      this.prefixes.delete(update.prefix);
    } else this.prefixes.set(update.prefix, next);
    this.changed.add(update.prefix);
  }

  has(prefix: string): boolean {
    return this.prefixes.has(prefix);
  }

  prefixKeys(): Generator<string> {
    return this.prefixes.keys();
  }

  /** Every next hop some path set uses (a handful even for a full table). */
  nextHops(): Set<string> {
    const out = new Set<string>();
    for (const set of this.sets.values()) for (const h of set.nextHops) out.add(h);
    return out;
  }

  get(prefix: string): LearnedRoute | undefined {
    const index = this.prefixes.get(prefix);
    return index === undefined ? undefined : this.route(prefix, index);
  }

  /** Prefixes changed since the last call (added, changed or gone). */
  takeChanged(): Set<string> {
    const out = this.changed;
    this.changed = new Set();
    return out;
  }

  get changedCount(): number {
    return this.changed.size;
  }

  private route(prefix: string, index: number): LearnedRoute {
    const set = this.sets.get(index);
    return { prefix, nextHops: set.nextHops, local: set.local };
  }

  private intern(paths: Map<string, string>): number {
    const [only] = paths;
    const key =
      paths.size === 1 && only
        ? `${only[0]}=${only[1]}`
        : [...paths]
            .map(([s, h]) => `${s}=${h}`)
            .sort()
            .join('|');
    return this.sets.acquire(key, () => ({
      paths,
      local: paths.has(''),
      nextHops: [...new Set([...paths].filter(([s, h]) => s !== '' && h !== '').map(([, h]) => h))].sort(),
    }));
  }
}
