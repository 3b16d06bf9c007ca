// Cluster-level status of every object, from the node states (what each node sees) and the
// generated sessions. Pure; written by the leader alone.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { BGPNodeState } from '../api/types.ts';
import type { Diagnostic } from '../compile/model.ts';
import { matches } from '../compile/selectors.ts';
import { withTransitions, type DesiredCondition } from '../kube/conditions.ts';
import type { ClusterCaches } from './caches.ts';
import type { Generated } from './generate-sessions.ts';
import { advertisementFindings, peeringPolicyFindings, routePolicyFindings } from './unmatched.ts';

export interface StatusUpdate {
  kind: string;
  plural: string;
  name: string;
  status: Record<string, unknown>;
  current: Record<string, unknown> | undefined;
}

type Obj = KubernetesObject & { status?: Record<string, unknown> & { conditions?: never[] } };

const problems = (diags: Diagnostic[], kind: string, name: string) =>
  diags.filter((d) => d.kind === kind && d.name === name);

function readyCondition(
  gen: number,
  diags: Diagnostic[],
  ok: { reason: string; message: string },
): DesiredCondition {
  return diags.length
    ? {
        type: 'Ready',
        status: 'False',
        reason: diags[0]!.reason,
        message: diags.map((d) => d.message).join('; '),
        observedGeneration: gen,
      }
    : { type: 'Ready', status: 'True', ...ok, observedGeneration: gen };
}

export function aggregateStatus(caches: ClusterCaches, generated: Generated): StatusUpdate[] {
  const states = caches.nodeStates.list() as BGPNodeState[];
  // Diagnostics of every node, each tagged with the node that found it.
  const diags: Diagnostic[] = [
    ...states.flatMap((s) =>
      (s.status?.diagnostics ?? []).map(
        (d) => ({ ...d, message: `${s.metadata.name}: ${d.message}` }) as Diagnostic,
      ),
    ),
    ...generated.diagnostics,
  ];
  diags.push(...routerIdCollisions(states));
  const peersBySession = new Map<string, { node: string; state: string }[]>();
  for (const s of states) {
    for (const p of s.status?.peers ?? []) {
      peersBySession.set(p.session, [
        ...(peersBySession.get(p.session) ?? []),
        { node: s.metadata.name ?? '', state: p.state },
      ]);
    }
  }
  const endpoints = caches.endpoints.list();
  const updates: StatusUpdate[] = [];
  const push = (
    kind: string,
    plural: string,
    obj: Obj,
    conditions: DesiredCondition[],
    extra: Record<string, unknown> = {},
  ) => {
    const current = obj.status;
    const status = {
      ...extra,
      observedGeneration: obj.metadata?.generation ?? 0,
      conditions: withTransitions(conditions, current?.conditions ?? []),
    };
    updates.push({ kind, plural, name: obj.metadata?.name ?? '', status, current });
  };
  const sessionState = (name: string): string => {
    const ends = peersBySession.get(name) ?? [];
    if (ends.length === 0) return 'NotConfigured';
    return ends.find((e) => e.state !== 'Established')?.state ?? 'Established';
  };

  for (const s of caches.sessions.list()) {
    const name = s.metadata.name ?? '';
    const gen = s.metadata.generation ?? 0;
    const state = sessionState(name);
    const ends = peersBySession.get(name) ?? [];
    const up = state === 'Established';
    const established: DesiredCondition = {
      type: 'SessionEstablished',
      status: up ? 'True' : 'False',
      reason: state,
      message: ends.length
        ? ends.map((e) => `${e.node}: ${e.state}`).join(', ')
        : 'no node configures this session yet',
      observedGeneration: gen,
    };
    const own = problems(diags, 'BGPSession', name);
    const ready = own.length
      ? readyCondition(gen, own, { reason: '', message: '' })
      : { ...established, type: 'Ready', reason: up ? 'Established' : state };
    push('BGPSession', 'bgpsessions', s as Obj, [established, ready], { sessionState: state });
  }
  for (const p of caches.peeringPolicies.list()) {
    const name = p.metadata.name ?? '';
    const outcome = generated.outcomes.get(name);
    const sessions = outcome?.sessions ?? [];
    const active = sessions.filter((s) => sessionState(s) === 'Established').length;
    push(
      'BGPPeeringPolicy',
      'bgppeeringpolicies',
      p as Obj,
      [
        readyCondition(
          p.metadata.generation ?? 0,
          [...problems(diags, 'BGPPeeringPolicy', name), ...peeringPolicyFindings(p, endpoints)],
          {
            reason: 'SessionsGenerated',
            message: `${sessions.length} session(s), ${active} Established`,
          },
        ),
      ],
      {
        matchedEndpoints: outcome?.matchedEndpoints ?? 0,
        generatedSessions: sessions.length,
        activeSessions: active,
      },
    );
  }
  for (const c of caches.configurations.list()) {
    const name = c.metadata.name ?? '';
    const matched = caches.nodes
      .list()
      .filter((n) => matches(c.spec.nodeSelector, n.metadata?.labels)).length;
    const ready = states.filter(
      (s) =>
        s.status?.configuration === name &&
        s.status.conditions?.some((x) => x.type === 'SpeakerReady' && x.status === 'True'),
    ).length;
    push(
      'BGPConfiguration',
      'bgpconfigurations',
      c as Obj,
      [
        readyCondition(c.metadata.generation ?? 0, problems(diags, 'BGPConfiguration', name), {
          reason: 'SpeakersRunning',
          message: `${ready}/${matched} node speakers running`,
        }),
      ],
      { matchedNodes: matched, readyNodes: ready },
    );
  }
  for (const a of caches.advertisements.list()) {
    const name = a.metadata.name ?? '';
    const prefixes = new Set(a.spec.prefixes ?? []);
    // Static prefixes from advertisedPrefixes; pool routes (aggregates and host routes) from bngPools.
    const perNode = states.map(
      (s) =>
        (s.status?.advertisedPrefixes ?? []).filter((p) => prefixes.has(p)).length +
        (s.status?.bngPools?.pools ?? [])
          .filter((p) => p.advertisements?.includes(name))
          .reduce((n, p) => n + p.routes, 0),
    );
    const advertising = perNode.filter((n) => n > 0);
    const count = advertising.reduce((a, b) => a + b, 0);
    push(
      'BGPAdvertisement',
      'bgpadvertisements',
      a as Obj,
      [
        readyCondition(
          a.metadata.generation ?? 0,
          [
            ...problems(diags, 'BGPAdvertisement', name),
            ...advertisementFindings(a, caches.nodes.list(), endpoints, caches.sessions.list()),
          ],
          {
            reason: 'Advertised',
            message: `${count} prefix announcement(s) from ${advertising.length} node(s)`,
          },
        ),
      ],
      { advertisedPrefixCount: count, nodes: advertising.length },
    );
  }
  for (const r of caches.routePolicies.list()) {
    const name = r.metadata.name ?? '';
    const sessions = caches.sessions
      .list()
      .filter((s) => !r.spec.peerSelector || matches(r.spec.peerSelector, s.metadata.labels));
    push(
      'BGPRoutePolicy',
      'bgproutepolicies',
      r as Obj,
      [
        readyCondition(
          r.metadata.generation ?? 0,
          [...problems(diags, 'BGPRoutePolicy', name), ...routePolicyFindings(r, sessions.length)],
          { reason: 'Applied', message: `applies to ${sessions.length} session(s)` },
        ),
      ],
      { matchedSessions: sessions.length },
    );
  }
  for (const e of endpoints) {
    push('BGPEndpoint', 'bgpendpoints', e as Obj, [
      readyCondition(e.metadata.generation ?? 0, problems(diags, 'BGPEndpoint', e.metadata.name ?? ''), {
        reason: 'Accepted',
        message: e.spec.nodeName ? `node ${e.spec.nodeName}` : 'external speaker',
      }),
    ]);
  }
  return updates;
}

/** Nodes sharing a router ID (sessions between them fail, and best-path ties break wrongly). */
function routerIdCollisions(states: BGPNodeState[]): Diagnostic[] {
  const byId = new Map<string, BGPNodeState[]>();
  for (const s of states)
    if (s.status?.routerID) byId.set(s.status.routerID, [...(byId.get(s.status.routerID) ?? []), s]);
  return [...byId]
    .filter(([, nodes]) => nodes.length > 1)
    .flatMap(([id, nodes]) =>
      [...new Set(nodes.map((n) => n.status?.configuration ?? ''))].map((configuration) => ({
        kind: 'BGPConfiguration' as const,
        name: configuration,
        reason: 'RouterIDCollision',
        message: `nodes ${nodes
          .map((n) => n.metadata.name)
          .sort()
          .join(
            ', ',
          )} all use router ID ${id}: give each node its own (routerIDSource NodeIP with distinct IPv4 addresses)`,
      })),
    );
}
