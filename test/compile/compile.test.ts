// compileNode, table-driven: each fixture in fixtures/ is a node, the resources it sees (its own
// plus those of the base site it includes) and the desired state and diagnostics it must give.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { compileNode } from '../../src/compile/compile-node.ts';
import type { NodeIdentity, PoolClaim, Snapshot } from '../../src/compile/model.ts';
import type { PoolView } from '../../src/bng/pool.ts';
import { mismatch } from '../support/match.ts';

const dir = fileURLToPath(new URL('./fixtures/', import.meta.url));

interface Fixture {
  description: string;
  include?: string;
  node: NodeIdentity;
  secrets?: Record<string, Record<string, string>>;
  resources?: { kind: string; metadata: { name: string } }[];
  /** The pool source's view and the nodes' aggregate claims. */
  pools?: PoolView;
  poolClaims?: PoolClaim[];
  expect: Record<string, unknown>;
}

function load(file: string): Fixture {
  return parse(readFileSync(`${dir}${file}`, 'utf8')) as Fixture;
}

function snapshotOf(f: Fixture): Snapshot {
  const resources = [...(f.include ? (load(f.include).resources ?? []) : []), ...(f.resources ?? [])];
  const ofKind = <T>(kind: string): T[] => resources.filter((r) => r.kind === kind) as T[];
  return {
    node: f.node,
    configurations: ofKind('BGPConfiguration'),
    endpoints: ofKind('BGPEndpoint'),
    sessions: ofKind('BGPSession'),
    advertisements: ofKind('BGPAdvertisement'),
    routePolicies: ofKind('BGPRoutePolicy'),
    secrets: new Map(Object.entries(f.secrets ?? {})),
    ...(f.pools ? { pools: f.pools } : {}),
    ...(f.poolClaims ? { poolClaims: f.poolClaims } : {}),
  };
}

for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.yaml') && !f.startsWith('_'))
  .sort()) {
  const fixture = load(file);
  test(`${file}: ${fixture.description}`, () => {
    const result = compileNode(snapshotOf(fixture));
    const { diagnostics = [], pools = [], ...desired } = fixture.expect;
    const outcomes = result.pools.map(({ pool, ...o }) => ({ id: pool.id, ...o }));
    const problem =
      mismatch(result.desired, desired, 'desired') ??
      mismatch(result.diagnostics, diagnostics, 'diagnostics') ??
      mismatch(outcomes, pools, 'pools');
    assert.equal(problem, undefined, `${problem}\n\ngot: ${JSON.stringify(result, null, 1)}`);
  });
}

test('compileNode is deterministic: shuffled input gives the same output', () => {
  const fixture = load('policies.yaml');
  const snapshot = snapshotOf(fixture);
  const shuffled = {
    ...snapshot,
    endpoints: [...snapshot.endpoints].reverse(),
    sessions: [...snapshot.sessions].reverse(),
  };
  assert.deepEqual(compileNode(shuffled), compileNode(snapshot));
});
