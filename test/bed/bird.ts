// A BIRD 2 router inside a namespace, configured from a RouterSpec, queried through birdc.
// BIRD has no JSON output: the two text formats used here (`show protocols`, `show route all`)
// are parsed narrowly, and anything unrecognised is left out rather than guessed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { run } from './netns.ts';
import { startDaemon } from './process.ts';
import {
  isIpv6,
  normaliseState,
  type Router,
  type RouterNeighborSpec,
  type RouterStartOptions,
  type RouterRoute,
} from './router.ts';
import { tools } from './tools.ts';

export interface BirdConfigInput {
  asn: number;
  routerId: string;
  lan: { ipv4: string; ipv6: string };
  neighbors: RouterNeighborSpec[];
  originate: string[];
}

/** Protocol name BIRD shows for a neighbour: letters, digits and underscores only. */
export function birdProtocolName(address: string): string {
  return `n_${address.replace(/[.:]/g, '_')}`;
}

export function birdConfig({ asn, routerId, lan, neighbors, originate }: BirdConfigInput): string {
  const lines = [`router id ${routerId};`, 'log stderr all;', 'protocol device {}'];
  for (const family of [4, 6] as const) {
    const routes = originate.filter((p) => isIpv6(p) === (family === 6));
    if (routes.length === 0) continue;
    lines.push(`protocol static static${family} {`, `  ipv${family};`);
    for (const p of routes) lines.push(`  route ${p} blackhole;`);
    lines.push('}');
  }
  for (const n of neighbors) {
    const v6 = isIpv6(n.address);
    const family = v6 ? 'ipv6' : 'ipv4';
    lines.push(
      `protocol bgp ${birdProtocolName(n.address)} {`,
      `  local ${v6 ? lan.ipv6 : lan.ipv4} as ${asn};`,
      `  neighbor ${n.address} as ${n.asn};`,
      '  hold time 9;',
      '  connect retry time 1;',
      '  error wait time 1, 5;',
      ...(n.password ? [`  password "${n.password}";`] : []),
      ...(n.multihop ? [`  multihop ${n.multihop};`] : []),
      ...(n.gracefulRestart ? ['  graceful restart on;'] : []),
      `  ${family} { import all; export where source = RTS_STATIC; next hop self; };`,
      '}',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Parses `birdc show protocols` rows of BGP protocols into neighbour states. */
export function parseBirdProtocols(text: string, neighbors: RouterNeighborSpec[]): Map<string, string> {
  const states = new Map<string, string>();
  for (const line of text.split('\n')) {
    const cols = line.trim().split(/\s+/);
    // name proto table state since info...
    if (cols[1] !== 'BGP' || cols[0] === undefined) continue;
    const n = neighbors.find((x) => birdProtocolName(x.address) === cols[0]);
    if (!n) continue;
    const info = cols.slice(5).join(' ');
    states.set(n.address, normaliseState(info.split(/\s+/)[0] ?? cols[3] ?? ''));
  }
  return states;
}

/** Parses `birdc show route all` into one entry per prefix, from its primary (best) route. */
export function parseBirdRoutes(text: string): RouterRoute[] {
  const routes: RouterRoute[] = [];
  let current: RouterRoute | undefined;
  let inPrimary = false;
  for (const line of text.split('\n')) {
    const start = /^(\S+\/\d+)\s+\S+\s+\[.*?\]\s+(\*)?/.exec(line);
    const alternative = /^\s+\S+\s+\[.*?\]\s+(\*)?/.exec(line);
    if (start) {
      current = { prefix: start[1] ?? '', nextHops: [], asPath: [], communities: [], largeCommunities: [] };
      routes.push(current);
      inPrimary = true;
    } else if (alternative && /^\s+unicast/.test(line)) {
      inPrimary = alternative[1] === '*';
    } else if (current && inPrimary) {
      const via = /^\s+via (\S+)/.exec(line);
      const attr = /^\s+BGP\.(\w+): (.*)$/.exec(line);
      if (via?.[1]) current.nextHops.push(via[1]);
      else if (attr?.[1] === 'as_path')
        current.asPath = (attr[2] ?? '').split(/\s+/).filter(Boolean).map(Number);
      else if (attr?.[1] === 'community') current.communities = birdPairs(attr[2] ?? '');
      else if (attr?.[1] === 'large_community') current.largeCommunities = birdPairs(attr[2] ?? '');
      else if (attr?.[1] === 'med') current.med = Number(attr[2]);
      else if (attr?.[1] === 'local_pref') current.localPref = Number(attr[2]);
    }
  }
  return routes;
}

/** "(65000,1) (65000,2)" -> ["65000:1", "65000:2"]. */
function birdPairs(text: string): string[] {
  return [...text.matchAll(/\(([^)]+)\)/g)].map((m) => (m[1] ?? '').replace(/,\s*/g, ':'));
}

export async function startBirdRouter(opts: RouterStartOptions): Promise<Router> {
  const { name, netns, dir, asn, routerId, lan, neighbors } = opts;
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/bird.conf`, birdConfig(opts));
  const socket = `${dir}/bird.ctl`;
  const birdc = (command: string): Promise<string> => run(tools.birdc, ['-s', socket, ...command.split(' ')]);
  const daemon = startDaemon({
    name: `${name}/bird`,
    netns,
    command: tools.bird,
    args: ['-f', '-c', `${dir}/bird.conf`, '-s', socket, '-P', `${dir}/bird.pid`],
    logFile: `${dir}/bird.log`,
  });
  try {
    await daemon.waitUntil('birdc answers', async () =>
      (await birdc('show status')).includes('Daemon is up') ? true : undefined,
    );
  } catch (err) {
    await daemon.stop();
    throw err;
  }
  return {
    name,
    kind: 'bird',
    netns,
    asn,
    routerId,
    lan,
    shell: `birdc -s ${socket}`,
    cli: birdc,
    async neighbors() {
      const states = parseBirdProtocols(await birdc('show protocols'), neighbors);
      return neighbors.map((n) => ({
        address: n.address,
        asn: n.asn,
        state: states.get(n.address) ?? 'Idle',
      }));
    },
    async routes(family) {
      return parseBirdRoutes(await birdc(`show route all table master${family}`)).filter(
        (r) => isIpv6(r.prefix) === (family === 6),
      );
    },
    async routesFrom(neighbor, family) {
      const table = `master${family}`;
      return parseBirdRoutes(
        await birdc(`show route all protocol ${birdProtocolName(neighbor)} table ${table}`),
      );
    },
    stop: () => daemon.stop(),
  };
}
