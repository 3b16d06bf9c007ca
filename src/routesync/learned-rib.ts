// The learned RIB: per prefix, the best path (or the multipath set) GoBGP holds, fed by its
// best-path stream. Sized for a full table: each prefix maps to one interned string describing its
// path set ("source=nexthop" entries, sorted), and prefixes with the same peers and next hops share
// it, so a million routes cost a map entry each. Changed prefixes are remembered until taken, which
// is what lets route sync write only what moved.

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
  /** The one copy of the key string every prefix with this set points to. */
  key: string;
  nextHops: readonly string[];
  local: boolean;
  /** source -> next hop */
  paths: ReadonlyMap<string, string>;
}

const MAX_INTERNED = 10_000;

export class LearnedRib {
  /**
   * multipath: GoBGP sends multipath deltas (each path added or withdrawn on its own); otherwise
   * each path is the prefix's new single best and replaces what was there.
   */
  readonly multipath: boolean;
  private readonly prefixes = new Map<string, string>();
  private readonly interned = new Map<string, PathSet>();
  private changed = new Set<string>();

  constructor(multipath: boolean) {
    this.multipath = multipath;
  }

  get size(): number {
    return this.prefixes.size;
  }

  apply(update: BestPathUpdate): void {
    const current = this.prefixes.get(update.prefix);
    let paths: Map<string, string>;
    if (!this.multipath) paths = new Map();
    else paths = new Map(current === undefined ? [] : this.decode(current).paths);
    if (update.withdraw) paths.delete(update.source);
    else paths.set(update.source, update.nextHop);
    const next = paths.size === 0 ? undefined : this.encode(paths);
    if (next === current) return;
    if (next === undefined) this.prefixes.delete(update.prefix);
    else this.prefixes.set(update.prefix, next);
    this.changed.add(update.prefix);
  }

  has(prefix: string): boolean {
    return this.prefixes.has(prefix);
  }

  prefixKeys(): MapIterator<string> {
    return this.prefixes.keys();
  }

  /** Every next hop some path set uses (a handful even for a full table). */
  nextHops(): Set<string> {
    const out = new Set<string>();
    for (const set of this.interned.values()) for (const h of set.nextHops) out.add(h);
    return out;
  }

  get(prefix: string): LearnedRoute | undefined {
    const key = this.prefixes.get(prefix);
    return key === undefined ? undefined : this.route(prefix, key);
  }

  *routes(): Generator<LearnedRoute> {
    for (const [prefix, key] of this.prefixes) yield this.route(prefix, key);
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

  private route(prefix: string, key: string): LearnedRoute {
    const set = this.decode(key);
    return { prefix, nextHops: set.nextHops, local: set.local };
  }

  private encode(paths: Map<string, string>): string {
    const key = [...paths]
      .map(([s, h]) => `${s}=${h}`)
      .sort()
      .join('|');
    const existing = this.interned.get(key);
    if (existing) return existing.key;
    if (this.interned.size >= MAX_INTERNED) this.pruneInterned();
    this.interned.set(key, {
      key,
      paths,
      local: paths.has(''),
      nextHops: [...new Set([...paths].filter(([s, h]) => s !== '' && h !== '').map(([, h]) => h))].sort(),
    });
    return key;
  }

  /** Drops path sets no prefix uses any more (they pile up as peers and next hops come and go). */
  private pruneInterned(): void {
    const used = new Set(this.prefixes.values());
    for (const key of this.interned.keys()) if (!used.has(key)) this.interned.delete(key);
  }

  private decode(key: string): PathSet {
    const set = this.interned.get(key);
    if (!set) throw new Error(`learned RIB: unknown path set ${key}`);
    return set;
  }
}
