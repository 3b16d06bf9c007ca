// The route plan: what the kernel must change so that its routes of protocol 196 in our table are
// exactly the learned best paths. Pure and deterministic: an unchanged table plans nothing (so an
// agent restart rewrites no route), a changed route is one replace (never delete-then-add), and a
// route of ours that is no longer learned is deleted. Routes of other protocols are not an input:
// the reader only ever passes ours.

/** A best path as the learned RIB holds it: several next hops means ECMP (one multipath route). */
export interface LearnedRoute {
  prefix: string;
  nextHops: string[];
}

/** A protocol-196 route as the kernel holds it (normalised by the reader). */
export interface KernelRoute {
  prefix: string;
  nextHops: string[];
  metric: number;
}

export interface PlanOptions {
  metric: number;
  /** Most routes to install; beyond it, new prefixes are skipped (installed ones are kept first). */
  maxRoutes: number;
  /** Prefixes this node originates itself: never installed from BGP. */
  ownPrefixes: ReadonlySet<string>;
  /**
   * The directly connected gateway to use for a BGP next hop: itself when on a connected network,
   * the gateway of the route covering it when recursive, or undefined when it cannot be reached.
   */
  resolveNextHop: (nextHop: string) => string | undefined;
}

export type SkipReason = 'OwnPrefix' | 'UnresolvedNextHop' | 'RouteLimit';

export interface RoutePlan {
  replace: KernelRoute[];
  delete: KernelRoute[];
  skipped: { prefix: string; reason: SkipReason }[];
  /** Routes ours after the plan is applied. */
  installed: number;
}

const sameRoute = (a: KernelRoute, b: KernelRoute) =>
  a.metric === b.metric &&
  a.nextHops.length === b.nextHops.length &&
  a.nextHops.every((h, i) => h === b.nextHops[i]);

export function planRoutes(
  learned: Iterable<LearnedRoute>,
  kernel: Iterable<KernelRoute>,
  opts: PlanOptions,
): RoutePlan {
  const installed = new Map<string, KernelRoute>();
  for (const r of kernel) installed.set(r.prefix, { ...r, nextHops: [...r.nextHops].sort() });
  const plan: RoutePlan = { replace: [], delete: [], skipped: [], installed: 0 };
  const wanted = new Map<string, KernelRoute>();
  for (const route of learned) {
    if (opts.ownPrefixes.has(route.prefix)) {
      plan.skipped.push({ prefix: route.prefix, reason: 'OwnPrefix' });
      continue;
    }
    const gateways = [
      ...new Set(
        route.nextHops.map((h) => opts.resolveNextHop(h)).filter((g): g is string => g !== undefined),
      ),
    ].sort();
    if (gateways.length === 0) {
      plan.skipped.push({ prefix: route.prefix, reason: 'UnresolvedNextHop' });
      continue;
    }
    wanted.set(route.prefix, { prefix: route.prefix, nextHops: gateways, metric: opts.metric });
  }
  // Over the limit, routes already in the kernel keep their place: a full table never churns.
  const prefixes = [...wanted.keys()].sort(
    (a, b) => Number(installed.has(b)) - Number(installed.has(a)) || (a < b ? -1 : 1),
  );
  for (const prefix of prefixes.slice(opts.maxRoutes)) {
    plan.skipped.push({ prefix, reason: 'RouteLimit' });
    wanted.delete(prefix);
  }
  for (const [prefix, route] of wanted) {
    const current = installed.get(prefix);
    if (!current || !sameRoute(current, route)) plan.replace.push(route);
  }
  for (const [prefix, route] of installed) if (!wanted.has(prefix)) plan.delete.push(route);
  plan.installed = wanted.size;
  return plan;
}
