// The speaker itself. StopBgp/StartBgp drops every peer and the whole RIB, so only an identity
// change (AS, router ID, listen port, multipath) restarts it; everything else is applied live by
// the later reconcilers. A gobgpd that was restarted shows BGP not running, and simply gets started:
// the later reconcilers read its (empty) state and re-apply everything.
import type { GobgpClient } from '../client.ts';
import { toApiGlobal } from '../convert.ts';
import type { DesiredGlobal } from '../../compile/model.ts';

export type GlobalOutcome = 'unchanged' | 'started' | 'restarted' | 'stopped';

export async function reconcileGlobal(
  client: GobgpClient,
  desired: DesiredGlobal | undefined,
): Promise<GlobalOutcome> {
  const running = (await client.getBgp()).global;
  const isRunning = running !== null && running !== undefined && running.asn !== 0;
  if (!desired) {
    if (!isRunning) return 'unchanged';
    await client.stopBgp(false); // no configuration covers this node any more: leave for real
    return 'stopped';
  }
  if (!isRunning) {
    await client.startBgp(toApiGlobal(desired));
    return 'started';
  }
  const same =
    running.asn === desired.asn &&
    running.routerId === desired.routerId &&
    running.listenPort === desired.listenPort &&
    running.useMultiplePaths === desired.maxPaths > 1;
  if (same) return 'unchanged';
  // Identity changed: peers keep our routes as stale while the speaker comes back as the new one.
  await client.stopBgp(true);
  await client.startBgp(toApiGlobal(desired));
  return 'restarted';
}
