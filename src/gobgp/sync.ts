// Keeps gobgpd converged to the latest desired state, forever: a pass runs when the desired state
// changes, when the peer watch reports that gobgpd went away, and every resync interval; a failed
// pass is retried with exponential backoff (gobgpd not up yet, restarting, a transient error).
// Bursts of changes coalesce into one pass.
import { setTimeout as sleep } from 'node:timers/promises';
import type { DesiredState } from '../compile/model.ts';
import type { ApplyReport, GobgpDriver } from './driver.ts';
import { backoffMs } from '../runtime/backoff.ts';

export interface SyncOptions {
  resyncMs?: number;
  backoffMinMs?: number;
  backoffMaxMs?: number;
  onApplied?: (report: ApplyReport) => void;
  onError?: (err: unknown, attempt: number) => void;
}

export class GobgpSync {
  private desired: DesiredState | undefined;
  private wake: (() => void) | undefined;
  private pending = false;
  private running = false;
  private readonly stopController = new AbortController();
  private loop: Promise<void> | undefined;

  private readonly driver: GobgpDriver;
  private readonly opts: SyncOptions;

  constructor(driver: GobgpDriver, opts: SyncOptions = {}) {
    this.driver = driver;
    this.opts = opts;
  }

  /** Sets the state to converge to and schedules a pass. */
  setDesired(desired: DesiredState): void {
    this.desired = desired;
    this.trigger();
  }

  /** Schedules a pass (for example: the peer watch saw gobgpd restart). */
  trigger(): void {
    this.pending = true;
    this.wake?.();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopController.abort();
    this.wake?.();
    await this.loop;
  }

  private async waitForWork(): Promise<void> {
    if (this.pending) return;
    const signal = this.stopController.signal;
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      sleep(this.opts.resyncMs ?? 30_000, undefined, { signal }).then(resolve, resolve);
    });
    this.wake = undefined;
  }

  private async run(): Promise<void> {
    const signal = this.stopController.signal;
    let attempt = 0;
    while (!signal.aborted) {
      await this.waitForWork();
      this.pending = false;
      // Nothing to converge to yet: setDesired schedules the first pass (never spin on a trigger).
      if (signal.aborted || !this.desired) continue;
      try {
        this.opts.onApplied?.(await this.driver.apply(this.desired));
        attempt = 0;
      } catch (err) {
        attempt++;
        this.opts.onError?.(err, attempt);
        this.pending = true;
        const min = this.opts.backoffMinMs ?? 200;
        const delay = backoffMs(attempt, min, this.opts.backoffMaxMs ?? 30_000);
        await sleep(delay * (0.5 + Math.random() / 2), undefined, { signal }).catch(() => undefined);
      }
    }
  }
}
