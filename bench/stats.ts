// Summaries of timing samples. Percentiles by nearest rank: with 100 trials p99 is the second worst
// sample, with 10 it is the worst: no interpolation invents a value that was never measured.

export interface Summary {
  n: number;
  min: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    min: sorted[0] ?? NaN,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
  };
}

/** "812 ms" below 10 s, "12.3 s" above: the unit a reader compares at a glance. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value < 10_000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(1)} s`;
}

/** One line for the progress log: "p50 812 ms, p99 1.2 s, max 1.3 s (n=100)". */
export function line(s: Summary): string {
  return `p50 ${ms(s.p50)}, p99 ${ms(s.p99)}, max ${ms(s.max)} (n=${s.n})`;
}
