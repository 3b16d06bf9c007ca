// Route policies and advertisement scoping -> GoBGP defined sets and policies, all attached to the
// global import/export assignments (GoBGP applies per-neighbour policies only to route-server
// clients, so peers are selected with neighbour-set conditions instead).
//
// Evaluation in GoBGP stops at the first statement that accepts or rejects, across the whole chain.
// So no policy ever ends in an implicit accept: defaultAction Accept adds nothing (later policies
// and the global default, accept, decide), and defaultAction Reject adds a final reject for the
// policy's own peers only. A peerSelector that matches no session on this node applies the policy
// to nobody here, never to everybody.
import type { BGPRoutePolicy } from '../api/types.ts';
import { numericCommunity } from './communities.ts';
import { contentHash } from './hash.ts';
import type {
  DesiredDefinedSet,
  DesiredPath,
  DesiredPeer,
  DesiredPolicy,
  DesiredStatement,
  Snapshot,
} from './model.ts';
import { matches } from './selectors.ts';

const PREFIX = 'bngbgp';
const isIpv6 = (p: string): boolean => p.includes(':');

/** Collects defined sets by content, so equal sets are defined once. */
class SetRegistry {
  readonly sets = new Map<string, DesiredDefinedSet>();

  add(type: DesiredDefinedSet['type'], list: string[], prefixes: DesiredDefinedSet['prefixes'] = []): string {
    const content = { type, list: [...list].sort(), prefixes };
    const name = `${PREFIX}-${type}-${contentHash(content)}`;
    this.sets.set(name, { name, ...content });
    return name;
  }
}

function prefixEntry(m: { cidr: string; maskLengthMin?: number; maskLengthMax?: number }) {
  const length = Number(m.cidr.split('/')[1]);
  const max = isIpv6(m.cidr) ? 128 : 32;
  const min = m.maskLengthMin ?? length;
  return {
    prefix: m.cidr,
    maskLengthMin: min,
    // Neither bound given: the exact prefix. Only ge given: up to the host length.
    maskLengthMax: m.maskLengthMax ?? (m.maskLengthMin === undefined ? length : max),
  };
}

const sessionAddresses = (
  peers: DesiredPeer[],
  snapshot: Snapshot,
  selector: BGPRoutePolicy['spec']['peerSelector'],
) => {
  const labels = new Map(snapshot.sessions.map((s) => [s.metadata.name ?? '', s.metadata.labels ?? {}]));
  return peers.filter((p) => matches(selector, labels.get(p.session))).map((p) => p.address);
};

/**
 * GoBGP's Actions hold one community action: a statement that adds and removes becomes a removing
 * statement that continues, then the adding one.
 */
function splitCommunityActions(s: DesiredStatement): DesiredStatement[] {
  if (!s.addCommunities || !s.removeCommunities) return [s];
  const { removeCommunities, ...rest } = s;
  return [{ conditions: s.conditions, action: 'none', removeCommunities }, rest];
}

function compileRoutePolicy(
  policy: BGPRoutePolicy,
  ownAsn: number,
  peers: DesiredPeer[],
  snapshot: Snapshot,
  sets: SetRegistry,
): DesiredPolicy | undefined {
  const spec = policy.spec;
  let neighborSet: string | undefined;
  if (spec.peerSelector) {
    const addresses = sessionAddresses(peers, snapshot, spec.peerSelector);
    if (addresses.length === 0) return undefined;
    neighborSet = sets.add('neighbor', addresses);
  }
  const statements: DesiredStatement[] = [];
  for (const s of spec.statements) {
    const base: DesiredStatement = {
      conditions: { ...(neighborSet ? { neighborSet } : {}) },
      action: s.action === 'Accept' ? 'accept' : s.action === 'Reject' ? 'reject' : 'none',
      ...(s.setLocalPref !== undefined ? { setLocalPref: s.setLocalPref } : {}),
      ...(s.setMED !== undefined ? { setMed: s.setMED } : {}),
      ...(s.addCommunities ? { addCommunities: s.addCommunities.map(numericCommunity) } : {}),
      ...(s.removeCommunities ? { removeCommunities: s.removeCommunities.map(numericCommunity) } : {}),
      ...(s.addLargeCommunities ? { addLargeCommunities: s.addLargeCommunities } : {}),
      ...(s.asPathPrepend
        ? { asPathPrepend: { asn: s.asPathPrepend.asNumber ?? ownAsn, repeat: s.asPathPrepend.count } }
        : {}),
    };
    if (s.communities?.length) {
      base.conditions.communitySet = sets.add(
        'community',
        s.communities.map((c) => `^${numericCommunity(c)}$`),
      );
    }
    if (s.largeCommunities?.length) {
      base.conditions.largeCommunitySet = sets.add(
        'large-community',
        s.largeCommunities.map((c) => `^${c}$`),
      );
    }
    const asPaths = [
      ...(s.asPath?.regex ? [s.asPath.regex] : []),
      ...(s.asPath?.originASNumber !== undefined ? [`_${s.asPath.originASNumber}$`] : []),
    ];
    if (asPaths.length) base.conditions.asPathSet = sets.add('as-path', asPaths);
    if (s.asPath?.maxLength !== undefined) base.conditions.asPathMaxLength = s.asPath.maxLength;
    // GoBGP prefix sets hold one family: a mixed list becomes one statement per family.
    const variants = !s.prefixSet?.length
      ? [base]
      : [false, true]
          .map((v6) => s.prefixSet!.filter((m) => isIpv6(m.cidr) === v6).map(prefixEntry))
          .filter((entries) => entries.length > 0)
          .map((entries) => ({
            ...base,
            conditions: { ...base.conditions, prefixSet: sets.add('prefix', [], entries) },
          }));
    for (const statement of variants) statements.push(...splitCommunityActions(statement));
  }
  if ((spec.defaultAction ?? 'Accept') === 'Reject') {
    statements.push({ conditions: neighborSet ? { neighborSet } : {}, action: 'reject' });
  }
  const source = policy.metadata.name ?? '';
  return { name: `${PREFIX}-rp-${source}-${contentHash(statements)}`, source, statements };
}

/**
 * Export scoping of advertisements with a peerSelector: reject the scoped prefixes towards every
 * neighbour outside the union of the sessions their advertisements select. One statement per
 * family and distinct set of allowed neighbours; host routes match through their pool's CIDR (any longer
 * length), so leases coming and going never change the policy.
 */
function compileScoping(paths: DesiredPath[], peers: DesiredPeer[], snapshot: Snapshot, sets: SetRegistry) {
  const adverts = new Map(snapshot.advertisements.map((a) => [a.metadata.name ?? '', a]));
  const groups = new Map<
    string,
    { allowed: string[]; prefixes: Map<string, DesiredDefinedSet['prefixes'][number]> }
  >();
  for (const path of paths) {
    const selectors = path.sources.map((s) => adverts.get(s)?.spec.peerSelector);
    if (selectors.some((sel) => sel === undefined)) continue; // one source sends it everywhere
    const allowed = [...new Set(selectors.flatMap((sel) => sessionAddresses(peers, snapshot, sel)))].sort();
    // GoBGP prefix sets hold one family.
    const key = `${path.family} ${allowed.join(',')}`;
    const group = groups.get(key) ?? { allowed, prefixes: new Map() };
    groups.set(key, group);
    const prefix = path.scope ?? path.prefix;
    const length = Number(prefix.split('/')[1]);
    const max = path.scope ? (prefix.includes(':') ? 128 : 32) : length;
    group.prefixes.set(prefix, { prefix, maskLengthMin: length, maskLengthMax: max });
  }
  const statements: DesiredStatement[] = [...groups.values()].map(({ allowed, prefixes }) => {
    const prefixSet = sets.add(
      'prefix',
      [],
      [...prefixes.values()].sort((a, b) => a.prefix.localeCompare(b.prefix)),
    );
    return {
      conditions: allowed.length
        ? { prefixSet, neighborSet: sets.add('neighbor', allowed), neighborSetInvert: true }
        : { prefixSet },
      action: 'reject' as const,
    };
  });
  if (statements.length === 0) return undefined;
  return {
    name: `${PREFIX}-adv-scope-${contentHash(statements)}`,
    source: 'BGPAdvertisement peerSelectors',
    statements,
  };
}

/** Sets in a readable order: by type, then by content. */
const setOrder = (s: DesiredDefinedSet): string =>
  `${s.type} ${s.list.join(',')} ${s.prefixes.map((p) => p.prefix).join(',')}`;

export function compilePolicies(
  snapshot: Snapshot,
  ownAsn: number,
  peers: DesiredPeer[],
  paths: DesiredPath[],
) {
  const sets = new SetRegistry();
  const byName = [...snapshot.routePolicies].sort((a, b) =>
    (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
  );
  const compiled = byName
    .map((p) => ({ type: p.spec.type, policy: compileRoutePolicy(p, ownAsn, peers, snapshot, sets) }))
    .filter((x): x is { type: 'Import' | 'Export'; policy: DesiredPolicy } => x.policy !== undefined);
  const scoping = compileScoping(paths, peers, snapshot, sets);
  const policies = [...(scoping ? [scoping] : []), ...compiled.map((c) => c.policy)];
  return {
    definedSets: [...sets.sets.values()].sort((a, b) => setOrder(a).localeCompare(setOrder(b))),
    policies: policies.sort((a, b) => a.name.localeCompare(b.name)),
    importPolicies: compiled.filter((c) => c.type === 'Import').map((c) => c.policy.name),
    // Scoping first: a prefix must not reach a peer outside its selection whatever later policies say.
    exportPolicies: [
      ...(scoping ? [scoping.name] : []),
      ...compiled.filter((c) => c.type === 'Export').map((c) => c.policy.name),
    ],
  };
}
