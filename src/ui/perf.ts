// A tiny registry of UI timings (first paint, redraws): the benchmark and e2e tests read it
// through window.causeway, so the figures come from the real page, not from a stopwatch outside.

interface PerfStat {
  count: number;
  last: number;
  max: number;
  /** Recent samples (most recent last), for a median. */
  recent: number[];
}

const RECENT = 50;
const stats = new Map<string, PerfStat>();

const listeners = new Set<() => void>();

/** Called after every recorded timing (for useSyncExternalStore over perfCount). */
export function subscribePerf(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function perfCount(name: string): number {
  return stats.get(name)?.count ?? 0;
}

export function recordPerf(name: string, ms: number): void {
  let s = stats.get(name);
  if (!s) {
    s = { count: 0, last: 0, max: 0, recent: [] };
    stats.set(name, s);
  }
  s.count++;
  s.last = ms;
  s.max = Math.max(s.max, ms);
  s.recent.push(ms);
  if (s.recent.length > RECENT) s.recent.shift();
  for (const l of listeners) l();
}

export interface PerfFigure {
  count: number;
  last: number;
  max: number;
  median: number;
}

export function perfSnapshot(): Record<string, PerfFigure> {
  const out: Record<string, PerfFigure> = {};
  for (const [name, s] of stats) {
    const sorted = [...s.recent].sort((a, b) => a - b);
    out[name] = { count: s.count, last: s.last, max: s.max, median: sorted[Math.floor(sorted.length / 2)] ?? 0 };
  }
  return out;
}
