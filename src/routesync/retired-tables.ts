// Tables route sync no longer installs into: emptied of our routes once. A table is retired when
// the configuration moves to another table or disables installation (the configured table is then
// emptied too, in case a previous run left routes there).
import type { Logger } from 'pino';
import { KernelFib, type RouteChange } from './rtnl/kernel-fib.ts';

export class RetiredTables {
  private readonly used = new Set<number>();
  private readonly cleaned = new Set<number>();
  private readonly protocol: number;

  constructor(protocol: number) {
    this.protocol = protocol;
  }

  /** Route sync installs into `table` now. */
  use(table: number): void {
    this.used.add(table);
    this.cleaned.delete(table);
  }

  /** Removes our routes from every used table but `current`, and from `disabled` (installation off). */
  async clean(current: number | undefined, disabled: number | undefined, log: Logger): Promise<void> {
    const candidates = new Set(this.used);
    if (disabled !== undefined) candidates.add(disabled);
    for (const table of candidates) {
      if (table === current || this.cleaned.has(table)) continue;
      const fib = new KernelFib({ table, protocol: this.protocol });
      try {
        const ours: RouteChange[] = [];
        await fib.readRoutes((r) => ours.push({ ...r, op: 'delete' }));
        await fib.apply(ours);
        this.cleaned.add(table);
        if (ours.length > 0)
          log.info({ table, removed: ours.length }, 'removed our routes from a table no longer used');
      } finally {
        fib.close();
      }
    }
  }
}
