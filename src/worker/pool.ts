import * as Comlink from 'comlink';
import type { IngestWorkerApi, JobInput, ProgressTick } from './protocol';

/** One worker per core (at least one, at most four): files are parsed in parallel. */
export class WorkerPool {
  private workers: { worker: Worker; api: Comlink.Remote<IngestWorkerApi> }[] = [];

  constructor(readonly size = Math.max(1, Math.min(4, globalThis.navigator?.hardwareConcurrency ?? 2))) {}

  private ensure(): void {
    while (this.workers.length < this.size) {
      const worker = new Worker(new URL('./ingest.worker.ts', import.meta.url), { type: 'module', name: `ingest-${this.workers.length}` });
      this.workers.push({ worker, api: Comlink.wrap<IngestWorkerApi>(worker) });
    }
  }

  apis(): Comlink.Remote<IngestWorkerApi>[] {
    this.ensure();
    return this.workers.map((w) => w.api);
  }

  first(): Comlink.Remote<IngestWorkerApi> {
    return this.apis()[0]!;
  }

  cancelAll(): void {
    for (const w of this.workers) void w.api.cancel();
  }
}

export const progressProxy = (fn: (t: ProgressTick) => void) => Comlink.proxy(fn);

const BATCH_BYTES = 16 << 20;
const MIN_BATCH_BYTES = 1 << 20;
const BATCH_FILES = 500;

/**
 * Groups inputs so big files run alone and thousands of tiny files share a job (one pack file, few
 * writes). A job holds at most a share of the bundle that keeps every worker busy: a 10 MB bundle
 * as one 16 MB job would leave the other worker idle.
 */
export function batchInputs(inputs: JobInput[], workers = 1): JobInput[][] {
  const sized = inputs.map((i) => ({ i, size: sizeOf(i) })).sort((a, b) => b.size - a.size);
  const total = sized.reduce((n, s) => n + s.size, 0);
  const batchBytes = Math.max(MIN_BATCH_BYTES, Math.min(BATCH_BYTES, Math.ceil(total / (2 * workers))));
  const batches = sized.filter((s) => s.size >= batchBytes).map((s) => [s.i]);
  const small = sized.filter((s) => s.size < batchBytes);
  if (!small.length) return batches;
  // The small files run last, dealt over one job per worker at least (each to the lightest job):
  // metric tables and dumps cost several times more per byte than logs, so one job of them all
  // kept one worker busy for ~0.8 s after the other had finished (100 MB bundle).
  const smallTotal = small.reduce((n, s) => n + s.size, 0);
  const smallBatch = Math.max(MIN_BATCH_BYTES, Math.min(batchBytes, Math.ceil(smallTotal / workers)));
  const jobs = Array.from({ length: Math.max(Math.ceil(smallTotal / smallBatch), Math.ceil(small.length / BATCH_FILES)) }, () => ({ inputs: [] as JobInput[], bytes: 0 }));
  for (const { i, size } of small) {
    let lightest = jobs[0]!;
    for (const j of jobs) if (j.inputs.length < BATCH_FILES && (lightest.inputs.length >= BATCH_FILES || j.bytes < lightest.bytes)) lightest = j;
    lightest.inputs.push(i);
    lightest.bytes += size;
  }
  return batches.concat(jobs.filter((j) => j.inputs.length > 0).map((j) => j.inputs));
}

export function sizeOf(i: JobInput): number {
  return i.kind === 'file' ? i.file.size : i.kind === 'scenario' ? i.approxBytes : i.rawBytes;
}
