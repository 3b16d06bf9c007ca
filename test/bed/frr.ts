// An FRR router (zebra + bgpd + bfdd) inside a namespace, configured from a RouterSpec, queried
// through vtysh's JSON output. Each router gets its own FRR pathspace (-N) so several run at once.
import { chownSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { forget, record, type LedgerEntry } from './ledger.ts';
import { run } from './netns.ts';
import { startDaemon, type Daemon } from './process.ts';
import {
  isIpv6,
  normaliseState,
  type Router,
  type RouterNeighborSpec,
  type RouterStartOptions,
  type RouterRoute,
} from './router.ts';
import { tools } from './tools.ts';

export interface FrrConfigInput {
  asn: number;
  routerId: string;
  neighbors: RouterNeighborSpec[];
  originate: string[];
}

/** bgpd.conf for the router: eBGP without policy requirement, each family activated explicitly. */
export function frrBgpConfig({ asn, routerId, neighbors, originate }: FrrConfigInput): string {
  const lines = [
    'log stdout informational',
    `router bgp ${asn}`,
    ` bgp router-id ${routerId}`,
    ' no bgp ebgp-requires-policy',
    ' no bgp network import-check',
    ' no bgp default ipv4-unicast',
    ' bgp bestpath as-path multipath-relax',
    ' timers bgp 3 9',
  ];
  for (const n of neighbors) {
    lines.push(` neighbor ${n.address} remote-as ${n.asn}`);
    lines.push(` neighbor ${n.address} timers connect 1`);
    if (n.password) lines.push(` neighbor ${n.address} password ${n.password}`);
    if (n.bfd) lines.push(` neighbor ${n.address} bfd`);
    if (n.gracefulRestart) lines.push(` neighbor ${n.address} graceful-restart`);
    if (n.multihop) lines.push(` neighbor ${n.address} ebgp-multihop ${n.multihop}`);
  }
  for (const family of [4, 6] as const) {
    lines.push(` address-family ipv${family} unicast`);
    for (const p of originate.filter((x) => isIpv6(x) === (family === 6))) lines.push(`  network ${p}`);
    for (const n of neighbors.filter((x) => isIpv6(x.address) === (family === 6))) {
      lines.push(`  neighbor ${n.address} activate`);
    }
    lines.push('  maximum-paths 8', ' exit-address-family');
  }
  return `${lines.join('\n')}\n`;
}

/** uid and gid of the frr user the Debian package creates. */
function frrUser(): [number, number] {
  const id = (flag: string): number => Number(execFileSync('id', [flag, 'frr'], { encoding: 'utf8' }).trim());
  return [id('-u'), id('-g')];
}

/** One path of `show bgp ipvX unicast PREFIX json` (the table view leaves communities out). */
interface FrrJsonPath {
  bestpath?: { overall?: boolean };
  multipath?: boolean;
  aspath?: { string?: string };
  nexthops?: { ip?: string }[];
  community?: { string?: string };
  largeCommunity?: { string?: string };
  metric?: number;
  localpref?: number;
  peer?: { peerId?: string };
}

export async function startFrrRouter(opts: RouterStartOptions): Promise<Router> {
  const { name, netns, dir, asn, routerId, lan } = opts;
  // FRR daemons drop to the frr user: their config and pathspace must be theirs.
  const pathspace = netns;
  const runDir = `/var/run/frr/${pathspace}`;
  mkdirSync(runDir, { recursive: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/zebra.conf`, `hostname ${name}\nlog stdout informational\n`);
  writeFileSync(`${dir}/bfdd.conf`, `hostname ${name}\nlog stdout informational\n`);
  writeFileSync(`${dir}/bgpd.conf`, frrBgpConfig(opts));
  const runDirEntry: LedgerEntry = { kind: 'dir', path: runDir };
  record(runDirEntry);
  const [uid, gid] = frrUser();
  for (const p of [runDir, dir, `${dir}/zebra.conf`, `${dir}/bfdd.conf`, `${dir}/bgpd.conf`])
    chownSync(p, uid, gid);

  const vtysh = (command: string): Promise<string> => run(tools.vtysh, ['-N', pathspace, '-c', command]);
  const daemons: Daemon[] = [];
  const startFrrDaemon = async (daemon: 'zebra' | 'bgpd' | 'bfdd', ready: string): Promise<void> => {
    const d = startDaemon({
      name: `${name}/${daemon}`,
      netns,
      command: tools.frrDaemon(daemon),
      args: ['-N', pathspace, '-f', `${dir}/${daemon}.conf`, '-i', `${runDir}/${daemon}.pid`, '-P', '0'],
      logFile: `${dir}/${daemon}.log`,
    });
    daemons.push(d);
    await d.waitUntil(`${daemon} answers vtysh`, async () => ((await vtysh(ready)) ? true : undefined));
  };
  const stop = async (): Promise<void> => {
    for (const d of daemons.reverse()) await d.stop();
    rmSync(runDir, { recursive: true, force: true });
    forget(runDirEntry);
  };
  try {
    // zebra first: bgpd and bfdd register with it (BFD for BGP goes through zebra).
    await startFrrDaemon('zebra', 'show version');
    await startFrrDaemon('bfdd', 'show bfd peers json');
    await startFrrDaemon('bgpd', 'show bgp summary json');
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    name,
    kind: 'frr',
    netns,
    asn,
    routerId,
    lan,
    shell: `vtysh -N ${pathspace}`,
    cli: vtysh,
    async neighbors() {
      const out = JSON.parse(await vtysh('show bgp neighbors json')) as Record<
        string,
        {
          remoteAs?: number;
          bgpState?: string;
          addressFamilyInfo?: Record<string, { acceptedPrefixCounter?: number }>;
        }
      >;
      return Object.entries(out).map(([address, n]) => ({
        address,
        asn: n.remoteAs ?? 0,
        state: normaliseState(n.bgpState ?? 'Idle'),
        prefixesReceived: Object.values(n.addressFamilyInfo ?? {}).reduce(
          (sum, af) => sum + (af.acceptedPrefixCounter ?? 0),
          0,
        ),
      }));
    },
    async routes(family) {
      const paths = await detailedPaths(vtysh, family);
      return [...paths].map(([prefix, list]) =>
        frrRoute(
          prefix,
          list.filter((p) => p.bestpath?.overall || p.multipath),
        ),
      );
    },
    async routesFrom(neighbor, family) {
      const paths = await detailedPaths(vtysh, family);
      return [...paths]
        .map(([prefix, list]) => [prefix, list.filter((p) => p.peer?.peerId === neighbor)] as const)
        .filter(([, list]) => list.length > 0)
        .map(([prefix, list]) => frrRoute(prefix, list));
    },
    stop,
  };
}

/** Every prefix of the table with all its paths, in the detailed form that carries communities. */
async function detailedPaths(
  vtysh: (c: string) => Promise<string>,
  family: 4 | 6,
): Promise<Map<string, FrrJsonPath[]>> {
  const table = JSON.parse(await vtysh(`show bgp ipv${family} unicast json`)) as {
    routes?: Record<string, unknown>;
  };
  const out = new Map<string, FrrJsonPath[]>();
  for (const prefix of Object.keys(table.routes ?? {})) {
    const detail = JSON.parse(await vtysh(`show bgp ipv${family} unicast ${prefix} json`)) as {
      paths?: FrrJsonPath[];
    };
    out.set(prefix, detail.paths ?? []);
  }
  return out;
}

/** The route of a prefix as described by `paths` (its best and multipath paths, or one neighbour's). */
function frrRoute(prefix: string, paths: FrrJsonPath[]): RouterRoute {
  const first = paths[0] ?? {};
  const nextHops = [
    ...new Set(paths.flatMap((p) => (p.nexthops ?? []).map((h) => h.ip ?? '')).filter(Boolean)),
  ];
  return {
    prefix,
    nextHops,
    asPath: (first.aspath?.string ?? '').split(/\s+/).filter(Boolean).map(Number),
    communities: (first.community?.string ?? '').split(/\s+/).filter(Boolean),
    largeCommunities: (first.largeCommunity?.string ?? '').split(/\s+/).filter(Boolean),
    ...(first.metric === undefined ? {} : { med: first.metric }),
    ...(first.localpref === undefined ? {} : { localPref: first.localpref }),
  };
}

/** The fields of `show bgp neighbors ADDRESS json` the tests look at. */
export interface FrrNeighborDetail {
  bgpState?: string;
  bgpTimerHoldTimeMsecs?: number;
  bgpTimerUpMsec?: number;
  connectionsEstablished?: number;
  portForeign?: number;
  lastResetDueTo?: string;
  lastNotificationReason?: string;
}

/** One neighbour of an FRR router in detail, or {} when FRR does not know it. */
export async function frrNeighbor(router: Router, address: string): Promise<FrrNeighborDetail> {
  if (router.kind !== 'frr') throw new Error(`${router.name} is not an FRR router`);
  const out = JSON.parse(await router.cli(`show bgp neighbors ${address} json`)) as Record<
    string,
    FrrNeighborDetail
  >;
  return out[address] ?? {};
}
