// What route sync believes the kernel holds of ours: prefix -> route, refreshed from the kernel on
// every full resync and kept current as changes are sent. Route values are interned (a full table
// has a handful of distinct next-hop sets) and counted by family so metrics cost nothing.
import type { InstalledRoute } from './plan.ts';

export class InstalledTable implements ReadonlyMap<string, InstalledRoute> {
  private readonly routes = new Map<string, InstalledRoute>();
  private readonly interned = new Map<string, InstalledRoute>();
  ipv4 = 0;
  ipv6 = 0;

  set(prefix: string, route: InstalledRoute): void {
    if (!this.routes.has(prefix)) this.count(prefix, 1);
    this.routes.set(prefix, this.intern(route));
  }

  delete(prefix: string): void {
    if (this.routes.delete(prefix)) this.count(prefix, -1);
  }

  private count(prefix: string, by: number): void {
    if (prefix.includes(':')) this.ipv6 += by;
    else this.ipv4 += by;
  }

  private intern(route: InstalledRoute): InstalledRoute {
    const key = `${route.metric} ${route.nextHops.join(',')}`;
    let shared = this.interned.get(key);
    if (!shared) {
      if (this.interned.size > 10_000) this.interned.clear();
      shared = { metric: route.metric, nextHops: [...route.nextHops] };
      this.interned.set(key, shared);
    }
    return shared;
  }

  // ReadonlyMap, for the planner.
  get size(): number {
    return this.routes.size;
  }
  get(prefix: string): InstalledRoute | undefined {
    return this.routes.get(prefix);
  }
  has(prefix: string): boolean {
    return this.routes.has(prefix);
  }
  forEach(fn: (value: InstalledRoute, key: string, map: ReadonlyMap<string, InstalledRoute>) => void): void {
    this.routes.forEach((v, k) => fn(v, k, this));
  }
  entries(): MapIterator<[string, InstalledRoute]> {
    return this.routes.entries();
  }
  keys(): MapIterator<string> {
    return this.routes.keys();
  }
  values(): MapIterator<InstalledRoute> {
    return this.routes.values();
  }
  [Symbol.iterator](): MapIterator<[string, InstalledRoute]> {
    return this.routes[Symbol.iterator]();
  }
}
