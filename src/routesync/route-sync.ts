// Route sync: GoBGP's best paths -> the kernel FIB, with one writer. The best-path watch fills the
// learned RIB; once its initial dump is whole, a full pass reads our routes back from the kernel
// and writes only the difference (so a restart with routes in place writes nothing), and from then
// on incremental passes write the changed prefixes. A full pass repeats every resync interval:
// that is what repairs drift (a route of ours deleted or changed by hand, a stale one left over).
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { GobgpClient } from '../gobgp/client.ts';
import { backoffMs } from '../runtime/backoff.ts';
import { BestPathWatch, type BestPathSink } from './best-watch.ts';
import { InstalledTable } from './installed-table.ts';
import { LearnedRib, type BestPathUpdate } from './learned-rib.ts';
import { RouteSyncMetrics } from './metrics.ts';
import { RetiredTables } from './retired-tables.ts';
import { hasRelearned } from './relearned.ts';
import { PlanReport, allPrefixes, planRoutes, type PlanOptions, type SkipReason } from './plan.ts';
import { KernelFib, type NextHopLookup, type RouteChange } from './rtnl/kernel-fib.ts';

/** The route protocol number of every route bng-bgp installs (`ip route show proto 196`). */
export const ROUTE_PROTOCOL = 196;
const ESRCH = 3;
const EEXIST = 17;
const RTN_UNICAST = 1;

export interface FibSettings {
  enabled: boolean;
  table: number;
  metric: number;
  maxRoutes: number;
  resyncIntervalMs: number;
}

export interface RouteSyncConfig {
  fib: FibSettings;
  /** GoBGP runs with multipath: its best-path stream carries per-path deltas. */
  multipath: boolean;
  /** Prefixes this node advertises: never installed from BGP. */
  ownPrefixes: ReadonlySet<string>;
  /** Peers configured on the node: GoBGP has relearned its table once each has sent it again. */
  expectedPeers: number;
  /** Most time routes are kept while a restarted gobgpd relearns (graceful restart time; 0: never). */
  staleHoldMs: number;
}

export interface RouteSyncStatus {
  state: 'Disabled' | 'WaitingForRib' | 'Synced' | 'Failing';
  table: number;
  installed: { ipv4: number; ipv6: number };
  learned: number;
  skipped: { reason: SkipReason; count: number; examples: string[] }[];
  lastSync?: Date;
  lastError?: string;
}

export interface RouteSyncOptions {
  client: GobgpClient;
  log: Logger;
  registry: Registry;
}

export class RouteSync implements BestPathSink {
  private readonly opts: RouteSyncOptions;
  private readonly metrics: RouteSyncMetrics;
  private config: RouteSyncConfig | undefined;
  private watch: BestPathWatch | undefined;
  private fib: KernelFib | undefined;
  private rib = new LearnedRib(false);
  private ribReady = false;
  private installed = new InstalledTable();
  private resolved = new Map<string, string | undefined>();
  private report = new PlanReport();
  private fullDue = true;
  private nextFullAt = 0;
  private readonly retired = new RetiredTables(ROUTE_PROTOCOL);
  private lastSync: Date | undefined;
  /** A dump just completed: check whether GoBGP is relearning (see holdIfRelearning). */
  private holdCheck = false;
  private holdUntil = 0;
  private lastRibChange = 0;
  private lastError: string | undefined;
  private stopped = false;
  private poked = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(opts: RouteSyncOptions) {
    this.opts = opts;
    this.metrics = new RouteSyncMetrics(opts.registry);
  }

  /** The node's FIB settings from its compiled state; undefined when no configuration covers it. */
  configure(config: RouteSyncConfig | undefined): void {
    const before = this.config;
    this.config = config;
    if (before?.multipath !== config?.multipath && config) this.restartWatch(config.multipath);
    const table = config?.fib.enabled ? config.fib.table : undefined;
    if (this.fib && this.fib.table !== table) {
      // Our routes in the old table are removed by the next pass (see pass()).
      this.fib.close();
      this.fib = undefined;
    }
    if (table !== undefined && !this.fib) {
      this.fib = new KernelFib({ table, protocol: ROUTE_PROTOCOL });
      this.metrics.newWriter();
      this.retired.use(table);
      this.installed = new InstalledTable();
      this.resolved.clear();
      this.fullDue = true;
    }
    if (JSON.stringify(before ?? null, replacer) !== JSON.stringify(config ?? null, replacer))
      this.fullDue = true;
    this.poke();
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.poke();
    await Promise.all([this.watch?.stop(), this.loop]);
    this.fib?.close();
  }

  status(): RouteSyncStatus {
    const state = !this.config?.fib.enabled
      ? 'Disabled'
      : this.lastError
        ? 'Failing'
        : this.ribReady && this.lastSync
          ? 'Synced'
          : 'WaitingForRib';
    return {
      state,
      table: this.config?.fib.table ?? 0,
      installed: { ipv4: this.installed.ipv4, ipv6: this.installed.ipv6 },
      learned: this.rib.size,
      skipped: [...this.report.skipped].map(([reason, v]) => ({ reason, ...v })),
      ...(this.lastSync ? { lastSync: this.lastSync } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  /** Route writes sent since the process started, by operation. */
  get writes(): Readonly<Record<'add' | 'replace' | 'delete', number>> {
    return this.fib?.writes ?? { add: 0, replace: 0, delete: 0 };
  }

  // BestPathSink: called by the watch.
  reset(): void {
    this.rib = new LearnedRib(this.config?.multipath ?? false);
    this.ribReady = false;
  }
  update(paths: BestPathUpdate[]): void {
    for (const p of paths) this.rib.apply(p);
    this.lastRibChange = Date.now();
    if (this.ribReady) this.poke();
  }
  ready(): void {
    this.ribReady = true;
    this.holdCheck = true;
    this.fullDue = true;
    this.poke();
  }

  private restartWatch(multipath: boolean): void {
    const old = this.watch;
    void old?.stop();
    this.rib = new LearnedRib(multipath);
    this.ribReady = false;
    this.watch = new BestPathWatch(this.opts.client, this);
    this.watch.start();
  }

  private poke(): void {
    this.poked = true;
    this.wake?.();
  }

  private async sleepUntilPoked(ms: number): Promise<void> {
    if (!this.poked)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    this.wake = undefined;
    this.poked = false;
  }

  private async run(): Promise<void> {
    for (let failures = 0; !this.stopped;) {
      const resyncIn = !this.config?.fib.enabled
        ? 60_000
        : this.holding
          ? 1_000 // look again soon: the hold ends as soon as GoBGP has relearned
          : Math.max(0, this.nextFullAt - Date.now());
      await this.sleepUntilPoked(resyncIn);
      if (this.stopped) return;
      // A short pause gathers a burst of best-path changes into one pass.
      await sleep(10);
      try {
        await this.pass();
        this.lastError = undefined;
        failures = 0;
      } catch (err) {
        failures++;
        this.lastError = err instanceof Error ? err.message : String(err);
        this.fullDue = true;
        this.opts.log.warn({ err: this.lastError, failures }, 'route sync pass failed');
        await sleep(backoffMs(failures, 500, 10_000));
        this.poke();
      }
    }
  }

  private async pass(): Promise<void> {
    const fib = this.fib;
    const config = this.config;
    // Disabled, unconfigured, or moved to another table: our routes leave the tables we no longer use.
    await this.retired.clean(
      fib?.table,
      config && !config.fib.enabled ? config.fib.table : undefined,
      this.opts.log,
    );
    if (!fib || !config || !this.ribReady) return;
    const started = performance.now();
    if (this.holding && (await this.relearned(config))) {
      this.holdUntil = 0;
      this.fullDue = true;
      this.opts.log.info('GoBGP has relearned its table: stale routes are removed');
    }
    const full = this.fullDue || Date.now() >= this.nextFullAt;
    if (full) await this.fullPass(fib, config);
    else await this.incrementalPass(fib, config);
    this.lastSync = new Date();
    this.metrics.duration.observe(
      { kind: full ? 'full' : 'incremental' },
      (performance.now() - started) / 1000,
    );
    this.metrics.publish({
      installed: this.installed,
      learned: this.rib.size,
      skipped: this.report.skipped,
      writes: fib.writes,
    });
  }

  private async fullPass(fib: KernelFib, config: RouteSyncConfig): Promise<void> {
    this.fullDue = false;
    this.nextFullAt = Date.now() + config.fib.resyncIntervalMs;
    const table = new InstalledTable();
    const duplicates: RouteChange[] = [];
    await fib.readRoutes((r) => {
      const route = { nextHops: r.nextHops, metric: r.metric };
      const current = table.get(r.prefix);
      if (!current) return table.set(r.prefix, route);
      // Two routes of ours for one prefix (the metric changed while we were away): keep one.
      const [keep, drop] = current.metric === config.fib.metric ? [current, route] : [route, current];
      table.set(r.prefix, keep);
      duplicates.push({ op: 'delete', prefix: r.prefix, ...drop });
    });
    this.installed = table;
    if (this.holdCheck) await this.holdIfRelearning(config);
    this.rib.takeChanged();
    await this.resolve(this.rib.nextHops(), true);
    const report = new PlanReport();
    const rib = this.rib;
    const scope = allPrefixes(rib.prefixKeys(), table, (p) => rib.has(p));
    const planned = planRoutes(scope, (p) => rib.get(p), table, this.planOptions(config), report);
    await this.applyChanges(fib, [duplicates, planned], report);
    this.report = report;
    const limited = report.skipped.get('RouteLimit');
    if (limited)
      this.opts.log.warn(
        { notInstalled: limited.count, maxRoutes: config.fib.maxRoutes },
        'FIB route limit reached: new prefixes are not installed',
      );
  }

  private async incrementalPass(fib: KernelFib, config: RouteSyncConfig): Promise<void> {
    const changed = this.rib.takeChanged();
    if (changed.size === 0) return;
    const hops = new Set<string>();
    for (const p of changed) for (const h of this.rib.get(p)?.nextHops ?? []) hops.add(h);
    await this.resolve(hops, false);
    const rib = this.rib;
    const planned = planRoutes(
      changed,
      (p) => rib.get(p),
      this.installed,
      this.planOptions(config),
      this.report,
    );
    await this.applyChanges(fib, [planned], this.report);
  }

  private planOptions(config: RouteSyncConfig): PlanOptions {
    return {
      metric: config.fib.metric,
      maxRoutes: config.fib.maxRoutes,
      ownPrefixes: config.ownPrefixes,
      resolveNextHop: (hop) => this.resolved.get(hop),
      keepUnlearned: this.holding,
    };
  }

  private get holding(): boolean {
    return Date.now() < this.holdUntil;
  }

  /**
   * After a dump: when routes of ours are installed but GoBGP has not relearned every peer's table
   * (a restarted gobgpd, as in a pod upgrade), keep routes GoBGP has not relearned yet instead of
   * deleting them, until it has (relearned()) or the graceful restart time runs out. An agent
   * restart beside a running gobgpd finds its peers up and holds nothing.
   */
  private async holdIfRelearning(config: RouteSyncConfig): Promise<void> {
    this.holdCheck = false;
    if (this.installed.size === 0 || config.staleHoldMs === 0) return;
    if (await this.peersRelearned(config)) return;
    this.holdUntil = Date.now() + config.staleHoldMs;
    this.lastRibChange = Date.now(); // quiet is counted from here: the table is still to come
    this.opts.log.info(
      { installed: this.installed.size, holdMs: config.staleHoldMs },
      'GoBGP is relearning its table: our routes are kept meanwhile (graceful restart)',
    );
  }

  /**
   * Every configured peer has sent its table again (hasRelearned: End-of-RIB where the peer does
   * graceful restart), and no best-path change for 3 s (our best-path stream trails GoBGP a little).
   */
  private async relearned(config: RouteSyncConfig): Promise<boolean> {
    return Date.now() - this.lastRibChange >= 3_000 && (await this.peersRelearned(config));
  }

  private async peersRelearned(config: RouteSyncConfig): Promise<boolean> {
    const peers = await this.opts.client.listPeers().catch(() => []);
    return peers.filter(hasRelearned).length >= config.expectedPeers;
  }

  /** Sends changes, keeping the installed table in step; what the kernel refuses is reported. */
  private async applyChanges(
    fib: KernelFib,
    lists: Iterable<RouteChange>[],
    report: PlanReport,
  ): Promise<void> {
    const table = this.installed;
    function* recorded(): Generator<RouteChange> {
      for (const list of lists)
        for (const c of list) {
          if (c.op !== 'delete') table.set(c.prefix, c);
          else if (table.get(c.prefix)?.metric === c.metric) table.delete(c.prefix);
          yield c;
        }
    }
    const before = fib.errors;
    const failures = await fib.apply(recorded());
    this.metrics.errors.inc(fib.errors - before);
    for (const { change, errno } of failures) {
      if (change.op === 'delete') {
        if (errno !== ESRCH) report.skip(change.prefix, 'KernelError');
        continue;
      }
      if (change.op === 'add' && table.get(change.prefix)?.metric === change.metric)
        table.delete(change.prefix);
      report.skip(change.prefix, errno === EEXIST ? 'ForeignRoute' : 'KernelError');
    }
    if (failures.length > 0)
      this.opts.log.warn(
        { refused: failures.length, example: failures[0]?.change.prefix, errno: failures[0]?.errno },
        'the kernel refused route changes',
      );
  }

  /** The gateway for each next hop, from the kernel's own lookup (connected, recursive or none). */
  private async resolve(hops: Iterable<string>, refresh: boolean): Promise<void> {
    const fib = this.fib;
    if (!fib) return;
    for (const hop of hops) {
      if (!refresh && this.resolved.has(hop)) continue;
      this.resolved.set(hop, gatewayFor(hop, await fib.lookup(hop)));
    }
  }
}

/** Sets are compared by content when deciding whether the configuration changed. */
function replacer(_key: string, value: unknown): unknown {
  return value instanceof Set ? [...(value as Set<string>)].sort() : value;
}

function gatewayFor(hop: string, found: NextHopLookup | undefined): string | undefined {
  // Unreachable, local, blackhole, or reachable only through a route of ours (BGP over BGP): skip.
  if (!found || found.type !== RTN_UNICAST || found.protocol === ROUTE_PROTOCOL) return undefined;
  return found.gateway ?? hop;
}
