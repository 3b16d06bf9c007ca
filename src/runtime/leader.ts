// Lease-based leader election (coordination.k8s.io/v1), as client-go does it: the holder renews
// the lease every retry period; another candidate takes it over once it has seen no renewal for a
// whole lease duration, judged by its own clock from when it last saw the record change (so clock
// skew between nodes cannot make two leaders). A holder that cannot renew within the renew
// deadline steps down; a holder that stops releases the lease so a successor takes over at once.
import { setTimeout as sleep } from 'node:timers/promises';
import type { CoordinationV1Api, V1Lease } from '@kubernetes/client-node';
import { httpStatus } from '../kube/api-errors.ts';

export interface LeaderOptions {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
  onError?: (err: unknown) => void;
}

/**
 * A Lease's times are MicroTime (six fractional digits); @kubernetes/client-node serialises a Date
 * with three, which the apiserver rejects. This Date serialises itself the way the API wants.
 */
class MicroTime extends Date {
  override toISOString(): string {
    return super.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
  }
}

export class LeaderElector {
  private readonly api: CoordinationV1Api;
  private readonly opts: Required<Omit<LeaderOptions, 'onError'>> & Pick<LeaderOptions, 'onError'>;
  private leading = false;
  private lastRenewed = 0;
  private observed: { record: string; at: number } | undefined;
  private readonly stopController = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(api: CoordinationV1Api, opts: LeaderOptions) {
    this.api = api;
    this.opts = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, ...opts };
  }

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops campaigning; a leader releases the lease so another candidate takes over at once. */
  async stop(): Promise<void> {
    this.stopController.abort();
    await this.loop;
    if (this.leading) {
      await this.release().catch((err: unknown) => this.opts.onError?.(err));
      this.setLeading(false);
    }
  }

  private setLeading(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    if (leading) this.opts.onStartedLeading();
    else this.opts.onStoppedLeading();
  }

  private async run(): Promise<void> {
    const signal = this.stopController.signal;
    while (!signal.aborted) {
      let held: boolean | undefined; // undefined: the API could not be asked
      try {
        held = await this.tryAcquireOrRenew();
      } catch (err) {
        this.opts.onError?.(err);
      }
      if (held) {
        this.lastRenewed = Date.now();
        this.setLeading(true);
      } else if (held === false || Date.now() - this.lastRenewed > this.opts.renewDeadlineMs) {
        this.setLeading(false);
      }
      await sleep(this.opts.retryPeriodMs, undefined, { signal }).catch(() => undefined);
    }
  }

  private leaseSpec(previous?: V1Lease): V1Lease['spec'] {
    const now = new MicroTime();
    const holder = previous?.spec?.holderIdentity;
    return {
      holderIdentity: this.opts.identity,
      leaseDurationSeconds: Math.ceil(this.opts.leaseDurationMs / 1000),
      // Times read back are plain Dates again: re-wrap them so they serialise as MicroTime.
      acquireTime:
        holder === this.opts.identity && previous?.spec?.acquireTime
          ? new MicroTime(previous.spec.acquireTime)
          : now,
      renewTime: now,
      leaseTransitions: (previous?.spec?.leaseTransitions ?? 0) + (holder === this.opts.identity ? 0 : 1),
    };
  }

  /** True when this candidate holds the lease after the call. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, name, identity } = this.opts;
    let lease: V1Lease;
    try {
      lease = await this.api.readNamespacedLease({ name, namespace });
    } catch (err) {
      if (httpStatus(err) !== 404) throw err;
      await this.api.createNamespacedLease({
        namespace,
        body: { metadata: { name, namespace }, spec: this.leaseSpec() },
      });
      return true;
    }
    const holder = lease.spec?.holderIdentity ?? '';
    const record = `${holder}@${String(lease.spec?.renewTime)}`;
    if (this.observed?.record !== record) this.observed = { record, at: Date.now() };
    const expired = holder === '' || Date.now() - this.observed.at > this.opts.leaseDurationMs;
    if (holder !== identity && !expired) return false;
    try {
      await this.api.replaceNamespacedLease({
        name,
        namespace,
        body: { ...lease, spec: this.leaseSpec(lease) },
      });
    } catch (err) {
      if (httpStatus(err) === 409) return false; // another candidate won the race
      throw err;
    }
    return true;
  }

  private async release(): Promise<void> {
    const { namespace, name } = this.opts;
    const lease = await this.api.readNamespacedLease({ name, namespace });
    if (lease.spec?.holderIdentity !== this.opts.identity) return;
    await this.api.replaceNamespacedLease({
      name,
      namespace,
      body: { ...lease, spec: { ...this.leaseSpec(lease), holderIdentity: '', leaseDurationSeconds: 1 } },
    });
  }
}
