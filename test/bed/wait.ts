// Polling for conditions: tests wait for an observable state with a generous deadline instead of
// sleeping for a fixed time, and a timeout says what was awaited and what was last seen.
import { setTimeout as sleep } from 'node:timers/promises';

/** Thrown by a probe to stop waiting at once: the awaited state can no longer come (a daemon died). */
export class GiveUp extends Error {}

export interface WaitOptions {
  /** Give up after this many milliseconds (default 60 s). */
  timeoutMs?: number;
  /** Pause between attempts (default 250 ms). */
  intervalMs?: number;
}

/**
 * Calls `probe` until it returns a value other than undefined, and returns that value.
 * A probe that throws counts as "not yet" (the last error is reported on timeout), except GiveUp.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 60_000, intervalMs = 250 }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      last = 'condition not met';
    } catch (err) {
      if (err instanceof GiveUp) throw err;
      last = err;
    }
    if (Date.now() >= deadline) {
      const detail = last instanceof Error ? last.message : String(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${detail})`);
    }
    await sleep(intervalMs);
  }
}
