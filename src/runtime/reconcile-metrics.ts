// Reconcile outcomes and durations of every work queue (cilium_bgp_control_plane_reconcile_* in
// spirit): one counter and one histogram, labelled by controller and key (both fixed sets here).
import { Counter, Histogram, type Registry } from 'prom-client';
import type { QueueOptions } from './workqueue.ts';

export class ReconcileMetrics {
  private readonly total: Counter<'controller' | 'key' | 'outcome'>;
  private readonly duration: Histogram<'controller' | 'key'>;

  constructor(registry: Registry) {
    this.total = new Counter({
      name: 'bngbgp_reconcile_total',
      help: 'Reconcile passes, by controller, key and outcome (success or error).',
      labelNames: ['controller', 'key', 'outcome'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'bngbgp_reconcile_duration_seconds',
      help: 'Duration of reconcile passes, by controller and key.',
      labelNames: ['controller', 'key'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }

  /** The work-queue hook of one controller. */
  hook(controller: string): NonNullable<QueueOptions['onDone']> {
    return (key, seconds, ok) => {
      this.total.inc({ controller, key, outcome: ok ? 'success' : 'error' });
      this.duration.observe({ controller, key }, seconds);
    };
  }
}
