// A keyed work queue, as controllers use it: a key waiting is queued once however often it is
// added; a key is never processed twice at once (added while processing, it runs again after);
// failures back off per key, exponentially; a reconciler can ask to run again after a delay.
// Knows nothing of BGP or Kubernetes.
import { backoffMs } from './backoff.ts';

export type Outcome = { requeueAfterMs?: number } | void;
export type Reconcile = (key: string) => Promise<Outcome>;

export interface QueueOptions {
  /** First retry delay of a failing key (default 100 ms), doubled per failure up to maxBackoffMs. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  onError?: (key: string, err: unknown, failures: number) => void;
  /** After every reconcile: how long it took and whether it succeeded (for metrics). */
  onDone?: (key: string, seconds: number, ok: boolean) => void;
}

export class WorkQueue {
  private readonly waiting = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Idle workers waiting for a key. */
  private readonly idle: (() => void)[] = [];
  private stopped = false;
  private readonly opts: QueueOptions;

  constructor(opts: QueueOptions = {}) {
    this.opts = opts;
  }

  add(key: string): void {
    if (this.stopped) return;
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    this.waiting.add(key);
    this.idle.shift()?.();
  }

  /** Adds the key after a delay; a later addAfter for the same key replaces the earlier one. */
  addAfter(key: string, delayMs: number): void {
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.add(key);
      }, delayMs).unref(),
    );
  }

  get length(): number {
    return this.waiting.size;
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    for (const wake of this.idle.splice(0)) wake();
  }

  /** Runs `reconcile` for queued keys until stop(); one key at a time per worker. */
  async run(reconcile: Reconcile, workers = 1): Promise<void> {
    await Promise.all(Array.from({ length: workers }, () => this.worker(reconcile)));
  }

  private async next(): Promise<string | undefined> {
    while (!this.stopped) {
      const key = this.waiting.values().next().value;
      if (key !== undefined) {
        this.waiting.delete(key);
        this.processing.add(key);
        return key;
      }
      await new Promise<void>((resolve) => this.idle.push(resolve));
    }
    return undefined;
  }

  private async worker(reconcile: Reconcile): Promise<void> {
    for (let key = await this.next(); key !== undefined; key = await this.next()) {
      const started = performance.now();
      const done = (ok: boolean) => this.opts.onDone?.(key, (performance.now() - started) / 1000, ok);
      try {
        const outcome = await reconcile(key);
        done(true);
        this.failures.delete(key);
        if (outcome?.requeueAfterMs !== undefined) this.addAfter(key, outcome.requeueAfterMs);
      } catch (err) {
        done(false);
        const failures = (this.failures.get(key) ?? 0) + 1;
        this.failures.set(key, failures);
        this.opts.onError?.(key, err, failures);
        const base = this.opts.baseBackoffMs ?? 100;
        this.addAfter(key, backoffMs(failures, base, this.opts.maxBackoffMs ?? 60_000));
      } finally {
        this.processing.delete(key);
        if (this.dirty.delete(key)) this.add(key);
      }
    }
  }
}
