// The kernel side of route sync: read our routes (one protocol, one table), apply route changes in
// batches with a bounded number in flight (backpressure: a million changes never sit in memory at
// once), and look up how the kernel would reach a next hop. Every route write is counted so tests
// and metrics can prove that an unchanged table costs nothing.
import {
  RTM_NEWROUTE,
  decodeRoute,
  encodeRoute,
  encodeRouteDump,
  encodeRouteGet,
  maxRouteMessageSize,
  routeProtocol,
  type DecodedRoute,
  type RouteOp,
} from './codec.ts';
import { RtnlSocket } from './socket.ts';

export interface RouteChange {
  op: RouteOp;
  prefix: string;
  nextHops: readonly string[];
  metric: number;
}

export interface ChangeFailure {
  change: RouteChange;
  errno: number;
}

export interface KernelFibOptions {
  table: number;
  protocol: number;
  /** Route messages per sendmsg (default 1000). */
  batchSize?: number;
  /** Batches sent and not yet acknowledged (default 4). */
  window?: number;
}

/** The kernel's answer to "how do I reach this address". */
export interface NextHopLookup {
  /** The gateway of the covering route, or undefined when the address is on a connected network. */
  gateway?: string;
  protocol: number;
  type: number;
}

const BATCH_BYTES = 256 * 1024;

export class KernelFib {
  readonly table: number;
  readonly protocol: number;
  /** Route writes sent, by operation. */
  readonly writes: Record<RouteOp, number> = { add: 0, replace: 0, delete: 0 };
  errors = 0;
  private readonly socket = new RtnlSocket();
  private readonly batchSize: number;
  private readonly window: number;

  constructor(opts: KernelFibOptions) {
    this.table = opts.table;
    this.protocol = opts.protocol;
    this.batchSize = opts.batchSize ?? 1000;
    this.window = opts.window ?? 4;
  }

  close(): void {
    this.socket.close();
  }

  /**
   * Streams our routes in our table, both families. A dump the kernel reports as interrupted (the
   * table changed while it was read) is read again, so a route may be seen twice; callers key by
   * prefix, and the next resync corrects anything a changing table hid.
   */
  async readRoutes(onRoute: (route: DecodedRoute) => void): Promise<void> {
    for (const family of [4, 6] as const) {
      for (let attempt = 1; ; attempt++) {
        const seq = this.socket.reserve(1);
        const answer = await this.socket.request([encodeRouteDump(family, seq)], seq, seq, (m) => {
          if (m.type !== RTM_NEWROUTE || routeProtocol(m.payload) !== this.protocol) return;
          const route = decodeRoute(m.payload);
          if (route.table === this.table) onRoute(route);
        });
        if (answer.failures[0]) throw new Error(`route dump failed: errno ${answer.failures[0].errno}`);
        if (!answer.interrupted || attempt >= 3) break;
      }
    }
  }

  /**
   * Applies changes in order, `batchSize` per datagram and at most `window` datagrams unanswered;
   * returns the changes the kernel refused. Consumes `changes` lazily.
   */
  async apply(changes: Iterable<RouteChange>): Promise<ChangeFailure[]> {
    const failures: ChangeFailure[] = [];
    const inFlight: Promise<void>[] = [];
    let fatal: unknown;
    let batch: RouteChange[] = [];
    let bytes = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const sent = batch;
      const sentBytes = bytes;
      batch = [];
      bytes = 0;
      if (inFlight.length >= this.window) await inFlight.shift();
      // Never a floating rejection: the first error stops the run after the batches in flight.
      inFlight.push(
        this.sendBatch(sent, sentBytes, failures).catch((err: unknown) => {
          fatal ??= err;
        }),
      );
    };
    for (const change of changes) {
      if (fatal) break;
      const size = maxRouteMessageSize(change.nextHops.length);
      if (batch.length >= this.batchSize || bytes + size > BATCH_BYTES) await flush();
      batch.push(change);
      bytes += size;
    }
    if (!fatal) await flush();
    await Promise.all(inFlight);
    if (fatal instanceof Error) throw fatal;
    if (fatal !== undefined) throw new Error('netlink batch failed');
    return failures;
  }

  /** `size`: the batch's worst-case encoded size, summed by apply() as it filled the batch. */
  private async sendBatch(batch: RouteChange[], size: number, failures: ChangeFailure[]): Promise<void> {
    const first = this.socket.reserve(batch.length);
    const buf = Buffer.allocUnsafe(size);
    let offset = 0;
    batch.forEach((c, i) => {
      offset = encodeRoute(
        buf,
        offset,
        c.op,
        {
          prefix: c.prefix,
          nextHops: c.nextHops,
          table: this.table,
          protocol: this.protocol,
          metric: c.metric,
        },
        first + i,
        i === batch.length - 1,
      );
      this.writes[c.op]++;
    });
    const answer = await this.socket.request([buf.subarray(0, offset)], first, first + batch.length - 1);
    for (const f of answer.failures) {
      const change = batch[f.seq - first];
      if (change) failures.push({ change, errno: f.errno });
    }
    this.errors += answer.failures.length;
  }

  /** How the kernel would reach `address` (main lookup, policy rules applied); undefined if unreachable. */
  async lookup(address: string): Promise<NextHopLookup | undefined> {
    const seq = this.socket.reserve(1);
    let found: DecodedRoute | undefined;
    const answer = await this.socket.request([encodeRouteGet(address, seq)], seq, seq, (m) => {
      if (m.type === RTM_NEWROUTE) found = decodeRoute(m.payload);
    });
    if (answer.failures.length > 0 || !found) return undefined;
    return {
      ...(found.nextHops[0] ? { gateway: found.nextHops[0] } : {}),
      protocol: found.protocol,
      type: found.type,
    };
  }
}
