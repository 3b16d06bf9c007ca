// BNG pool metrics: whether the local BNG answers (the alert an ISP wants first), the routes each
// pool is advertised with, and how often the node lost its BNG. Set after every node pass.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { PoolOutcome } from '../compile/model.ts';
import type { PoolView } from './pool.ts';

export class PoolMetrics {
  private readonly up: Gauge<'source'>;
  private readonly routes: Gauge<'pool' | 'cidr' | 'mode'>;
  private readonly downs: Counter;
  private lastHealth: PoolView['health'] | undefined;

  constructor(registry: Registry) {
    const registers = [registry];
    this.up = new Gauge({
      name: 'bngbgp_bng_up',
      help: 'Whether the local BNG answers its health check (1), or its pool routes are withdrawn (0); absent without a pool source.',
      labelNames: ['source'],
      registers,
    });
    this.routes = new Gauge({
      name: 'bngbgp_bng_pool_routes',
      help: 'Routes advertised for each BNG pool of this node (0: not advertised, see BGPNodeState).',
      labelNames: ['pool', 'cidr', 'mode'],
      registers,
    });
    this.downs = new Counter({
      name: 'bngbgp_bng_down_total',
      help: 'Times the local BNG stopped answering and its pool routes were withdrawn.',
      registers,
    });
  }

  publish(view: PoolView | undefined, outcomes: PoolOutcome[]): void {
    this.routes.reset();
    if (!view) {
      this.up.reset();
      return;
    }
    if (view.health === 'Down' && this.lastHealth !== 'Down' && this.lastHealth !== undefined)
      this.downs.inc();
    this.lastHealth = view.health;
    this.up.reset();
    this.up.set({ source: view.source }, view.health === 'Healthy' ? 1 : 0);
    for (const o of outcomes) this.routes.set({ pool: o.pool.id, cidr: o.pool.cidr, mode: o.mode }, o.routes);
  }
}
