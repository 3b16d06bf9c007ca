// What route sync believes the kernel holds of ours: prefix -> route, refreshed from the kernel on
// every full resync and kept current as changes are sent. Routes are interned (a full table has a
// handful of distinct next-hop sets) in a compact prefix map, and counted by family so metrics
// cost nothing.
import type { InstalledRoute } from './plan.ts';
import { PrefixMap, ValuePool } from './prefix-map.ts';

export class InstalledTable {
  private readonly routes = new PrefixMap();
  private readonly pool = new ValuePool<InstalledRoute>();
  ipv4 = 0;
  ipv6 = 0;

  get size(): number {
    return this.routes.size;
  }

  get(prefix: string): InstalledRoute | undefined {
    const index = this.routes.get(prefix);
    return index === undefined ? undefined : this.pool.get(index);
  }

  set(prefix: string, route: InstalledRoute): void {
    const index = this.pool.acquire(`${route.metric} ${route.nextHops.join(',')}`, () => ({
      metric: route.metric,
      nextHops: [...route.nextHops],
    }));
    const previous = this.routes.get(prefix);
    if (previous === undefined) this.count(prefix, 1);
    else this.pool.release(previous);
    this.routes.set(prefix, index);
  }

  delete(prefix: string): void {
    const previous = this.routes.get(prefix);
    if (previous === undefined) return;
    this.pool.release(previous);
    this.routes.delete(prefix);
    this.count(prefix, -1);
  }

  keys(): Generator<string> {
    return this.routes.keys();
  }

  private count(prefix: string, by: number): void {
    if (prefix.includes(':')) this.ipv6 += by;
    else this.ipv4 += by;
  }
}
