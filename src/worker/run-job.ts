import type { ParsedEntry } from '../core/assemble';
import type { InputFile, WalkProblem } from '../core/bundle/types';
import { walkInputs } from '../core/bundle/walk';
import type { ParserExtras } from '../core/formats/types';
import { ingestEntry, type IngestSink } from '../core/ingest';
import { db, type StoredBlock } from '../store/db';
import { openRawWriter, type RawWriter } from '../store/raw-store';
import { toInputFile } from './inputs';
import type { IngestJob, JobInput, JobResult, ProgressTick } from './protocol';

const TICK_BYTES = 2 << 20;
const BLOCKS_PER_WRITE = 8;

export interface JobState {
  cancelled: boolean;
}

/** Runs one batch of inputs in a worker: expand, parse, write raw bytes to a pack file and the index to IndexedDB. */
export async function runJob(job: IngestJob, onProgress: (t: ProgressTick) => void, state: JobState): Promise<JobResult> {
  const result: JobResult = { entries: [], problems: [], cancelled: false, storageFull: false };
  const needsPack = job.inputs.some((i) => i.kind !== 'stored');
  const rawKey = `pack-${crypto.randomUUID()}`;
  const pack: RawWriter | null = needsPack ? await openRawWriter(job.bundleId, rawKey) : null;
  let packPos = 0;
  let tickBytes = 0;
  const tick = (bytes: number, inputs: number, current?: string) => {
    tickBytes += bytes;
    if (tickBytes >= TICK_BYTES || inputs > 0) {
      onProgress({ bytes: tickBytes, inputs, current });
      tickBytes = 0;
    }
  };
  const blocks: StoredBlock[] = [];
  const flushBlocks = async () => {
    if (blocks.length) await db().blocks.bulkPut(blocks.splice(0));
  };

  try {
    for (const input of job.inputs) {
      if (state.cancelled || result.storageFull) break;
      const stored = input.kind === 'stored' ? input : null;
      if (stored) await deleteBlocksOfFile(stored.fileId);
      const inputFile = counted(await toInputFile(input, job.bundleId), (n) => tick(n, 0, input.path));
      const onProblem = (p: WalkProblem) => result.problems.push(p);
      for await (const entry of walkInputs([inputFile], { ...job.walk }, onProblem)) {
        const fileId = stored?.fileId ?? crypto.randomUUID();
        const rawOffset = stored ? stored.rawOffset : packPos;
        const sink: IngestSink = {
          raw: (chunk) => {
            if (stored || !pack) return;
            if (job.quotaBytes !== undefined && packPos + chunk.length > job.quotaBytes) storageFull();
            try {
              pack.write(chunk);
            } catch (err) {
              if (err instanceof DOMException && err.name === 'QuotaExceededError') storageFull();
              throw err;
            }
            packPos += chunk.length;
          },
          extras: (sourceId, x) => storeExtras(job.bundleId, fileId, sourceId, x),
          block: (b) => {
            blocks.push({ ...b, bundleId: job.bundleId });
            if (blocks.length >= BLOCKS_PER_WRITE) return flushBlocks();
            return undefined;
          },
        };
        const year = entry.lastModified ? new Date(entry.lastModified).getUTCFullYear() : job.year;
        const r = await ingestEntry(entry, {
          fileId, sink, year,
          formatId: stored?.formatId,
          isCancelled: () => state.cancelled,
        });
        if (r.errors.some((e) => e.includes('storage full'))) result.storageFull = true;
        if (r.status === 'cancelled') result.cancelled = true;
        result.entries.push(entryOf(r, fileId, stored ? stored.rawKey : rawKey, rawOffset, entry, input, !!stored, year === job.year));
        await flushBlocks();
        if (state.cancelled || result.storageFull) break;
      }
      tick(0, 1);
    }
  } finally {
    await flushBlocks().catch(() => undefined);
    pack?.close();
  }
  result.cancelled ||= state.cancelled;
  return result;
}

function storageFull(): never {
  throw new Error('storage full (quota exceeded): free space or delete a bundle, then resume');
}

function entryOf(r: ParsedEntry['result'], fileId: string, rawKey: string, rawOffset: number,
  entry: { size: number | null; archive?: string; lastModified?: number }, input: JobInput, userFormat: boolean, assumedYear: boolean): ParsedEntry {
  return {
    fileId, result: r, rawKey, rawOffset, size: entry.size ?? r.bytes, archive: entry.archive,
    lastModified: entry.lastModified, formatChosenByUser: userFormat && input.kind === 'stored',
    yearSource: assumedYear ? 'assumed-current' : 'file-date',
  };
}

/** Re-parsing a file replaces everything it produced. */
async function deleteBlocksOfFile(fileId: string): Promise<void> {
  const sources = await db().sources.where('fileId').equals(fileId).primaryKeys();
  if (sources.length) {
    await db().blocks.where('sourceId').anyOf(sources).delete();
    await db().metrics.where('sourceId').anyOf(sources).delete();
  }
  await db().dumps.where('fileId').equals(fileId).delete();
  await db().events.where('fileId').equals(fileId).delete();
}

async function storeExtras(bundleId: string, fileId: string, sourceId: string, x: ParserExtras): Promise<void> {
  const d = db();
  const metrics = (x.metrics ?? []).filter((m) => m.ts.length > 0).map((m) => ({
    bundleId, sourceId, series: m.series, unit: m.unit, basis: m.basis, ts: Float64Array.from(m.ts), value: Float64Array.from(m.value),
  }));
  if (metrics.length) await d.metrics.bulkPut(metrics);
  const dumps = (x.dumps ?? []).map((dump, i) => ({ ...dump, id: `${fileId}:d${i}`, bundleId, fileId, sourceId }));
  if (dumps.length) await d.dumps.bulkPut(dumps);
  const events = (x.events ?? []).map((e, i) => ({ ...e, id: `${fileId}:e${i}`, bundleId, fileId, sourceId }));
  if (events.length) await d.events.bulkPut(events);
}

/** Wraps an input so every byte read from it (compressed or not) advances the progress bar. */
function counted(input: InputFile, onBytes: (n: number) => void): InputFile {
  return {
    ...input,
    stream: () => input.stream().pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, c) {
        onBytes(chunk.length);
        c.enqueue(chunk);
      },
    })),
  };
}
