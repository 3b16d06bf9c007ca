// `bng-bgp status`: what every node's speaker, peers, FIB and BNG pools look like, read from the
// BGPNodeStates in the cluster: the view network engineers otherwise get from `kubectl exec ...
// gobgp neighbor` on each node, for all nodes at once.
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import type { BGPNodeState } from '../api/types.ts';
import { GROUP, VERSION } from '../kube/status-writer.ts';

/** Columns padded to their widest cell; the last column is not padded. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows]
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** "3d4h", "2h5m", "4m10s", "12s". */
export function age(since: string | undefined, now: Date): string {
  if (!since) return '-';
  let s = Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 1000));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s %= 86400) / 3600);
  const m = Math.floor((s %= 3600) / 60);
  s %= 60;
  if (d) return `${d}d${h}h`;
  if (h) return `${h}h${m}m`;
  return m ? `${m}m${s}s` : `${s}s`;
}

const condition = (n: BGPNodeState, type: string) => n.status?.conditions?.find((c) => c.type === type);

export function renderStatus(states: BGPNodeState[], now = new Date()): string {
  const nodes = [...states].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const name = (n: BGPNodeState) => n.metadata.name ?? '';
  const out: string[] = [];
  out.push(
    table(
      ['NODE', 'ROUTER ID', 'AS', 'READY', 'PEERS UP', 'FIB', 'BNG'],
      nodes.map((n) => {
        const s = n.status;
        const ready = condition(n, 'Ready');
        const fib = s?.fib;
        const pools = s?.bngPools;
        return [
          name(n),
          s?.routerID ?? '-',
          String(s?.asNumber ?? '-'),
          ready ? (ready.status === 'True' ? 'True' : `${ready.status} (${ready.reason})`) : '-',
          `${s?.establishedPeers ?? 0}/${s?.peers?.length ?? 0}`,
          fib ? `${fib.installedIPv4 + fib.installedIPv6} ${fib.state}` : '-',
          pools
            ? `${pools.health} ${pools.pools.filter((p) => p.mode !== 'None').length}/${pools.pools.length} pools`
            : '-',
        ];
      }),
    ),
  );
  const peers = nodes.flatMap((n) =>
    (n.status?.peers ?? []).map((p) => [
      name(n),
      p.address,
      String(p.peerAS ?? '-'),
      p.state,
      p.state === 'Established' ? age(p.establishedSince, now) : '-',
      `${p.received ?? 0}/${p.accepted ?? 0}/${p.advertised ?? 0}`,
      String(p.flaps ?? 0),
      p.bfd ?? '-',
      p.lastError ?? '',
    ]),
  );
  if (peers.length) {
    out.push(
      '',
      table(['NODE', 'PEER', 'AS', 'STATE', 'UP', 'RCV/ACC/ADV', 'FLAPS', 'BFD', 'LAST ERROR'], peers),
    );
  }
  const pools = nodes.flatMap((n) =>
    (n.status?.bngPools?.pools ?? []).map((p) => [
      name(n),
      p.id,
      p.cidr,
      `${p.mode}${p.standby ? ' (standby)' : ''}`,
      String(p.routes),
      p.reason === 'Advertised' ? 'Advertised' : `${p.reason}: ${p.message}`,
    ]),
  );
  if (pools.length) out.push('', table(['NODE', 'POOL', 'CIDR', 'MODE', 'ROUTES', 'WHY'], pools));
  return `${out.join('\n')}\n`;
}

export async function readNodeStates(kubeconfig: string | undefined): Promise<BGPNodeState[]> {
  const kc = new KubeConfig();
  if (kubeconfig) kc.loadFromFile(kubeconfig);
  else kc.loadFromDefault();
  const list = (await kc.makeApiClient(CustomObjectsApi).listClusterCustomObject({
    group: GROUP,
    version: VERSION,
    plural: 'bgpnodestates',
  })) as { items: BGPNodeState[] };
  return list.items;
}
