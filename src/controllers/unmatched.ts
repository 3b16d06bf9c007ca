// Objects whose selectors match nothing: a route policy applied to no session, an advertisement
// announced by no node or to no session, a peering policy that peers no endpoint. Each becomes a
// diagnostic on that object, naming the selector and what it failed to match, so the leader's
// Ready condition says what to fix. Pure.
//
// Ready=False, not Ready=True with a reason: such an object is accepted but in effect nowhere, and
// that is what its author must see. An export filter meant for the transit sessions that applies to
// none of them leaks the routes it was written to hold back; an advertisement that no node or no
// session carries announces nothing; a peering policy that matches no endpoint peers nothing.
// Ready is the column `kubectl get bgp` prints and what `kubectl wait` and alerts on Ready=False
// watch; a True there would read as "done". The price: an object staged before what it selects
// exists (a policy applied just before the sessions it filters) shows False until they do, which is
// accurate, and it turns True by itself once something matches.
import type { V1Node } from '@kubernetes/client-node';
import type {
  BGPAdvertisement,
  BGPEndpoint,
  BGPPeeringPolicy,
  BGPRoutePolicy,
  BGPSession,
} from '../api/types.ts';
import type { Diagnostic } from '../compile/model.ts';
import { matches, type LabelSelector } from '../compile/selectors.ts';

/** `field "role=bng,tier in (a,b)"`, as `kubectl get -l` takes it; undefined when it selects everything. */
function selector(field: string, s: LabelSelector | undefined): string | undefined {
  const parts = [
    ...Object.entries(s?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(s?.matchExpressions ?? []).map((r) =>
      r.operator === 'Exists'
        ? r.key
        : r.operator === 'DoesNotExist'
          ? `!${r.key}`
          : `${r.key} ${r.operator === 'In' ? 'in' : 'notin'} (${(r.values ?? []).join(',')})`,
    ),
  ];
  return parts.length ? `${field} "${parts.join(',')}"` : undefined;
}

/** At most five names, then how many more. */
function names(list: string[]): string {
  const sorted = [...list].sort();
  return sorted.length > 5
    ? `${sorted.slice(0, 5).join(', ')} and ${sorted.length - 5} more`
    : sorted.join(', ');
}

const LABEL_SESSIONS = "label the sessions (a peering policy's sessionTemplate.labels) or fix the selector";

export function routePolicyFindings(policy: BGPRoutePolicy, matchedSessions: number): Diagnostic[] {
  if (matchedSessions > 0) return [];
  const peerSelector = selector('peerSelector', policy.spec.peerSelector);
  return [
    {
      kind: 'BGPRoutePolicy',
      name: policy.metadata.name ?? '',
      reason: 'NoMatchingSessions',
      message: peerSelector
        ? `${peerSelector} matches no BGPSession: the policy applies to no session; ${LABEL_SESSIONS}`
        : 'there is no BGPSession: the policy (no peerSelector: every session) applies to no session yet',
    },
  ];
}

export function advertisementFindings(
  advert: BGPAdvertisement,
  nodes: readonly V1Node[],
  endpoints: readonly BGPEndpoint[],
  sessions: readonly BGPSession[],
): Diagnostic[] {
  const finding = (reason: string, message: string): Diagnostic[] => [
    { kind: 'BGPAdvertisement', name: advert.metadata.name ?? '', reason, message },
  ];
  const selected = new Set(
    nodes
      .filter((n) => matches(advert.spec.nodeSelector, n.metadata?.labels))
      .map((n) => n.metadata?.name ?? ''),
  );
  if (selected.size === 0)
    return finding(
      'NoMatchingNodes',
      `${selector('nodeSelector', advert.spec.nodeSelector) ?? 'no nodeSelector (every node)'} matches no Node: nothing is announced; label the nodes or fix the selector`,
    );
  // The sessions the selected nodes configure: those with one end on one of them.
  const nodeOf = new Map(endpoints.map((e) => [e.metadata.name ?? '', e.spec.nodeName]));
  const onSelected = (end: string) => selected.has(nodeOf.get(end) ?? '');
  const mine = sessions.filter((s) => onSelected(s.spec.localEndpoint) || onSelected(s.spec.remoteEndpoint));
  if (mine.some((s) => matches(advert.spec.peerSelector, s.metadata.labels))) return [];
  const peerSelector = selector('peerSelector', advert.spec.peerSelector);
  return finding(
    'NoMatchingSessions',
    peerSelector && mine.length > 0
      ? `${peerSelector} matches none of the ${mine.length} BGPSession(s) of node(s) ${names([...selected])}: nothing is announced; ${LABEL_SESSIONS}`
      : `node(s) ${names([...selected])} have no BGPSession: nothing is announced; add sessions for them or fix the nodeSelector`,
  );
}

export function peeringPolicyFindings(
  policy: BGPPeeringPolicy,
  endpoints: readonly BGPEndpoint[],
): Diagnostic[] {
  const spec = policy.spec;
  const finding = (field: string, s: LabelSelector | undefined, what: string): Diagnostic[] => [
    {
      kind: 'BGPPeeringPolicy',
      name: policy.metadata.name ?? '',
      reason: 'NoMatchingEndpoints',
      message: `${selector(field, s) ?? `${field} (empty)`} ${what}: no session is generated; label the BGPEndpoints or fix the selector`,
    },
  ];
  const selected = endpoints.filter((e) => matches(spec.selector, e.metadata.labels));
  if (selected.length === 0) return finding('selector', spec.selector, 'matches no BGPEndpoint');
  if (spec.mode === 'upstream') {
    const peerSelector = spec.upstreamConfig?.peerSelector;
    if (!endpoints.some((e) => matches(peerSelector, e.metadata.labels)))
      return finding('upstreamConfig.peerSelector', peerSelector, 'matches no BGPEndpoint');
  }
  if (spec.mode === 'route-reflector') {
    const reflectorSelector = spec.routeReflectorConfig?.reflectorSelector;
    if (!selected.some((e) => matches(reflectorSelector, e.metadata.labels)))
      return finding(
        'routeReflectorConfig.reflectorSelector',
        reflectorSelector,
        `matches none of the ${selected.length} BGPEndpoint(s) the selector matches`,
      );
  }
  return [];
}
