// BGPPeeringPolicies -> the BGPSessions they stand for. Pure: the leader applies the result.
//   mesh             every pair of selected endpoints;
//   route-reflector  every reflector with every client (the reflector is the local end and carries
//                    the cluster ID), and the reflectors as a mesh among themselves;
//   upstream         every selected endpoint (local end) with every upstream endpoint.
// A pair that two policies generate is kept by the first policy by name and reported on the other.
import type { BGPEndpoint, BGPPeeringPolicy, BGPSession } from '../api/types.ts';
import { contentHash } from '../compile/hash.ts';
import type { Diagnostic } from '../compile/model.ts';
import { matches } from '../compile/selectors.ts';

export const POLICY_LABEL = 'bgp.bng-edge.io/peering-policy';

export interface PolicyOutcome {
  matchedEndpoints: number;
  sessions: string[];
}

export interface Generated {
  sessions: BGPSession[];
  outcomes: Map<string, PolicyOutcome>;
  diagnostics: Diagnostic[];
}

/** A DNS-subdomain name that reads well and cannot collide: a readable prefix and a hash of the pair. */
export function sessionName(policy: string, local: string, remote: string): string {
  const readable = `${policy}.${local}.${remote}`.slice(0, 200).replace(/[^a-z0-9]+$/, '');
  return `${readable}-${contentHash([policy, local, remote], 8)}`;
}

function pairs(policy: BGPPeeringPolicy, endpoints: BGPEndpoint[]): [BGPEndpoint, BGPEndpoint, boolean][] {
  const spec = policy.spec;
  const selected = endpoints.filter((e) => matches(spec.selector, e.metadata.labels));
  const mesh = (list: BGPEndpoint[]) =>
    list.flatMap((a, i) =>
      list.slice(i + 1).map((b) => [a, b, false] as [BGPEndpoint, BGPEndpoint, boolean]),
    );
  switch (spec.mode ?? 'mesh') {
    case 'mesh':
      return mesh(selected);
    case 'route-reflector': {
      const isReflector = (e: BGPEndpoint) =>
        matches(spec.routeReflectorConfig?.reflectorSelector, e.metadata.labels);
      const reflectors = selected.filter(isReflector);
      const clients = selected.filter((e) => !isReflector(e));
      return [
        ...mesh(reflectors),
        ...reflectors.flatMap((r) => clients.map((c) => [r, c, true] as [BGPEndpoint, BGPEndpoint, boolean])),
      ];
    }
    case 'upstream': {
      const upstream = endpoints.filter((e) => matches(spec.upstreamConfig?.peerSelector, e.metadata.labels));
      return selected.flatMap((s) =>
        upstream.filter((u) => u !== s).map((u) => [s, u, false] as [BGPEndpoint, BGPEndpoint, boolean]),
      );
    }
  }
}

export function generateSessions(
  policies: readonly BGPPeeringPolicy[],
  endpoints: readonly BGPEndpoint[],
): Generated {
  const sorted = [...endpoints].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const owners = new Map<string, string>();
  const out: Generated = { sessions: [], outcomes: new Map(), diagnostics: [] };
  for (const policy of [...policies].sort((a, b) =>
    (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
  )) {
    const name = policy.metadata.name ?? '';
    const { labels = {}, ...settings } = policy.spec.sessionTemplate ?? {};
    const outcome: PolicyOutcome = {
      matchedEndpoints: sorted.filter((e) => matches(policy.spec.selector, e.metadata.labels)).length,
      sessions: [],
    };
    for (const [local, remote, reflect] of pairs(policy, sorted)) {
      const [l, r] = [local.metadata.name ?? '', remote.metadata.name ?? ''];
      const pair = [l, r].sort().join('\n');
      const owner = owners.get(pair);
      if (owner) {
        out.diagnostics.push({
          kind: 'BGPPeeringPolicy',
          name,
          reason: 'ConflictingSession',
          message: `${l} and ${r} are already peered by policy ${owner}; this policy does not generate that session`,
        });
        continue;
      }
      owners.set(pair, name);
      const clusterID = policy.spec.routeReflectorConfig?.clusterID;
      const session: BGPSession = {
        apiVersion: 'bgp.bng-edge.io/v1alpha1',
        kind: 'BGPSession',
        metadata: {
          name: sessionName(name, l, r),
          labels: { ...labels, [POLICY_LABEL]: name },
          ownerReferences: [
            {
              apiVersion: 'bgp.bng-edge.io/v1alpha1',
              kind: 'BGPPeeringPolicy',
              name,
              uid: policy.metadata.uid ?? '',
              controller: true,
            },
          ],
        },
        spec: {
          ...settings,
          localEndpoint: l,
          remoteEndpoint: r,
          ...(reflect && clusterID ? { routeReflector: { clusterID } } : {}),
        },
      };
      out.sessions.push(session);
      outcome.sessions.push(session.metadata.name ?? '');
    }
    out.outcomes.set(name, outcome);
  }
  return out;
}
