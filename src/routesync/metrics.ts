// Route sync's Prometheus metrics. Gauges are set from the sync's own counters after each pass, so
// a scrape never walks a million-route table.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export class RouteSyncMetrics {
  readonly routes: Gauge<'family'>;
  readonly learned: Gauge;
  readonly skipped: Gauge<'reason'>;
  readonly writes: Counter<'op'>;
  readonly errors: Counter;
  readonly duration: Histogram<'kind'>;
  readonly lastSync: Gauge;

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
}
