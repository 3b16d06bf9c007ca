// Peers last: with graceful restart, every path and policy is in place before a session comes up,
// so the first UPDATEs and End-of-RIB are complete. gobgpd is ours alone: a peer we do not want is
// deleted. A changed peer goes through UpdatePeer, which GoBGP applies live or, when the OPEN must
// change, by resetting that one peer.
import type { GobgpClient } from '../client.ts';
import { peerDescription, toApiPeer } from '../convert.ts';
import type { DesiredGlobal, DesiredPeer } from '../../compile/model.ts';

export async function reconcilePeers(
  client: GobgpClient,
  global: DesiredGlobal | undefined,
  desired: DesiredPeer[],
) {
  if (!global) return; // the speaker is stopped: it has no peers
  const running = new Map((await client.listPeers()).map((p) => [p.conf?.neighborAddress ?? '', p]));
  for (const peer of desired) {
    const current = running.get(peer.address);
    if (!current) await client.addPeer(toApiPeer(peer, global));
    else if (current.conf?.description !== peerDescription(peer, global))
      await client.updatePeer(toApiPeer(peer, global));
  }
  const wanted = new Set(desired.map((p) => p.address));
  for (const address of running.keys()) if (!wanted.has(address)) await client.deletePeer(address);
}
