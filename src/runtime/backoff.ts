// Exponential backoff, the one policy every retry loop uses: the first retry waits `baseMs`, each
// further one twice as long, never more than `maxMs`.

/** Delay before retry number `attempt` (1 = the first retry). */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempt, 1) - 1, 30));
}
