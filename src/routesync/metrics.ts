// Route sync's Prometheus metrics. Gauges are set from the sync's own counters after each pass, so
// a scrape never walks a million-route table.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface SyncFigures {
  installed: { ipv4: number; ipv6: number };
  learned: number;
  skipped: ReadonlyMap<string, { count: number }>;
  /** The kernel writer's running totals (the counter gets the increase since the last publish). */
  writes: Readonly<Record<'add' | 'replace' | 'delete', number>>;
}

export class RouteSyncMetrics {
  readonly routes: Gauge<'family'>;
  readonly learned: Gauge;
  readonly skipped: Gauge<'reason'>;
  readonly writes: Counter<'op'>;
  readonly errors: Counter;
  readonly duration: Histogram<'kind'>;
  readonly lastSync: Gauge;
  private published = { add: 0, replace: 0, delete: 0 };

  constructor(registry: Registry) {
    const registers = [registry];
    this.routes = new Gauge({
      name: 'bngbgp_fib_routes',
      help: 'Routes bng-bgp has installed in the kernel (protocol 196), by address family.',
      labelNames: ['family'],
      registers,
    });
    this.learned = new Gauge({
      name: 'bngbgp_fib_learned_prefixes',
      help: 'Prefixes with a best path in GoBGP (installed or not).',
      registers,
    });
    this.skipped = new Gauge({
      name: 'bngbgp_fib_skipped_prefixes',
      help: 'Learned prefixes not installed at the last full sync, by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.writes = new Counter({
      name: 'bngbgp_fib_netlink_writes_total',
      help: 'Route messages sent to the kernel, by operation (add, replace, delete).',
      labelNames: ['op'],
      registers,
    });
    this.errors = new Counter({
      name: 'bngbgp_fib_netlink_errors_total',
      help: 'Route messages the kernel refused.',
      registers,
    });
    this.duration = new Histogram({
      name: 'bngbgp_fib_sync_duration_seconds',
      help: 'Duration of a sync pass: full (kernel read back and compared) or incremental (changed prefixes).',
      labelNames: ['kind'],
      buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60],
      registers,
    });
    this.lastSync = new Gauge({
      name: 'bngbgp_fib_last_sync_timestamp_seconds',
      help: 'Unix time of the last completed sync pass.',
      registers,
    });
  }

  /** A new kernel writer starts its totals at zero. */
  newWriter(): void {
    this.published = { add: 0, replace: 0, delete: 0 };
  }

  /** After a pass: gauges set, write counters advanced. */
  publish(f: SyncFigures): void {
    this.routes.set({ family: 'ipv4' }, f.installed.ipv4);
    this.routes.set({ family: 'ipv6' }, f.installed.ipv6);
    this.learned.set(f.learned);
    this.skipped.reset();
    for (const [reason, { count }] of f.skipped) this.skipped.set({ reason }, count);
    for (const op of ['add', 'replace', 'delete'] as const) {
      this.writes.inc({ op }, f.writes[op] - this.published[op]);
      this.published[op] = f.writes[op];
    }
    this.lastSync.set(Date.now() / 1000);
  }
}
