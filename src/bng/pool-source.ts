// One loop for every pool source: each interval, ask the local BNG's /health (a failure is a
// non-2xx answer, a refused connection or no answer within the interval); after failureThreshold
// failures in a row the BNG is Down and every pool route of the node is withdrawn, the first
// success brings them back. While healthy, the source refreshes its pool list when it is due. The
// node agent hears about a change only when the view really changed.
import { setTimeout as sleep } from 'node:timers/promises';
import type { PoolPolling } from '../compile/model.ts';
import { probe } from './http-get.ts';
import type { BngHealth, BngPool, InvalidPool, PoolSourceKind, PoolView } from './pool.ts';

export interface PoolSource {
  readonly kind: PoolSourceKind;
  start(): void;
  stop(): Promise<void>;
  view(): PoolView;
}

/** What a source's refresh found; undefined fields keep their last value. */
export interface PoolList {
  pools: BngPool[];
  invalid?: InvalidPool[];
  draining?: boolean;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 300);

export abstract class PolledPoolSource implements PoolSource {
  abstract readonly kind: PoolSourceKind;
  private health: BngHealth = 'Starting';
  private failures = 0;
  private healthError: string | undefined;
  private list: PoolList = { pools: [] };
  private listError: string | undefined;
  private lastRefresh = -Infinity;
  private listKey = '';
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;

  protected readonly polling: PoolPolling;
  private readonly onChange: () => void;

  constructor(polling: PoolPolling, onChange: () => void) {
    this.polling = polling;
    this.onChange = onChange;
  }

  /** How often the pool list is read while the BNG is healthy. */
  protected abstract readonly refreshEveryMs: number;

  /**
   * Reads the pool list: undefined when it is unchanged (a 304); throws why it could not be read
   * (the last good list is kept).
   */
  protected abstract refresh(): Promise<PoolList | undefined>;

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  view(): PoolView {
    return {
      source: this.kind,
      health: this.health,
      ...(this.healthError ? { healthError: this.healthError } : {}),
      draining: this.list.draining ?? false,
      pools: this.list.pools,
      invalid: this.list.invalid ?? [],
      ...(this.listError ? { listError: this.listError } : {}),
    };
  }

  private async run(): Promise<void> {
    const { signal } = this.stopping;
    while (!signal.aborted) {
      const started = performance.now();
      await this.tick();
      const rest = this.polling.intervalMs - (performance.now() - started);
      if (rest > 0) await sleep(rest, undefined, { signal }).catch(() => undefined);
    }
  }

  private async tick(): Promise<void> {
    const before = `${this.health} ${this.healthError} ${this.listError}`;
    let listChanged = false;
    try {
      await probe(this.polling.healthURL, this.polling.intervalMs);
      this.failures = 0;
      this.health = 'Healthy';
      this.healthError = undefined;
    } catch (err) {
      this.failures++;
      this.healthError = message(err);
      if (this.failures >= this.polling.failureThreshold) this.health = 'Down';
    }
    if (this.health === 'Healthy' && performance.now() - this.lastRefresh >= this.refreshEveryMs) {
      try {
        const list = await this.refresh();
        this.listError = undefined;
        this.lastRefresh = performance.now();
        const key = list && JSON.stringify(list);
        if (list && key !== this.listKey) {
          this.list = list;
          this.listKey = key ?? '';
          listChanged = true;
        }
      } catch (err) {
        this.listError = message(err);
      }
    }
    if (listChanged || before !== `${this.health} ${this.healthError} ${this.listError}`) this.onChange();
  }
}
