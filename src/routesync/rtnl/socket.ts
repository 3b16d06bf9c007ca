// One NETLINK_ROUTE socket (the `netlink` package's native socket) with request/answer matching by
// sequence number. A request is any number of messages sent in one sendmsg; only the last asks for
// an acknowledgement, because the kernel handles a datagram's messages in order and reports every
// failure anyway: when the last one is acknowledged, every earlier failure has already arrived.
import { RawNetlinkSocket } from 'netlink';
import { NLMSG_DONE, NLMSG_ERROR, errorCode, splitMessages, type NetlinkMessage } from './codec.ts';

const NETLINK_ROUTE = 0;
const NLM_F_DUMP_INTR = 0x10;

export class NetlinkError extends Error {
  override name = 'NetlinkError';
  readonly errno: number;
  constructor(message: string, errno: number) {
    super(message);
    this.errno = errno;
  }
}

/** A failure of one message of a request. */
export interface MessageFailure {
  seq: number;
  errno: number;
}

export interface Answer {
  failures: MessageFailure[];
  /** A dump changed while it was read (NLM_F_DUMP_INTR): read it again. */
  interrupted: boolean;
}

interface Pending {
  first: number;
  last: number;
  /** Dumps and lookups end with NLMSG_DONE or their answer, batches with the last ack. */
  onMessage?: (m: NetlinkMessage) => void;
  answer: Answer;
  resolve: (a: Answer) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export interface RtnlSocketOptions {
  /** A request with no final answer after this long fails (default 60 s). */
  timeoutMs?: number;
}

export class RtnlSocket {
  private readonly raw: RawNetlinkSocket;
  private readonly pending: Pending[] = [];
  private readonly timeoutMs: number;
  private nextSeq = 1;
  private closed = false;

  constructor(opts: RtnlSocketOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    // Large buffers: a batch that fails as a whole queues one error per message before we read.
    this.raw = new RawNetlinkSocket(NETLINK_ROUTE, { recvBufferSize: 8 << 20, sendBufferSize: 8 << 20 });
    this.raw.on('message', (datagram) => this.onDatagram(datagram));
    this.raw.on('error', (err) =>
      this.failAll(new NetlinkError(`netlink socket: ${err.message}`, err.errno)),
    );
  }

  /** Reserves `count` consecutive sequence numbers; returns the first. */
  reserve(count: number): number {
    const first = this.nextSeq;
    this.nextSeq = (this.nextSeq + count) >>> 0 || 1;
    if (this.nextSeq < first) {
      // Wrapped: start again at 1 so a request's range is never split.
      this.nextSeq = count + 1;
      return 1;
    }
    return first;
  }

  /**
   * Sends `chunks` as one datagram holding messages with sequence numbers first..last and waits
   * for the answer to `last`. Messages of other types for these numbers go to `onMessage`.
   */
  request(
    chunks: Uint8Array[],
    first: number,
    last: number,
    onMessage?: (m: NetlinkMessage) => void,
  ): Promise<Answer> {
    if (this.closed) return Promise.reject(new NetlinkError('netlink socket closed', 0));
    return new Promise<Answer>((resolve, reject) => {
      const entry: Pending = {
        first,
        last,
        answer: { failures: [], interrupted: false },
        resolve,
        reject,
        timer: setTimeout(() => {
          this.remove(entry);
          reject(
            new NetlinkError(`netlink: no answer to request ${first}..${last} in ${this.timeoutMs} ms`, 0),
          );
        }, this.timeoutMs),
        ...(onMessage ? { onMessage } : {}),
      };
      this.pending.push(entry);
      this.raw.send(chunks, {}, (err) => {
        if (err) this.finish(entry, new NetlinkError(`netlink send: ${err.message}`, err.errno));
      });
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.failAll(new NetlinkError('netlink socket closed', 0));
    this.raw.close();
  }

  private onDatagram(datagram: Buffer): void {
    for (const m of splitMessages(datagram)) {
      const entry = this.pending.find((p) => m.seq >= p.first && m.seq <= p.last);
      if (!entry) continue; // an answer to a request that timed out
      if (m.flags & NLM_F_DUMP_INTR) entry.answer.interrupted = true;
      if (m.type === NLMSG_ERROR) {
        const errno = errorCode(m.payload);
        if (errno !== 0) entry.answer.failures.push({ seq: m.seq, errno });
        if (m.seq === entry.last) this.finish(entry);
      } else if (m.type === NLMSG_DONE) {
        if (m.seq === entry.last) this.finish(entry);
      } else {
        entry.onMessage?.(m);
        // A lookup has one answer and no NLMSG_DONE.
        if (!(m.flags & 0x2) && m.seq === entry.last && entry.first === entry.last) this.finish(entry);
      }
    }
  }

  private finish(entry: Pending, error?: Error): void {
    if (!this.remove(entry)) return;
    if (error) entry.reject(error);
    else entry.resolve(entry.answer);
  }

  private remove(entry: Pending): boolean {
    const i = this.pending.indexOf(entry);
    if (i < 0) return false;
    this.pending.splice(i, 1);
    clearTimeout(entry.timer);
    return true;
  }

  private failAll(error: Error): void {
    for (const entry of [...this.pending]) this.finish(entry, error);
  }
}
