// The route plan: which kernel writes make our routes (protocol 196, our table) equal the learned
// best paths, for a scope of prefixes (all of them on a full resync, the changed ones otherwise).
// Pure and lazy: it yields one change at a time so a million-route plan never sits in memory.
// An unchanged route yields nothing (an agent restart rewrites no route); a changed one is one
// replace (never delete-then-add); a route of ours no longer learned is deleted. Routes of other
// protocols are never an input: the kernel reader only passes ours.
import type { LearnedRoute } from './learned-rib.ts';
import type { RouteChange } from './rtnl/kernel-fib.ts';

/** A route of ours as the kernel holds it (next hops sorted). */
export interface InstalledRoute {
  nextHops: readonly string[];
  metric: number;
}

/** What the planner reads of the installed routes (InstalledTable). */
export interface InstalledView {
  readonly size: number;
  get(prefix: string): InstalledRoute | undefined;
  keys(): Iterable<string>;
}

export interface PlanOptions {
  metric: number;
  /** Most routes installed; beyond it new prefixes wait (installed ones are never evicted). */
  maxRoutes: number;
  /** Prefixes this node advertises itself: never installed from BGP. */
  ownPrefixes: ReadonlySet<string>;
  /**
   * The directly connected gateway for a BGP next hop: itself on a connected network, the gateway
   * of the covering route when recursive, undefined when it cannot be reached.
   */
  resolveNextHop: (nextHop: string) => string | undefined;
  /**
   * Keep installed routes GoBGP no longer has (graceful restart: a restarted gobgpd is relearning
   * its table, and forwarding goes on over the stale routes meanwhile).
   */
  keepUnlearned?: boolean;
}

export type SkipReason =
  | 'OwnPrefix'
  | 'LocallyOriginated'
  | 'UnresolvedNextHop'
  | 'RouteLimit'
  /** A route of another protocol holds the same prefix and metric: it is left alone. */
  | 'ForeignRoute'
  | 'KernelError';

/** What a plan left out, by reason, with a few example prefixes for the status and logs. */
export class PlanReport {
  readonly skipped = new Map<SkipReason, { count: number; examples: string[] }>();

  skip(prefix: string, reason: SkipReason): void {
    const entry = this.skipped.get(reason) ?? { count: 0, examples: [] };
    entry.count++;
    if (entry.examples.length < 5) entry.examples.push(prefix);
    this.skipped.set(reason, entry);
  }
}

const same = (a: InstalledRoute, b: InstalledRoute) =>
  a.metric === b.metric &&
  a.nextHops.length === b.nextHops.length &&
  a.nextHops.every((h, i) => h === b.nextHops[i]);

/** The route the kernel should hold for a learned prefix, or undefined (with the reason reported). */
function wantedRoute(route: LearnedRoute, opts: PlanOptions, report: PlanReport): InstalledRoute | undefined {
  if (route.local) return (report.skip(route.prefix, 'LocallyOriginated'), undefined);
  if (opts.ownPrefixes.has(route.prefix)) return (report.skip(route.prefix, 'OwnPrefix'), undefined);
  const gateways = new Set<string>();
  const v6 = route.prefix.includes(':');
  for (const hop of route.nextHops) {
    const gateway = opts.resolveNextHop(hop);
    // An IPv4 route over an IPv6 next hop (RFC 8950) needs RTA_VIA: not supported, so unresolved.
    if (gateway !== undefined && gateway.includes(':') === v6) gateways.add(gateway);
  }
  if (gateways.size === 0) return (report.skip(route.prefix, 'UnresolvedNextHop'), undefined);
  return { nextHops: [...gateways].sort(), metric: opts.metric };
}

export function* planRoutes(
  scope: Iterable<string>,
  learned: (prefix: string) => LearnedRoute | undefined,
  installed: InstalledView,
  opts: PlanOptions,
  report: PlanReport,
): Generator<RouteChange> {
  let count = installed.size;
  for (const prefix of scope) {
    const route = learned(prefix);
    const wanted = route && wantedRoute(route, opts, report);
    const current = installed.get(prefix);
    if (!wanted) {
      if (current && !(route === undefined && opts.keepUnlearned)) {
        count--;
        yield { op: 'delete', prefix, ...current };
      }
      continue;
    }
    if (current && same(current, wanted)) continue;
    if (current && current.metric === wanted.metric) {
      yield { op: 'replace', prefix, ...wanted };
      continue;
    }
    if (!current && count >= opts.maxRoutes) {
      report.skip(prefix, 'RouteLimit');
      continue;
    }
    // New, or a new metric (a different kernel route): add first, then remove the old one.
    yield { op: 'add', prefix, ...wanted };
    if (current) yield { op: 'delete', prefix, ...current };
    else count++;
  }
}

/** Every prefix of either side, each once: the scope of a full resync. */
export function* allPrefixes(
  learned: Iterable<string>,
  installed: InstalledView,
  isLearned: (prefix: string) => boolean,
): Generator<string> {
  yield* learned;
  for (const prefix of installed.keys()) if (!isLearned(prefix)) yield prefix;
}
