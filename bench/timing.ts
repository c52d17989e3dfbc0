/** Latency figures of a benchmark, in milliseconds. */
export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** Nearest-rank percentiles of the samples. */
export function percentiles(samples: readonly number[]): Percentiles {
  if (samples.length === 0) return { p50: 0, p95: 0, p99: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
  return { p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)) };
}

/** Ratio of two figures, rounded for reading; Infinity-safe when the baseline is 0. */
export const ratio = (value: number, baseline: number) => (baseline > 0 ? Math.round((value / baseline) * 100) / 100 : 0);

/** Runs `lookup` once per key, timing each call; returns the samples and how many found something. */
export async function timeLookups<K>(keys: readonly K[], lookup: (key: K) => boolean | Promise<boolean>): Promise<{ samples: number[]; hits: number }> {
  const samples: number[] = [];
  let hits = 0;
  for (const key of keys) {
    const started = performance.now();
    const found = await lookup(key);
    samples.push(performance.now() - started);
    if (found) hits++;
  }
  return { samples, hits };
}

/** Progress on stderr; stdout carries only the benchmark's JSON object. */
export const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);
