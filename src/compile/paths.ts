// BGPAdvertisements -> the paths this node originates: their static prefixes and the pool routes
// compilePoolRoutes chose. Next hop 0.0.0.0 / :: lets GoBGP put the session's own address, which is
// right towards every peer of a multi-homed node.
import type { BGPAdvertisement } from '../api/types.ts';
import { numericCommunity } from './communities.ts';
import { canonicalJson } from './hash.ts';
import type { DesiredPath, Diagnostic, PathCandidate, Snapshot } from './model.ts';
import { matches } from './selectors.ts';

function attributes(a: BGPAdvertisement['spec'], ownAsn: number, extra: PathCandidate['extra'] = {}) {
  const prepend = a.asPathPrepend
    ? { asn: a.asPathPrepend.asNumber ?? ownAsn, repeat: a.asPathPrepend.count }
    : undefined;
  const repeat = (prepend?.repeat ?? 0) + (extra.extraPrepend ?? 0);
  const med = extra.med ?? a.med;
  const communities = new Set((a.communities ?? []).map(numericCommunity));
  if (extra.community) communities.add(extra.community);
  return {
    communities: [...communities].sort(),
    largeCommunities: [...(a.largeCommunities ?? [])].sort(),
    ...(med !== undefined ? { med } : {}),
    ...(a.localPref !== undefined ? { localPref: a.localPref } : {}),
    ...(repeat > 0 ? { asPathPrepend: { asn: prepend?.asn ?? ownAsn, repeat } } : {}),
  };
}

export function compilePaths(
  snapshot: Snapshot,
  ownAsn: number,
  diagnostics: Diagnostic[],
  poolCandidates: PathCandidate[] = [],
): DesiredPath[] {
  const paths = new Map<string, { path: DesiredPath; attrs: string }>();
  const add = (candidate: PathCandidate) => {
    const { prefix, advertisement } = candidate;
    const name = advertisement.metadata.name ?? '';
    const attrs = attributes(advertisement.spec, ownAsn, candidate.extra);
    const existing = paths.get(prefix);
    if (existing && existing.attrs !== canonicalJson(attrs)) {
      diagnostics.push({
        kind: 'BGPAdvertisement',
        name,
        reason: 'ConflictingAttributes',
        message: `${prefix} is also advertised by ${existing.path.sources.join(', ')} with other attributes; this one is not applied for it`,
      });
    } else if (existing) {
      if (!existing.path.sources.includes(name)) existing.path.sources.push(name);
    } else {
      const v6 = prefix.includes(':');
      const path: DesiredPath = {
        family: v6 ? 'ipv6-unicast' : 'ipv4-unicast',
        prefix,
        nextHop: v6 ? '::' : '0.0.0.0',
        ...attrs,
        sources: [name],
        ...(candidate.scope ? { scope: candidate.scope } : {}),
      };
      paths.set(prefix, { path, attrs: canonicalJson(attrs) });
    }
  };
  const adverts = [...snapshot.advertisements].sort((a, b) =>
    (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
  );
  for (const advertisement of adverts) {
    if (!matches(advertisement.spec.nodeSelector, snapshot.node.labels)) continue;
    for (const prefix of advertisement.spec.prefixes ?? []) add({ prefix, advertisement, extra: {} });
  }
  for (const candidate of poolCandidates) add(candidate);
  return [...paths.values()].map((p) => p.path).sort((a, b) => a.prefix.localeCompare(b.prefix));
}
