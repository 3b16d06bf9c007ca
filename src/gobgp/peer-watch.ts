// A live view of every peer: FSM state from GoBGP's peer event stream (with its initial dump),
// prefix counts and the session name from ListPeer (peer events carry neither per-family counters
// nor the description). When the stream ends
// (gobgpd stopped or restarted) the view is cleared, `onReset` is called, and the stream is
// reopened with backoff, forever.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Peer__Output } from '../../gen/ts/gobgp/api/Peer.ts';
import type { GobgpClient } from './client.ts';
import { backoffMs } from '../runtime/backoff.ts';

export interface PeerView {
  address: string;
  /** The BGPSession, from the description bng-bgp gave the peer. */
  session?: string;
  /** Idle, Connect, Active, OpenSent, OpenConfirm, Established, or Unknown. */
  state: string;
  establishedSince?: Date;
  received: number;
  accepted: number;
  advertised: number;
  /** Times the session left Established. */
  flaps: number;
  /** Why the session last went down, for example NotificationSent: "maximum prefixes exceeded". */
  lastError?: string;
  /** The peer sent more prefixes than maxPrefixes allows and was shut down. */
  prefixLimitReached: boolean;
  /** BFD session state (Up, Down, Init, AdminDown) when BFD runs on the peer. */
  bfd?: string;
}

/** "DISCONNECT_REASON_HOLD_TIMER_EXPIRED" -> "HoldTimerExpired". */
function camel(enumName: string, prefix: string): string {
  return enumName
    .slice(prefix.length)
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_m, _s: string, c: string) => c.toUpperCase());
}

const STATE_NAMES: Record<string, string> = {
  SESSION_STATE_IDLE: 'Idle',
  SESSION_STATE_CONNECT: 'Connect',
  SESSION_STATE_ACTIVE: 'Active',
  SESSION_STATE_OPENSENT: 'OpenSent',
  SESSION_STATE_OPENCONFIRM: 'OpenConfirm',
  SESSION_STATE_ESTABLISHED: 'Established',
};

export function viewOf(peer: Peer__Output): PeerView {
  const families = peer.afiSafis ?? [];
  const count = (key: 'received' | 'accepted' | 'advertised') =>
    families.reduce((sum, f) => sum + Number(f.state?.[key] ?? 0), 0);
  const uptime = peer.timers?.state?.uptime;
  const state = STATE_NAMES[peer.state?.sessionState ?? ''] ?? 'Unknown';
  return {
    address: peer.conf?.neighborAddress ?? '',
    ...(peer.conf?.description?.startsWith('bng-bgp ')
      ? { session: peer.conf.description.split(' ')[2] }
      : {}),
    state,
    ...(state === 'Established' && uptime?.seconds
      ? { establishedSince: new Date(Number(uptime.seconds) * 1000) }
      : {}),
    received: count('received'),
    accepted: count('accepted'),
    advertised: count('advertised'),
    flaps: Number(peer.state?.flops ?? 0),
    ...lastError(peer),
    prefixLimitReached: peer.state?.adminState === 'ADMIN_STATE_PFX_CT',
    ...(peer.state?.bfdState && peer.bfd?.enabled
      ? { bfd: camel(peer.state.bfdState.sessionState, 'BFD_SESSION_STATE_') }
      : {}),
  };
}

function lastError(peer: Peer__Output): { lastError?: string } {
  // A prefix-limit shutdown sets the admin state and leaves the disconnect reason empty.
  if (peer.state?.adminState === 'ADMIN_STATE_PFX_CT') return { lastError: 'MaximumPrefixesExceeded' };
  const reason = peer.state?.disconnectReason ?? 'DISCONNECT_REASON_UNSPECIFIED';
  if (reason === 'DISCONNECT_REASON_UNSPECIFIED') return {};
  const message = peer.state?.disconnectMessage;
  return { lastError: `${camel(reason, 'DISCONNECT_REASON_')}${message ? `: ${message}` : ''}` };
}

/** `{ key: value }` when the view has that key set, else nothing: for spreading optional fields. */
function pick<K extends keyof PeerView>(v: PeerView, key: K): Partial<Pick<PeerView, K>> {
  return v[key] === undefined ? {} : ({ [key]: v[key] } as Partial<Pick<PeerView, K>>);
}

export interface PeerWatcherOptions {
  /** gobgpd went away (the stream ended): its state must be re-applied when it is back. */
  onReset?: () => void;
  /** A peer's FSM state changed. */
  onChange?: (peer: PeerView) => void;
  countsEveryMs?: number;
}

export class PeerWatcher {
  private readonly view = new Map<string, PeerView>();
  private readonly stopController = new AbortController();
  private loops: Promise<void>[] = [];

  private readonly client: GobgpClient;
  private readonly opts: PeerWatcherOptions;

  constructor(client: GobgpClient, opts: PeerWatcherOptions = {}) {
    this.client = client;
    this.opts = opts;
  }

  peers(): PeerView[] {
    return [...this.view.values()].sort((a, b) => a.address.localeCompare(b.address));
  }

  start(): void {
    this.loops = [this.watchLoop(), this.countLoop()];
  }

  async stop(): Promise<void> {
    this.stopController.abort();
    await Promise.all(this.loops);
  }

  /** A state change from the event stream: counters and session name stay as ListPeer gave them. */
  private update(peer: Peer__Output): void {
    const next = viewOf(peer);
    const previous = this.view.get(next.address);
    const merged: PeerView = previous
      ? {
          ...previous,
          state: next.state,
          flaps: next.flaps,
          prefixLimitReached: next.prefixLimitReached,
          ...pick(next, 'establishedSince'),
          ...pick(next, 'lastError'),
        }
      : next;
    if (merged.state !== 'Established') delete merged.establishedSince;
    this.view.set(next.address, merged);
    if (previous?.state !== merged.state) this.opts.onChange?.(merged);
  }

  private async watchLoop(): Promise<void> {
    const signal = this.stopController.signal;
    let attempt = 0;
    while (!signal.aborted) {
      const stream = this.client.watchEvent({ peer: {} });
      const cancel = () => stream.cancel();
      signal.addEventListener('abort', cancel, { once: true });
      try {
        for await (const event of stream) {
          attempt = 0;
          const e = (event as { peer?: { type?: string; peer?: Peer__Output | null } }).peer;
          // END_OF_INIT only marks the end of the initial dump; its peer is a placeholder.
          if (e?.peer && e.type !== 'TYPE_END_OF_INIT') this.update(e.peer);
        }
      } catch {
        // stream broken: gobgpd went away or the watch was cancelled
      }
      signal.removeEventListener('abort', cancel);
      if (signal.aborted) return;
      this.view.clear();
      this.opts.onReset?.();
      attempt++;
      await sleep(backoffMs(attempt + 1, 100, 5_000), undefined, { signal }).catch(() => undefined);
    }
  }

  private async countLoop(): Promise<void> {
    const signal = this.stopController.signal;
    while (!signal.aborted) {
      try {
        for (const peer of await this.client.listPeers()) {
          const fresh = viewOf(peer);
          const current = this.view.get(fresh.address);
          // The stream owns the state once it has reported; ListPeer fills in the rest.
          this.view.set(
            fresh.address,
            current ? { ...fresh, state: current.state, ...pick(current, 'establishedSince') } : fresh,
          );
        }
      } catch {
        // gobgpd unavailable: the watch loop reports it
      }
      await sleep(this.opts.countsEveryMs ?? 5_000, undefined, { signal }).catch(() => undefined);
    }
  }
}
