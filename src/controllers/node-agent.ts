// The per-node agent: every change to a watched object enqueues the node's one key; a pass takes a
// snapshot, compiles this node's desired state, hands it to the GoBGP sync loop, and writes this
// node's BGPNodeState (the only status this node ever writes). Passes repeat every statusEvery so
// peer counters stay fresh; an unchanged status is not rewritten.
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { BGPNodeState } from '../api/types.ts';
import { compileNode } from '../compile/compile-node.ts';
import type { CompileResult } from '../compile/model.ts';
import type { GobgpClient } from '../gobgp/client.ts';
import { GobgpDriver } from '../gobgp/driver.ts';
import { PeerWatcher, type PeerView } from '../gobgp/peer-watch.ts';
import type { RestartDaemon } from '../gobgp/reconcile/global.ts';
import { GobgpSync } from '../gobgp/sync.ts';
import { httpStatus } from '../kube/api-errors.ts';
import type { EventRecorder } from '../kube/events.ts';
import { GROUP, VERSION, type StatusWriter } from '../kube/status-writer.ts';
import { WorkQueue } from '../runtime/workqueue.ts';
import { parsePrefix } from '../routesync/rtnl/addr.ts';
import { RouteSync, type RouteSyncConfig } from '../routesync/route-sync.ts';
import type { Registry } from 'prom-client';
import { PoolSources } from '../bng/sources.ts';
import { PoolMetrics } from '../bng/metrics.ts';
import { PeerMetrics } from '../gobgp/peer-metrics.ts';
import type { ReconcileMetrics } from '../runtime/reconcile-metrics.ts';
import type { ClusterCaches } from './caches.ts';
import { nodeStatus, type SpeakerHealth } from './node-status.ts';

export interface NodeAgentOptions {
  kc: KubeConfig;
  nodeName: string;
  caches: ClusterCaches;
  gobgp: GobgpClient;
  restartDaemon?: RestartDaemon;
  status: StatusWriter;
  events: EventRecorder;
  log: Logger;
  registry: Registry;
  reconcileMetrics: ReconcileMetrics;
  statusEveryMs?: number;
}

/** The longest a node waits for its pool source to settle before applying without it. */
const POOL_HOLD_MS = 15_000;

export class NodeAgent {
  private readonly queue: WorkQueue;
  private readonly sync: GobgpSync;
  private readonly watcher: PeerWatcher;
  private readonly routes: RouteSync;
  private readonly pools: PoolSources;
  private readonly poolMetrics: PoolMetrics;
  /** When the current wait for the pool source to settle began; undefined: not waiting. */
  private poolHoldSince: number | undefined;
  private readonly peerMetrics: PeerMetrics;
  private readonly opts: NodeAgentOptions;
  private readonly custom: CustomObjectsApi;
  private health: SpeakerHealth = { applied: false };
  private reported = new Set<string>();
  private running: Promise<void> | undefined;

  constructor(opts: NodeAgentOptions) {
    this.opts = opts;
    this.custom = opts.kc.makeApiClient(CustomObjectsApi);
    this.queue = new WorkQueue({
      onError: (_key, err, failures) => opts.log.warn({ err: String(err), failures }, 'node pass failed'),
      onDone: opts.reconcileMetrics.hook('node'),
    });
    this.peerMetrics = new PeerMetrics(opts.registry);
    this.sync = new GobgpSync(new GobgpDriver(opts.gobgp, opts.restartDaemon), {
      onApplied: (report) => {
        if (report.writes > 0) opts.log.info(report, 'GoBGP converged');
        if (report.daemonRestarted) opts.log.warn('gobgpd was restarted: state re-applied');
        this.peerMetrics.setGobgpUp(true);
        this.setHealth({ applied: true });
      },
      onError: (err, attempt) => {
        const name = err instanceof Error ? err.name : 'Error';
        opts.log.warn({ err: String(err), attempt }, 'GoBGP apply failed');
        this.peerMetrics.setGobgpUp(false);
        this.setHealth({
          applied: this.health.applied,
          error: {
            reason: name === 'GobgpError' ? 'GobgpUnavailable' : name,
            message: String(err).slice(0, 500),
          },
        });
      },
    });
    this.routes = new RouteSync({ client: opts.gobgp, log: opts.log, registry: opts.registry });
    this.pools = new PoolSources(opts.nodeName, () => this.enqueue());
    this.poolMetrics = new PoolMetrics(opts.registry);
    this.watcher = new PeerWatcher(opts.gobgp, {
      onReset: () => this.sync.trigger(),
      onChange: (peer) => this.peerChanged(peer),
    });
  }

  private setHealth(health: SpeakerHealth): void {
    const changed = JSON.stringify(health) !== JSON.stringify(this.health);
    this.health = health;
    if (changed) this.enqueue();
  }

  /** The desired state is applied to a reachable GoBGP (the /readyz answer). */
  ready(): boolean {
    // Not while holding GoBGP for the pool source (a rollout waits for the pools); a source that
    // never settles (its list unreadable) is reported in status, and stops blocking after the hold.
    const holding = this.poolHoldSince !== undefined && Date.now() - this.poolHoldSince < POOL_HOLD_MS;
    return this.health.applied && !this.health.error && !holding;
  }

  enqueue(): void {
    this.queue.add('node');
  }

  start(): void {
    this.sync.start();
    this.watcher.start();
    this.routes.start();
    this.running = this.queue.run(() => this.pass());
    this.enqueue();
  }

  /** Stops without touching GoBGP: peers keep their sessions while the agent is away. */
  async stop(): Promise<void> {
    this.queue.stop();
    await Promise.all([
      this.running,
      this.watcher.stop(),
      this.sync.stop(),
      this.routes.stop(),
      this.pools.stop(),
    ]);
  }

  private peerChanged(peer: PeerView): void {
    this.enqueue();
    if (!peer.session) return;
    const ref = { kind: 'BGPSession', name: peer.session };
    if (peer.state === 'Established') {
      this.opts.events.record(
        ref,
        'Normal',
        'SessionEstablished',
        `${this.opts.nodeName}: session with ${peer.address} Established`,
      );
    } else if (peer.flaps > 0) {
      this.opts.events.record(
        ref,
        'Warning',
        'SessionDown',
        `${this.opts.nodeName}: session with ${peer.address} is ${peer.state}${peer.lastError ? ` (${peer.lastError})` : ''}`,
      );
    }
  }

  private async pass(): Promise<{ requeueAfterMs: number }> {
    const { nodeName, caches } = this.opts;
    const pools = this.pools.view();
    const compiled = compileNode({ ...caches.snapshotFor(nodeName), ...(pools ? { pools } : {}) });
    this.pools.configure(compiled.desired.poolSource);
    const now = this.pools.view();
    // Until a (new) pool source has settled (heard from the BNG and read its list), GoBGP is left
    // as it is, for at most POOL_HOLD_MS: a restarted agent must not withdraw the pools of a BNG
    // that keeps serving, and a fresh gobgpd (a new pod) must not open its sessions and send its
    // End-of-RIB without them (graceful-restart helpers would drop the stale pools). After that,
    // everything else is applied while the originated paths GoBGP has are kept. The source's first
    // settled view enqueues the next pass; a removed source needs one now.
    const settled = !now || (now.settled && now.source === pools?.source);
    if (settled) {
      this.poolHoldSince = undefined;
      this.sync.setDesired(compiled.desired);
    } else {
      this.poolHoldSince ??= Date.now();
      if (Date.now() - this.poolHoldSince >= POOL_HOLD_MS)
        this.sync.setDesired({ ...compiled.desired, keepUnwantedPaths: true });
    }
    if (!now && pools) this.enqueue();
    this.poolMetrics.publish(pools, compiled.pools);
    const peers = new Map(
      compiled.desired.peers.map((p) => [p.address, { session: p.session, asn: p.peerAsn }]),
    );
    this.peerMetrics.publish(this.watcher.peers(), (address) => peers.get(address));
    this.routes.configure(routeSyncConfig(compiled));
    this.reportDiagnostics(compiled);
    const state = caches.nodeStates.get(nodeName) ?? (await this.createNodeState());
    const status = nodeStatus(
      compiled,
      this.watcher.peers(),
      this.health,
      state.metadata.generation ?? 1,
      state.status,
      this.routes.status(),
      pools && { view: pools, settled },
    );
    await this.opts.status.apply('BGPNodeState', 'bgpnodestates', nodeName, status, state.status);
    return { requeueAfterMs: this.opts.statusEveryMs ?? 5_000 };
  }

  /** A Warning event on each object the first time this node finds it unusable. */
  private reportDiagnostics(compiled: CompileResult): void {
    const now = new Set<string>();
    for (const d of compiled.diagnostics) {
      const key = `${d.kind}/${d.name}/${d.reason}`;
      now.add(key);
      if (!this.reported.has(key))
        this.opts.events.record(d, 'Warning', d.reason, `${this.opts.nodeName}: ${d.message}`);
    }
    this.reported = now;
  }

  private async createNodeState(): Promise<BGPNodeState> {
    const node = this.opts.caches.nodes.get(this.opts.nodeName);
    const body: BGPNodeState = {
      apiVersion: `${GROUP}/${VERSION}`,
      kind: 'BGPNodeState',
      metadata: {
        name: this.opts.nodeName,
        // Garbage-collected with its Node.
        ...(node?.metadata?.uid
          ? {
              ownerReferences: [
                { apiVersion: 'v1', kind: 'Node', name: this.opts.nodeName, uid: node.metadata.uid },
              ],
            }
          : {}),
      },
      spec: { nodeName: this.opts.nodeName },
    };
    try {
      return (await this.custom.createClusterCustomObject({
        group: GROUP,
        version: VERSION,
        plural: 'bgpnodestates',
        body,
      })) as BGPNodeState;
    } catch (err) {
      if (httpStatus(err) !== 409) throw err;
      return (await this.custom.getClusterCustomObject({
        group: GROUP,
        version: VERSION,
        plural: 'bgpnodestates',
        name: this.opts.nodeName,
      })) as BGPNodeState;
    }
  }
}

/** Route sync's settings from the compiled state; undefined (remove our routes) without a configuration. */
function routeSyncConfig({ desired }: CompileResult): RouteSyncConfig | undefined {
  if (!desired.global || !desired.fib) return undefined;
  const { resyncIntervalSeconds, ...fib } = desired.fib;
  return {
    fib: { ...fib, resyncIntervalMs: resyncIntervalSeconds * 1000 },
    multipath: desired.global.maxPaths > 1,
    expectedPeers: desired.peers.length,
    staleHoldMs: desired.global.gracefulRestart.enabled
      ? desired.global.gracefulRestart.restartTime * 1000
      : 0,
    ownPrefixes: new Set(desired.paths.map((p) => parsePrefix(p.prefix)?.key ?? p.prefix)),
  };
}
