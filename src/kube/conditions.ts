// Kubernetes conditions: a condition's lastTransitionTime changes only when its status does, so a
// status computed again from the same facts is byte-for-byte the same and is never rewritten.
import type { Condition } from '../api/types.ts';

export type DesiredCondition = Omit<Condition, 'lastTransitionTime'>;

export function withTransitions(
  desired: DesiredCondition[],
  current: Condition[] = [],
  now = new Date(),
): Condition[] {
  return desired.map((d) => {
    const previous = current.find((c) => c.type === d.type);
    const lastTransitionTime =
      previous && previous.status === d.status
        ? previous.lastTransitionTime
        : now.toISOString().replace(/\.\d+Z$/, 'Z');
    return { ...d, lastTransitionTime };
  });
}
