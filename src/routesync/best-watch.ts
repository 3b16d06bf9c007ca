// Follows GoBGP's best-path stream (WatchEvent table BEST with the initial dump) into a sink, and
// starts over on every reconnect. GoBGP sends the initial dump as messages of batchSize+1 paths
// followed by one shorter (possibly empty) message, and sends no dump at all before the speaker is
// started: so the watch waits for a started speaker, and the first message of batchSize paths or
// fewer ends the dump (docs/gobgp-v4.md; test/routesync checks it against gobgpd).
import { setTimeout as sleep } from 'node:timers/promises';
import type { LeanPath } from '../gobgp/best-path-decoder.ts';
import type { GobgpClient } from '../gobgp/client.ts';
import { backoffMs } from '../runtime/backoff.ts';
import type { BestPathUpdate } from './learned-rib.ts';
import { canonicalAddress, prefixKey } from './rtnl/addr.ts';

export interface BestPathSink {
  /** A new stream: forget everything learned so far (the dump follows). */
  reset(): void;
  update(paths: BestPathUpdate[]): void;
  /** The initial dump is complete: the learned RIB is whole again. */
  ready(): void;
}

export const WATCH_BATCH_SIZE = 2000;

/** A path of the stream in route sync's terms (canonical text); undefined when it is not IP unicast. */
export function bestPathUpdate(path: LeanPath): BestPathUpdate | undefined {
  if (!path.prefix) return undefined;
  const prefix = prefixKey(path.prefix, path.prefixLength);
  if (!prefix) return undefined;
  const source = path.neighborIp
    ? `${canonicalAddress(path.neighborIp) ?? path.neighborIp}#${path.identifier}`
    : '';
  return {
    prefix,
    source,
    nextHop: path.nextHop ? (canonicalAddress(path.nextHop) ?? '') : '',
    withdraw: path.withdraw,
  };
}

export class BestPathWatch {
  private readonly client: GobgpClient;
  private readonly sink: BestPathSink;
  private readonly stopController = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(client: GobgpClient, sink: BestPathSink) {
    this.client = client;
    this.sink = sink;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopController.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const signal = this.stopController.signal;
    for (let attempt = 0; !signal.aborted; attempt++) {
      if (await this.speakerStarted()) {
        if (await this.follow(signal)) attempt = 0;
      }
      if (signal.aborted) return;
      await sleep(backoffMs(attempt + 1, 200, 2_000), undefined, { signal }).catch(() => undefined);
    }
  }

  private async speakerStarted(): Promise<boolean> {
    try {
      return ((await this.client.getBgp()).global?.asn ?? 0) !== 0;
    } catch {
      return false;
    }
  }

  /** One stream, until it breaks; true when it delivered anything. */
  private async follow(signal: AbortSignal): Promise<boolean> {
    const stream = this.client.watchBestPaths(WATCH_BATCH_SIZE);
    const cancel = () => stream.cancel();
    signal.addEventListener('abort', cancel, { once: true });
    this.sink.reset();
    let inDump = true;
    let delivered = false;
    try {
      for await (const event of stream) {
        const paths = event as LeanPath[] | undefined;
        if (!paths) continue;
        delivered = true;
        const updates: BestPathUpdate[] = [];
        for (const path of paths) {
          const update = bestPathUpdate(path);
          if (update) updates.push(update);
        }
        if (updates.length > 0) this.sink.update(updates);
        if (inDump && paths.length <= WATCH_BATCH_SIZE) {
          inDump = false;
          this.sink.ready();
        }
      }
    } catch {
      // the stream broke: gobgpd restarted or went away, or we were stopped
    }
    signal.removeEventListener('abort', cancel);
    return delivered;
  }
}
