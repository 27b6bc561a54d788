import type { QueryClient } from '@tanstack/react-query';
import { inputFromBlob } from '../core/bundle/blob-inputs';
import { probeKey } from '../core/bundle/fingerprint';
import type { ScenarioOptions } from '../core/scenarios';
import { IngestController, realign, type IngestOutcome, type IngestProgress } from '../store/ingest-controller';
import { db } from '../store/db';
import { progressProxy, WorkerPool } from '../worker/pool';
import type { JobInput } from '../worker/protocol';
import type { PickedFile } from './drop';
import { trackBusy } from './busy';
import { fitWarning, requestPersistence } from './storage';
import { clearBlockCache } from '../store/block-cache';

/** The page's one ingest at a time: its progress is observable, and it can be cancelled. */
export interface IngestState {
  progress: IngestProgress | null;
  lastOutcome: IngestOutcome | null;
  running: boolean;
}

const pool = new WorkerPool();
let state: IngestState = { progress: null, lastOutcome: null, running: false };
let controller: IngestController | null = null;
const listeners = new Set<() => void>();

let lastProgressRender = 0;

function set(patch: Partial<IngestState>): void {
  state = { ...state, ...patch };
  // Progress alone re-renders at most ~10 times a second, whatever the tick rate.
  if (Object.keys(patch).length === 1 && patch.progress && patch.progress.phase === 'ingesting') {
    const now = performance.now();
    if (now - lastProgressRender < 100) return;
    lastProgressRender = now;
  }
  for (const l of listeners) l();
}

export const ingestStore = {
  subscribe(l: () => void) {
    listeners.add(l);
    return () => listeners.delete(l);
  },
  get: () => state,
};

export const SAMPLE_SCENARIO: ScenarioOptions = { scenario: 'io-storm-umount-bbolt', seed: 20230602, targetBytes: 8 << 20, zoneOffsetMin: 480 };

/** Test hook: ?quota=N makes storage "fill" after N raw bytes, to exercise the full-disk path for real. */
function quotaFromUrl(): number | undefined {
  const q = new URLSearchParams(location.search).get('quota');
  return q ? Number(q) : undefined;
}

async function run(name: string, inputs: JobInput[], key: string | Promise<string>, qc: QueryClient, resumeBundleId?: string): Promise<IngestOutcome | null> {
  if (state.running) return null;
  controller = new IngestController(pool, (progress) => set({ progress }));
  set({ running: true, lastOutcome: null });
  void requestPersistence();
  try {
    const outcome = await controller.run({ name, inputs, probeKey: key, resumeBundleId, quotaBytes: quotaFromUrl() });
    set({ lastOutcome: outcome });
    return outcome;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const outcome: IngestOutcome = { bundleId: state.progress?.bundleId ?? '', status: 'incomplete', problems: [`ingest failed: ${message}`] };
    set({ lastOutcome: outcome });
    return outcome;
  } finally {
    controller = null;
    set({ running: false });
    // Workers wrote blocks: what the page had decoded may be stale.
    clearBlockCache();
    await qc.invalidateQueries();
  }
}

export function ingestFiles(files: PickedFile[], qc: QueryClient, resumeBundleId?: string): Promise<IngestOutcome | null> {
  return trackBusy(async () => {
    const inputs: JobInput[] = files.map((f) => ({ kind: 'file', path: f.path, file: f.file }));
    // Not awaited here: the controller needs it only if a bundle of the same size is stored.
    const key = probeKey(files.map((f) => inputFromBlob(f.file, f.path)));
    key.catch(() => undefined);
    // Compressed archives expand: count them at a typical ratio for text logs.
    const expected = files.reduce((n, f) => n + f.file.size * (/\.(t?gz|tgz|zip)$/i.test(f.path) ? 8 : 1), 0);
    const warning = await fitWarning(expected);
    if (warning && !confirm(warning)) return null;
    return run(bundleName(files), inputs, key, qc, resumeBundleId);
  });
}

/** A generated bundle (the sample button, training exercises), named `name` or "Sample incident: …". */
export function ingestSample(qc: QueryClient, opts: ScenarioOptions = SAMPLE_SCENARIO, name?: string): Promise<IngestOutcome | null> {
  return trackBusy(async () => {
    const described = await pool.first().describeScenario(opts);
    const inputs: JobInput[] = described.files.map((f, index) => ({ kind: 'scenario', path: f.path, scenario: opts, index, approxBytes: f.approxBytes }));
    return run(name ?? `Sample incident: ${described.name}`, inputs, `scenario:${JSON.stringify(opts)}`, qc);
  });
}

let warmUpEnded: () => void = () => undefined;
/** Resolves once the workers' warm-up has ended: done, cut short by a job, or skipped for one. */
export const warmUpDone = new Promise<void>((resolve) => {
  warmUpEnded = resolve;
});

/** Starts the workers once the page is idle, and has them compile their parsers before the first drop. */
export function warmUpWorkers(): void {
  const start = () => {
    // Dropped before the page was idle: the workers have real work already.
    if (state.running) return warmUpEnded();
    void Promise.all(pool.apis().map((a) => a.warmUp())).then(warmUpEnded, warmUpEnded);
  };
  if (typeof requestIdleCallback === 'function') requestIdleCallback(start, { timeout: 500 });
  else setTimeout(start, 100);
}

export function cancelIngest(): void {
  controller?.cancel();
}

/** Re-parses one stored file with the format the user picked (its raw bytes are read back, not re-dropped). */
export function reparseFile(bundleId: string, fileId: string, formatId: string, qc: QueryClient): Promise<void> {
  return trackBusy(async () => {
    const entry = await db().entries.get(fileId);
    if (!entry) return;
    const r = await pool.first().run({
      bundleId, year: new Date().getUTCFullYear(), walk: { maxDepth: 0 },
      inputs: [{ kind: 'stored', path: entry.result.path, fileId, rawKey: entry.rawKey, rawOffset: entry.rawOffset, rawBytes: entry.result.bytes, formatId }],
    }, progressProxy(() => undefined));
    // The worker rewrote this file's blocks: what the page had decoded is stale.
    clearBlockCache();
    const fresh = r.entries[0];
    if (!fresh) {
      set({ lastOutcome: { bundleId, status: 'ready', problems: [`re-parse of ${entry.result.path} failed: ${r.problems.map((p) => p.message).join('; ') || 'no data read'}`] } });
      return;
    }
    await db().entries.put({ ...entry, ...fresh, result: { ...fresh.result, path: entry.result.path }, formatChosenByUser: true });
    await realign(bundleId);
    await qc.invalidateQueries();
  });
}

function bundleName(files: PickedFile[]): string {
  if (files.length === 1) return files[0]!.path;
  const tops = new Set(files.map((f) => f.path.split('/')[0]));
  if (tops.size === 1) return `${[...tops][0]} (${files.length} files)`;
  return `${files.length} files`;
}
