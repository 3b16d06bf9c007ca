// The speaker itself. In GoBGP v4 StopBgp ends the daemon's BGP server for good (every later call
// fails), so the speaker is never restarted in place: an identity change (AS, router ID, listen
// port, multipath) stops it with graceful restart allowed (GR peers keep our routes as stale,
// the others get a Cease at once), has the gobgpd process replaced, and starts the new one. A
// gobgpd that was restarted, or replaced, shows BGP not running and is simply started: the later
// reconcilers read its empty state and re-apply everything.
import { setTimeout as sleep } from 'node:timers/promises';
import type { GobgpClient } from '../client.ts';
import { GobgpError } from '../errors.ts';
import { toApiGlobal } from '../convert.ts';
import type { DesiredGlobal } from '../../compile/model.ts';
import type { GetBgpResponse__Output } from '../../../gen/ts/gobgp/api/GetBgpResponse.ts';

export type GlobalOutcome = 'unchanged' | 'started' | 'restarted' | 'stopped';

/** Replaces the gobgpd process (in a pod: kill the sidecar's gobgpd and let kubelet restart it). */
export type RestartDaemon = () => Promise<void>;

export class DaemonRestartUnavailable extends Error {
  constructor(why: string) {
    super(`gobgpd must be restarted (${why}) but no way to restart it was given`);
    this.name = 'DaemonRestartUnavailable';
  }
}

/** The running global config; undefined when the daemon's BGP server was stopped by StopBgp. */
async function readGlobal(client: GobgpClient): Promise<GetBgpResponse__Output['global'] | undefined> {
  try {
    return (await client.getBgp()).global;
  } catch (err) {
    // Unreachable is transient (retry); any other failure of GetBgp means its server was stopped.
    if (err instanceof GobgpError && !err.unavailable) return undefined;
    throw err;
  }
}

async function replaceDaemon(
  client: GobgpClient,
  restart: RestartDaemon | undefined,
  why: string,
): Promise<void> {
  if (!restart) throw new DaemonRestartUnavailable(why);
  await restart();
  for (let i = 0; i < 300; i++) {
    const global = await readGlobal(client).catch(() => undefined);
    if (global && global.asn === 0) return;
    await sleep(100);
  }
  throw new Error('gobgpd did not come back within 30 s of its restart');
}

export async function reconcileGlobal(
  client: GobgpClient,
  desired: DesiredGlobal | undefined,
  restart?: RestartDaemon,
): Promise<GlobalOutcome> {
  let running = await readGlobal(client);
  if (running === undefined) {
    if (!desired) return 'unchanged';
    await replaceDaemon(client, restart, 'its BGP server was stopped');
    running = null;
  }
  if (!running || running.asn === 0) {
    if (!desired) return 'unchanged';
    await client.startBgp(toApiGlobal(desired));
    return 'started';
  }
  if (!desired) {
    // No configuration covers this node any more: leave for real (a later configuration needs a
    // new gobgpd: restartDaemon, or the pod deleted when there is none).
    await client.stopBgp(false);
    return 'stopped';
  }
  const same =
    running.asn === desired.asn &&
    running.routerId === desired.routerId &&
    running.listenPort === desired.listenPort &&
    running.useMultiplePaths === desired.maxPaths > 1;
  if (same) return 'unchanged';
  // Check before stopping: a speaker stopped with no way to start a new gobgpd would blackhole the
  // node; left running with its old identity, it keeps forwarding while the error is reported.
  if (!restart) throw new DaemonRestartUnavailable('its identity changed');
  await client.stopBgp(true);
  await replaceDaemon(client, restart, 'its identity changed');
  await client.startBgp(toApiGlobal(desired));
  return 'restarted';
}
