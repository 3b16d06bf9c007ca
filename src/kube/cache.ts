// A watched cache of one resource type: @kubernetes/client-node's informer (list, then watch; a
// 410 Gone relists) under a supervisor that restarts it with backoff when it stops on an error,
// which the bare informer does. Every change calls `onChange`, so controllers enqueue and re-read.
import {
  makeInformer,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { backoffMs } from '../runtime/backoff.ts';

export interface CacheOptions<T extends KubernetesObject> {
  /** API path of the collection, for example /apis/bgp.bng-edge.io/v1alpha1/bgpsessions. */
  path: string;
  list: () => Promise<KubernetesListObject<T>>;
  onChange: (obj: T) => void;
  log: Logger;
}

export class Cache<T extends KubernetesObject> {
  private readonly informer;
  private readonly opts: CacheOptions<T>;
  private failures = 0;
  private stopped = false;
  private synced = false;

  constructor(kc: KubeConfig, opts: CacheOptions<T>) {
    this.opts = opts;
    this.informer = makeInformer<T>(kc, opts.path, opts.list);
    for (const verb of ['add', 'update', 'delete'] as const) {
      this.informer.on(verb, (obj) => {
        this.failures = 0;
        opts.onChange(obj);
      });
    }
    this.informer.on('connect', () => {
      this.failures = 0;
    });
    this.informer.on('error', (err) => {
      if (this.stopped) return;
      this.failures++;
      // At most 8 s, so agents resume within seconds of an apiserver coming back (30 s, client-go's
      // cap, left them blind for half a minute after an outage); the jitter spreads the relists of
      // every agent and kind that failed together.
      const delay = Math.round(backoffMs(this.failures + 1, 250, 8_000) * (0.75 + Math.random() / 2));
      opts.log.warn({ path: opts.path, err: String(err), retryInMs: delay }, 'watch failed, restarting');
      setTimeout(() => void this.restart(), delay).unref();
    });
  }

  private async restart(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.informer.start();
    } catch {
      // the informer reports the error through its error event, which schedules the next try
    }
  }

  /** Lists and starts watching; resolves once the first list is in the cache. */
  async start(): Promise<void> {
    await this.informer.start();
    this.synced = true;
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.informer.stop();
  }

  list(): readonly T[] {
    return this.informer.list();
  }

  get(name: string, namespace?: string): T | undefined {
    return this.informer.get(name, namespace);
  }
}
