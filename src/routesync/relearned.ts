// When a restarted gobgpd holds its peers' routes in full again, so route sync may stop keeping the
// routes it installed before the restart. "Established" is not enough: the routes follow the OPEN
// by a moment (FRR batches its first UPDATEs), and a FIB cleaned in that moment drops every
// prefix until they arrive. End-of-RIB (RFC 4724) says the table is complete.
import type { Peer__Output } from '../../gen/ts/gobgp/api/Peer.ts';

/**
 * Established, and End-of-RIB received on every family when the peer does graceful restart. A
 * helper-only peer (FRR's default) advertises the capability with a restart time but no family,
 * and still sends End-of-RIB; a peer without the capability may never send one: for it,
 * Established is all there is to know.
 */
export function hasRelearned(peer: Peer__Output): boolean {
  if (peer.state?.sessionState !== 'SESSION_STATE_ESTABLISHED') return false;
  const peerDoesGr = (peer.gracefulRestart?.peerRestartTime ?? 0) > 0;
  return (peer.afiSafis ?? []).every((family) => {
    const gr = family.mpGracefulRestart?.state;
    return gr?.endOfRibReceived || !(peerDoesGr || gr?.received);
  });
}
