// Kubernetes conditions: a condition's lastTransitionTime changes only when its status does, so a
// status computed again from the same facts is byte-for-byte the same and is never rewritten.
import type { Condition } from '../api/types.ts';

export type DesiredCondition = Omit<Condition, 'lastTransitionTime'>;

/** RFC 3339 in seconds, as Kubernetes writes times: 2026-11-22T01:02:03Z. */
export const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d+Z$/, 'Z');

export function withTransitions(
  desired: DesiredCondition[],
  current: Condition[] = [],
  now = new Date(),
): Condition[] {
  return desired.map((d) => {
    const previous = current.find((c) => c.type === d.type);
    const lastTransitionTime =
      previous && previous.status === d.status ? previous.lastTransitionTime : rfc3339(now);
    return { ...d, lastTransitionTime };
  });
}
