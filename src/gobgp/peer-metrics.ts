// Per-peer BGP metrics, named after frrk8s_bgp_* / cilium_bgp_control_plane_* so dashboards carry
// over. Rebuilt from the peer watch's view after every node pass: a removed peer's series vanish
// with it, and at most MAX_PEERS peers are exported (a mesh of thousands would swamp Prometheus;
// BGPNodeState still lists them all).
import { Counter, Gauge, type Registry } from 'prom-client';
import type { PeerView } from './peer-watch.ts';

export const MAX_PEERS = 512;

/** BGP FSM states as numbers (RFC 4271 order), the value of bngbgp_bgp_session_state. */
const FSM: Record<string, number> = {
  Idle: 1,
  Connect: 2,
  Active: 3,
  OpenSent: 4,
  OpenConfirm: 5,
  Established: 6,
};

type PeerLabels = 'peer' | 'session';

export class PeerMetrics {
  private readonly up: Gauge<PeerLabels | 'peer_asn'>;
  private readonly state: Gauge<PeerLabels>;
  private readonly prefixes: Gauge<PeerLabels | 'direction'>;
  private readonly flaps: Counter<PeerLabels>;
  private readonly bfdUp: Gauge<PeerLabels>;
  private readonly peers: Gauge;
  private readonly gobgpConnected: Gauge;
  /** Flaps already counted, and the labels the counter series has, by peer address. */
  private readonly counted = new Map<string, { flaps: number; labels: Record<PeerLabels, string> }>();

  constructor(registry: Registry) {
    const registers = [registry];
    this.up = new Gauge({
      name: 'bngbgp_bgp_session_up',
      help: 'Whether the BGP session is Established (1) or not (0).',
      labelNames: ['peer', 'session', 'peer_asn'],
      registers,
    });
    this.state = new Gauge({
      name: 'bngbgp_bgp_session_state',
      help: 'BGP FSM state: 1 Idle, 2 Connect, 3 Active, 4 OpenSent, 5 OpenConfirm, 6 Established, 0 unknown.',
      labelNames: ['peer', 'session'],
      registers,
    });
    this.prefixes = new Gauge({
      name: 'bngbgp_bgp_prefixes',
      help: 'Prefixes per peer: received, accepted (after import policy) and advertised.',
      labelNames: ['peer', 'session', 'direction'],
      registers,
    });
    this.flaps = new Counter({
      name: 'bngbgp_bgp_session_flaps_total',
      help: 'Times the session left Established while this agent watched it.',
      labelNames: ['peer', 'session'],
      registers,
    });
    this.bfdUp = new Gauge({
      name: 'bngbgp_bfd_session_up',
      help: 'Whether the BFD session of a peer is Up (1) or not (0); absent without BFD.',
      labelNames: ['peer', 'session'],
      registers,
    });
    this.peers = new Gauge({
      name: 'bngbgp_bgp_peers',
      help: `Peers of this node (only the first ${MAX_PEERS} have per-peer series).`,
      registers,
    });
    this.gobgpConnected = new Gauge({
      name: 'bngbgp_gobgp_up',
      help: 'Whether the last apply to the GoBGP sidecar succeeded (1) or failed (0).',
      registers,
    });
  }

  setGobgpUp(up: boolean): void {
    this.gobgpConnected.set(up ? 1 : 0);
  }

  /** `desired`: the session and AS bng-bgp configured for each peer address (GoBGP's events lack them). */
  publish(
    views: PeerView[],
    desired: (address: string) => { session: string; asn: number } | undefined,
  ): void {
    for (const g of [this.up, this.state, this.prefixes, this.bfdUp]) g.reset();
    this.peers.set(views.length);
    const sorted = [...views].sort((a, b) => a.address.localeCompare(b.address)).slice(0, MAX_PEERS);
    const present = new Set<string>();
    for (const v of sorted) {
      const peer = desired(v.address);
      const labels = { peer: v.address, session: peer?.session ?? v.session ?? '' };
      present.add(v.address);
      this.up.set({ ...labels, peer_asn: String(peer?.asn ?? '') }, v.state === 'Established' ? 1 : 0);
      this.state.set(labels, FSM[v.state] ?? 0);
      this.prefixes.set({ ...labels, direction: 'received' }, v.received);
      this.prefixes.set({ ...labels, direction: 'accepted' }, v.accepted);
      this.prefixes.set({ ...labels, direction: 'advertised' }, v.advertised);
      if (v.bfd) this.bfdUp.set(labels, v.bfd === 'Up' ? 1 : 0);
      // The watch counts flaps from its start; the counter takes the increase.
      // The watch's count is a baseline when first seen (an agent restart must not replay a
      // session's lifetime of flaps) and after it went down (gobgpd restarted: counting anew);
      // only increases after that are flaps this agent saw.
      const before = this.counted.get(v.address);
      if (before && before.labels.session !== labels.session) this.flaps.remove(before.labels);
      const baseline = before?.labels.session === labels.session ? before.flaps : undefined;
      const increase = baseline !== undefined && v.flaps > baseline ? v.flaps - baseline : 0;
      this.flaps.inc(labels, increase);
      this.counted.set(v.address, { flaps: v.flaps, labels });
    }
    for (const [address, { labels }] of this.counted) {
      if (present.has(address)) continue;
      this.counted.delete(address);
      this.flaps.remove(labels);
    }
  }
}
