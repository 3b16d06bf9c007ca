// The lab network, built from namespaces and veth links:
//
//   host namespace ── bridge <id>m (management, 172.30.X.0/24): node eth0s; kube-apiserver listens here
//   <id>-lan namespace ── bridge br0 (peering LAN 10.100.0.0/24 + fd00:100::/64): every node's and
//                         router's lan0
//   <id>-<node> namespaces: BNG nodes, each with an unconfigured gobgpd
//   <id>-<router> namespaces: upstream routers running FRR or BIRD
//
// All addresses are private and live only inside namespaces this module created (plus the host
// end of the management bridge); nothing is routed anywhere else.
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { startBirdRouter } from './bird.ts';
import { startFrrRouter } from './frr.ts';
import { startGobgpd, type Gobgpd } from './gobgpd.ts';
import { BED_PREFIX, forget, record, sweepOrphans, type LedgerEntry } from './ledger.ts';
import { createNetns, destroy, execIn, ip } from './netns.ts';
import type { Router, RouterSpec } from './router.ts';

export interface NodeSpec {
  name: string;
  /** Start gobgpd on the node (default true). */
  gobgpd?: boolean;
}

export interface TopologySpec {
  /** BNG nodes: a count (named bng1..bngN) or explicit specs. */
  nodes: number | NodeSpec[];
  routers?: RouterSpec[];
  /** ASN the routers use for every node when neighbours are not given (default 64512). */
  nodeAsn?: number;
}

export interface BngNode {
  name: string;
  netns: string;
  dir: string;
  lan: { ipv4: string; ipv6: string };
  management: { ipv4: string };
  gobgpd?: Gobgpd;
}

export interface Topology {
  id: string;
  /** Host end of the management bridge: where node namespaces reach the kube-apiserver. */
  managementAddress: string;
  nodes: BngNode[];
  routers: Router[];
  node(name: string): BngNode;
  router(name: string): Router;
  /**
   * Stops a node's gobgpd (default SIGKILL: a crash; SIGINT: a stop without NOTIFICATION, as the
   * DaemonSet's preStop does; SIGTERM: a stop with Cease), runs `whileDown`, and starts a fresh,
   * unconfigured one on the same socket.
   */
  restartGobgpd(
    name: string,
    opts?: { signal?: NodeJS.Signals; whileDown?: () => Promise<void> },
  ): Promise<Gobgpd>;
  /**
   * A node vanishing as a powered-off box does: its LAN link goes first (so no FIN or NOTIFICATION
   * leaves), then everything running inside is killed and the namespace deleted. Peers find out
   * only through BFD or the hold timer. Other daemons of the node (agents) die with the namespace.
   */
  removeNode(name: string): Promise<void>;
  /** Builds a removed node again: same addresses, empty kernel tables, a fresh unconfigured gobgpd. */
  restoreNode(name: string): Promise<BngNode>;
  /** Stops every daemon and removes every namespace, link and directory; safe to call twice. */
  destroy(): Promise<void>;
}

const LAN4 = '10.100.0';
const LAN6 = 'fd00:100:';

/** Routers take LAN host numbers 1..10, nodes 11 onwards. */
function lanAddresses(host: number): { ipv4: string; ipv6: string } {
  return { ipv4: `${LAN4}.${host}`, ipv6: `${LAN6}:${host}` };
}

/** A 172.30.X.0/24 that no host interface uses yet, for this topology's management bridge. */
async function freeManagementSubnet(): Promise<string> {
  const used = await ip(['-4', '-o', 'addr', 'show']);
  for (let x = 1; x < 255; x++) if (!used.includes(` 172.30.${x}.`)) return `172.30.${x}`;
  throw new Error('no free 172.30.X.0/24 management subnet on the host');
}

/** Names become namespace and directory names: short, lower-case, unique, and never "lan". */
function checkSpec(nodeSpecs: NodeSpec[], routerSpecs: RouterSpec[]): void {
  const names = [...nodeSpecs, ...routerSpecs].map((x) => x.name);
  for (const name of names) {
    if (!/^[a-z][a-z0-9]{0,11}$/.test(name) || name === 'lan') {
      throw new Error(
        `topology host name "${name}" must be 1-12 lower-case letters or digits, and not "lan"`,
      );
    }
  }
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new Error(`topology host name "${duplicate}" is used twice`);
  if (routerSpecs.length > 10) throw new Error('at most 10 routers (LAN host numbers 1-10)');
  if (nodeSpecs.length > 200) throw new Error('at most 200 nodes (LAN host numbers 11-210)');
}

export async function buildTopology(spec: TopologySpec): Promise<Topology> {
  const nodeSpecs: NodeSpec[] =
    typeof spec.nodes === 'number'
      ? Array.from({ length: spec.nodes }, (_, i) => ({ name: `bng${i + 1}` }))
      : spec.nodes;
  const routerSpecs = spec.routers ?? [];
  checkSpec(nodeSpecs, routerSpecs);
  sweepOrphans();
  const mgmt = await freeManagementSubnet();
  const managementAddress = `${mgmt}.1`;
  const id = `${BED_PREFIX}${randomBytes(2).toString('hex')}`;
  const dir = mkdtempSync(`${tmpdir()}/${id}-`);
  chmodSync(dir, 0o711); // FRR daemons run as the frr user and must reach their config below it
  const entries: LedgerEntry[] = [];
  /** Records what we create in the ledger at once, so an interrupt at any step still cleans it. */
  const own = (entry: LedgerEntry): void => {
    record(entry);
    entries.push(entry);
  };
  own({ kind: 'dir', path: dir });
  const nodes: BngNode[] = [];
  const routers: Router[] = [];
  let destroyed = false;
  let buildNode: (i: number) => Promise<BngNode> = () => Promise.reject(new Error('not built yet'));

  const destroyAll = async (): Promise<void> => {
    if (destroyed) return;
    destroyed = true;
    for (const r of routers) await r.stop().catch(() => undefined);
    for (const n of nodes) await n.gobgpd?.daemon.stop().catch(() => undefined);
    // Namespaces first (their veths go with them), then the host bridge, then files.
    for (const kind of ['netns', 'link', 'dir'] as const) {
      for (const e of entries.filter((x) => x.kind === kind)) destroy(e);
    }
  };

  try {
    const bridge = `${id}m`;
    own({ kind: 'link', name: bridge });
    await ip(['link', 'add', bridge, 'type', 'bridge']);
    await ip(['addr', 'add', `${managementAddress}/24`, 'dev', bridge]);
    await ip(['link', 'set', bridge, 'up']);

    const lan = `${id}-lan`;
    entries.push(await createNetns(lan));
    await ip(['link', 'add', 'br0', 'type', 'bridge'], lan);
    await ip(['link', 'set', 'br0', 'up'], lan);

    let port = 0;
    const attachToLan = async (netns: string, addr: { ipv4: string; ipv6: string }): Promise<void> => {
      const peer = `p${port++}`;
      await ip(['link', 'add', 'lan0', 'netns', netns, 'type', 'veth', 'peer', 'name', peer, 'netns', lan]);
      await ip(['link', 'set', peer, 'master', 'br0', 'up'], lan);
      await ip(['addr', 'add', `${addr.ipv4}/24`, 'dev', 'lan0'], netns);
      await ip(['-6', 'addr', 'add', `${addr.ipv6}/64`, 'dev', 'lan0', 'nodad'], netns);
      await ip(['link', 'set', 'lan0', 'up'], netns);
    };

    buildNode = async (i: number): Promise<BngNode> => {
      const ns = nodeSpecs[i]!;
      const netns = `${id}-${ns.name}`;
      entries.push(await createNetns(netns));
      const node: BngNode = {
        name: ns.name,
        netns,
        dir: `${dir}/${ns.name}`,
        lan: lanAddresses(11 + i),
        management: { ipv4: `${mgmt}.${11 + i}` },
      };
      await attachToLan(netns, node.lan);
      const hostEnd = `${id}n${i}`;
      own({ kind: 'link', name: hostEnd });
      await ip(['link', 'add', 'eth0', 'netns', netns, 'type', 'veth', 'peer', 'name', hostEnd]);
      await ip(['link', 'set', hostEnd, 'master', bridge, 'up']);
      await ip(['addr', 'add', `${node.management.ipv4}/24`, 'dev', 'eth0'], netns);
      await ip(['link', 'set', 'eth0', 'up'], netns);
      await execIn(netns, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1', 'net.ipv6.conf.all.forwarding=1']);
      mkdirSync(node.dir, { recursive: true });
      if (ns.gobgpd ?? true) node.gobgpd = await startGobgpd({ name: ns.name, netns, dir: node.dir });
      return node;
    };
    for (const i of nodeSpecs.keys()) nodes.push(await buildNode(i));

    const nodeAsn = spec.nodeAsn ?? 64512;
    for (const [i, rs] of routerSpecs.entries()) {
      const netns = `${id}-${rs.name}`;
      entries.push(await createNetns(netns));
      const addr = lanAddresses(1 + i);
      await attachToLan(netns, addr);
      const neighbors =
        rs.neighbors ??
        nodes.flatMap((n) => [
          { address: n.lan.ipv4, asn: nodeAsn },
          { address: n.lan.ipv6, asn: nodeAsn },
        ]);
      const opts = {
        name: rs.name,
        netns,
        dir: `${dir}/${rs.name}`,
        asn: rs.asn,
        routerId: addr.ipv4,
        lan: addr,
        neighbors,
        originate: rs.originate ?? [],
      };
      routers.push(rs.kind === 'frr' ? await startFrrRouter(opts) : await startBirdRouter(opts));
    }
  } catch (err) {
    await destroyAll();
    throw err;
  }

  return {
    id,
    managementAddress,
    nodes,
    routers,
    node(name) {
      const n = nodes.find((x) => x.name === name);
      if (!n) throw new Error(`no node ${name} in topology ${id}`);
      return n;
    },
    router(name) {
      const r = routers.find((x) => x.name === name);
      if (!r) throw new Error(`no router ${name} in topology ${id}`);
      return r;
    },
    async restartGobgpd(name, opts = {}) {
      const n = nodes.find((x) => x.name === name);
      if (!n?.gobgpd) throw new Error(`node ${name} runs no gobgpd`);
      await n.gobgpd.daemon.stop(10_000, opts.signal ?? 'SIGKILL');
      rmSync(n.gobgpd.socketPath, { force: true });
      await opts.whileDown?.();
      n.gobgpd = await startGobgpd({ name: n.name, netns: n.netns, dir: n.dir });
      return n.gobgpd;
    },
    async removeNode(name) {
      const i = nodes.findIndex((x) => x.name === name);
      const n = nodes[i];
      if (!n) throw new Error(`no node ${name} in topology ${id}`);
      await ip(['link', 'delete', 'lan0'], n.netns);
      // The management veth too: a namespace whose processes are still exiting outlives its name,
      // and so would the host end, which restoreNode creates again.
      await ip(['link', 'delete', `${id}n${i}`]);
      const entry = entries.find((e) => e.kind === 'netns' && e.name === n.netns);
      if (entry) {
        destroy(entry); // kills every process inside, then deletes the namespace
        entries.splice(entries.indexOf(entry), 1);
      }
      await n.gobgpd?.daemon.stop().catch(() => undefined); // already dead: reaps it
      if (n.gobgpd) rmSync(n.gobgpd.socketPath, { force: true }); // logs stay for the post-mortem
    },
    async restoreNode(name) {
      const i = nodes.findIndex((x) => x.name === name);
      if (i < 0) throw new Error(`no node ${name} in topology ${id}`);
      const hostEnd = entries.find((e) => e.kind === 'link' && e.name === `${id}n${i}`);
      if (hostEnd) {
        entries.splice(entries.indexOf(hostEnd), 1); // gone with the namespace's veth
        forget(hostEnd);
      }
      nodes[i] = await buildNode(i);
      return nodes[i];
    },
    destroy: destroyAll,
  };
}
