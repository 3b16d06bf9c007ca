// Kubernetes label-selector semantics, for matching nodes, endpoints, sessions and pools.
import type { BGPPeeringPolicySpec } from '../api/types.ts';

export type LabelSelector = BGPPeeringPolicySpec['selector'];

/** An absent or empty selector matches everything, as in Kubernetes. */
export function matches(selector: LabelSelector | undefined, labels: Record<string, string> = {}): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}))
    if (labels[key] !== value) return false;
  for (const req of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, req.key);
    const value = labels[req.key];
    const inValues = value !== undefined && (req.values ?? []).includes(value);
    const ok =
      req.operator === 'In'
        ? inValues
        : req.operator === 'NotIn'
          ? !inValues
          : req.operator === 'Exists'
            ? has
            : !has;
    if (!ok) return false;
  }
  return true;
}
