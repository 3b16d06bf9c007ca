// One loop for every pool source: each interval, ask the local BNG's /health (a failure is a
// non-2xx answer, a refused connection or no answer within the interval); after failureThreshold
// failures in a row the BNG is Down and every pool route of the node is withdrawn, the first
// success brings them back. The pool list is read beside that loop, never in it, so a slow list
// (a hung agent, an unreachable Nexus) never delays noticing a dead BNG. The node agent hears about
// a change only when the view really changed.
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

/** What a source's refresh found. */
export interface PoolList {
  pools: BngPool[];
  invalid?: InvalidPool[];
  draining?: boolean;
  /** Part of the list could not be read (say, one pool's leases): the rest is still used. */
  partialError?: string;
}

/** An error's text, for status messages. */
export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const message = (err: unknown) => errorText(err).slice(0, 300);

export abstract class PolledPoolSource implements PoolSource {
  abstract readonly kind: PoolSourceKind;
  private health: BngHealth = 'Starting';
  private failures = 0;
  private healthError: string | undefined;
  private list: PoolList = { pools: [] };
  /** A list has been read at least once. */
  private listed = false;
  private listError: string | undefined;
  private lastAttempt = -Infinity;
  private listKey = '';
  private refreshing: Promise<void> | undefined;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;

  protected readonly polling: PoolPolling;
  private readonly onChange: () => void;

  constructor(polling: PoolPolling, onChange: () => void) {
    this.polling = polling;
    this.onChange = onChange;
  }

  /** How often the pool list is read (or retried) while the BNG answers. */
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
    await this.refreshing;
  }

  view(): PoolView {
    const listError = this.listError ?? this.list.partialError;
    return {
      source: this.kind,
      health: this.health,
      settled: this.health === 'Down' || (this.health === 'Healthy' && this.listed),
      ...(this.healthError ? { healthError: this.healthError } : {}),
      draining: this.list.draining ?? false,
      pools: this.list.pools,
      invalid: this.list.invalid ?? [],
      ...(listError ? { listError } : {}),
    };
  }

  private summary(): string {
    return `${this.health} ${this.listed} ${this.healthError} ${this.listError}`;
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
    const before = this.summary();
    let answered = false;
    try {
      await probe(this.polling.healthURL, this.polling.intervalMs);
      answered = true;
      this.failures = 0;
      this.health = 'Healthy';
      this.healthError = undefined;
    } catch (err) {
      this.failures++;
      this.healthError = message(err);
      if (this.failures >= this.polling.failureThreshold) this.health = 'Down';
    }
    const due = performance.now() - this.lastAttempt >= this.refreshEveryMs;
    if (answered && due && !this.refreshing && !this.stopping.signal.aborted) {
      this.lastAttempt = performance.now();
      this.refreshing = this.refreshList().finally(() => (this.refreshing = undefined));
    }
    if (this.summary() !== before) this.onChange();
  }

  private async refreshList(): Promise<void> {
    const before = this.summary();
    let changed = false;
    try {
      const list = await this.refresh();
      this.listError = undefined;
      this.listed = true;
      const key = list && JSON.stringify(list);
      if (list && key !== this.listKey) {
        this.list = list;
        this.listKey = key ?? '';
        changed = true;
      }
    } catch (err) {
      this.listError = message(err);
    }
    if (changed || this.summary() !== before) this.onChange();
  }
}
