// BGPAdvertisements -> the paths this node originates. Next hop 0.0.0.0 / :: lets GoBGP put the
// session's own address, which is right towards every peer of a multi-homed node.
import type { BGPAdvertisement } from '../api/types.ts';
import { numericCommunity } from './communities.ts';
import { canonicalJson } from './hash.ts';
import type { DesiredPath, Diagnostic, Snapshot } from './model.ts';
import { matches } from './selectors.ts';

function attributes(a: BGPAdvertisement['spec'], ownAsn: number) {
  return {
    communities: (a.communities ?? []).map(numericCommunity).sort(),
    largeCommunities: [...(a.largeCommunities ?? [])].sort(),
    ...(a.med !== undefined ? { med: a.med } : {}),
    ...(a.localPref !== undefined ? { localPref: a.localPref } : {}),
    ...(a.asPathPrepend
      ? { asPathPrepend: { asn: a.asPathPrepend.asNumber ?? ownAsn, repeat: a.asPathPrepend.count } }
      : {}),
  };
}

export function compilePaths(snapshot: Snapshot, ownAsn: number, diagnostics: Diagnostic[]): DesiredPath[] {
  const paths = new Map<string, { path: DesiredPath; attrs: string }>();
  const adverts = [...snapshot.advertisements].sort((a, b) =>
    (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
  );
  for (const advert of adverts) {
    if (!matches(advert.spec.nodeSelector, snapshot.node.labels)) continue;
    const name = advert.metadata.name ?? '';
    const attrs = attributes(advert.spec, ownAsn);
    for (const prefix of advert.spec.prefixes ?? []) {
      const existing = paths.get(prefix);
      if (existing && existing.attrs !== canonicalJson(attrs)) {
        diagnostics.push({
          kind: 'BGPAdvertisement',
          name,
          reason: 'ConflictingAttributes',
          message: `${prefix} is also advertised by ${existing.path.sources.join(', ')} with other attributes; this one is not applied for it`,
        });
      } else if (existing) {
        existing.path.sources.push(name);
      } else {
        const v6 = prefix.includes(':');
        const path: DesiredPath = {
          family: v6 ? 'ipv6-unicast' : 'ipv4-unicast',
          prefix,
          nextHop: v6 ? '::' : '0.0.0.0',
          ...attrs,
          sources: [name],
        };
        paths.set(prefix, { path, attrs: canonicalJson(attrs) });
      }
    }
  }
  return [...paths.values()].map((p) => p.path).sort((a, b) => a.prefix.localeCompare(b.prefix));
}
