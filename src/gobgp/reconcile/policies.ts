// Defined sets, policies and the global assignments. Sets and policies are content-addressed
// (a change is a new name), so the diff is by name and never edits in place. Order makes every
// change safe: add new sets, add new policies, swap each assignment in one SetPolicyAssignment,
// soft-reset that direction (GoBGP does not re-evaluate routes it already holds), then delete what
// no assignment uses any more.
import type { GobgpClient } from '../client.ts';
import { definedTypeOf, toApiDefinedSet, toApiPolicy } from '../convert.ts';
import type { DefinedSetType, DesiredState } from '../../compile/model.ts';

const OURS = /^bngbgp-/;
const SET_TYPES: DefinedSetType[] = ['prefix', 'neighbor', 'community', 'large-community', 'as-path'];

export async function reconcilePolicies(client: GobgpClient, desired: DesiredState): Promise<void> {
  const runningSets = new Map<string, DefinedSetType>();
  for (const type of SET_TYPES) {
    for (const s of await client.listDefinedSets(definedTypeOf(type)))
      if (OURS.test(s.name)) runningSets.set(s.name, type);
  }
  for (const set of desired.definedSets)
    if (!runningSets.has(set.name)) await client.addDefinedSet(toApiDefinedSet(set));

  const runningPolicies = new Set(
    (await client.listPolicies()).map((p) => p.name).filter((n) => OURS.test(n)),
  );
  for (const policy of desired.policies)
    if (!runningPolicies.has(policy.name)) await client.addPolicy(toApiPolicy(policy));

  const assignments = await client.listPolicyAssignments();
  for (const [direction, names] of [
    ['POLICY_DIRECTION_IMPORT', desired.importPolicies],
    ['POLICY_DIRECTION_EXPORT', desired.exportPolicies],
  ] as const) {
    const current = assignments.find((a) => a.direction === direction);
    const currentNames = (current?.policies ?? []).map((p) => p.name);
    const sameDefault = (current?.defaultAction ?? 'ROUTE_ACTION_ACCEPT') === 'ROUTE_ACTION_ACCEPT';
    if (sameDefault && currentNames.join() === names.join()) continue;
    await client.setPolicyAssignment({
      name: 'global',
      direction,
      policies: names.map((name) => ({ name })),
      defaultAction: 'ROUTE_ACTION_ACCEPT',
    });
    await client.softResetAll(direction === 'POLICY_DIRECTION_IMPORT' ? 'DIRECTION_IN' : 'DIRECTION_OUT');
  }

  const wanted = new Set(desired.policies.map((p) => p.name));
  for (const name of runningPolicies) if (!wanted.has(name)) await client.deletePolicy(name);
  const wantedSets = new Set(desired.definedSets.map((s) => s.name));
  for (const [name, type] of runningSets) {
    if (!wantedSets.has(name)) await client.deleteDefinedSet({ definedType: definedTypeOf(type), name });
  }
}
