import type { QueryClient } from '@tanstack/react-query';
import { CONTINUATION } from '../core/line-index';
import { lineAt } from '../core/line-merge';
import { buildSummary, type Summary } from '../core/summary';
import { db } from '../store/db';
import { bundleDetail, queryWindow } from '../store/queries';
import { busyCount } from './busy';
import { bundleDetailQuery } from './hooks/use-bundles';
import { warmUpDone } from './ingest-service';
import { perfSnapshot } from './perf';
import type { trainingTestHook } from './training/test-hook';
import type { TimelineTestApi } from './workspace/timeline/test-hook';

/**
 * window.causeway: end-to-end tests and the benchmark wait on facts (whenIdle) instead of sleeps,
 * and read the same summary JSON the CLI prints.
 */
let queryClient: QueryClient | null = null;
let currentBundle: () => string | null = () => null;

const tick = () => new Promise((r) => setTimeout(r, 25));

/** Resolves once no ingest or store query is running and the page had a frame to show the result. */
export async function whenIdle(): Promise<void> {
  for (let quiet = 0; quiet < 2; ) {
    await tick();
    const active = busyCount() + (queryClient?.isFetching() ?? 0) + (queryClient?.isMutating() ?? 0);
    quiet = active === 0 ? quiet + 1 : 0;
  }
}

/** Summed per-file timings of the open bundle's ingest (ms, worker time): the benchmark's breakdown. */
export async function ingestTimings(): Promise<{ readMs: number; storeMs: number; parseMs: number }> {
  const id = currentBundle();
  const sum = { readMs: 0, storeMs: 0, parseMs: 0 };
  if (!id) return sum;
  for (const e of await db().entries.where('bundleId').equals(id).toArray()) {
    sum.readMs += e.result.timings.readMs;
    sum.storeMs += e.result.timings.storeMs;
    sum.parseMs += e.result.timings.parseMs;
  }
  return sum;
}

export async function summary(): Promise<Summary | null> {
  const id = currentBundle();
  if (!id) return null;
  const d = await bundleDetail(id);
  if (!d) return null;
  // The analysis code loads with the workspace, not with the entry chunk.
  const [{ loadAnalysisInput }, { analyzeBundleData }] = await Promise.all([import('../store/analysis-queries'), import('../core/analysis/run')]);
  const input = await loadAnalysisInput(id);
  return buildSummary(d.files, d.sources, { input, result: analyzeBundleData(input) });
}

/** The benchmark's window-query figure: the index of up to `limit` lines of [from, to] across sources. */
export async function timedWindowQuery(from: number, to: number, limit: number): Promise<{ ms: number; lines: number; sample: { sourceId: string; offset: number; ts: number } | null }> {
  const id = currentBundle();
  if (!id) return { ms: 0, lines: 0, sample: null };
  const t0 = performance.now();
  // As the page asks: with the bundle's sources from the query cache.
  const detail = await queryClient?.fetchQuery(bundleDetailQuery(id));
  const lines = await queryWindow(id, { from, to, limit }, detail?.sources);
  const ms = performance.now() - t0;
  let last = lines.count - 1;
  while (last >= 0 && lines.level[last]! & CONTINUATION) last--;
  const pick = last >= 0 ? lineAt(lines, last) : null;
  return { ms, lines: lines.count, sample: pick ? { sourceId: pick.sourceId, offset: pick.offset, ts: pick.ts } : null };
}

/** The training pages register their test hook when they load (they are not in the entry chunk). */
let trainingHook: typeof trainingTestHook | null = null;
export function provideTrainingHook(h: typeof trainingTestHook): void {
  trainingHook = h;
}
const training = {
  answerKey: () => trainingHook?.answerKey() ?? null,
  exercise: () => trainingHook?.exercise() ?? null,
};

declare global {
  interface Window {
    causeway?: {
      whenIdle(): Promise<void>;
      /** Resolves once the ingest workers have compiled their parsers on the idle home screen (see warmUpWorkers). */
      whenWarm(): Promise<void>;
      summary(): Promise<Summary | null>;
      bundleId(): string | null;
      ingestTimings(): Promise<{ readMs: number; storeMs: number; parseMs: number }>;
      training: typeof training;
      /** UI timings recorded by the page (timeline paint/redraw, log view open): the benchmark reads them. */
      perf: typeof perfSnapshot;
      timedWindowQuery: typeof timedWindowQuery;
      /** Set while the timeline is shown (see workspace/timeline/test-hook.ts). */
      timeline?: TimelineTestApi;
    };
  }
}

export function installTestingHook(qc: QueryClient, getBundle: () => string | null): void {
  queryClient = qc;
  currentBundle = getBundle;
  window.causeway = { whenIdle, whenWarm: () => warmUpDone, summary, bundleId: () => currentBundle(), ingestTimings, training, perf: perfSnapshot, timedWindowQuery };
}
