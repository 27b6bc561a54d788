import type { ParsedEntry } from '../core/assemble';
import type { BundleEntry, InputFile, WalkProblem } from '../core/bundle/types';
import { walkInputs } from '../core/bundle/walk';
import type { ParserExtras } from '../core/formats/types';
import { ingestEntry, type EntryResult, type IngestSink } from '../core/ingest';
import { BLOCK_LINES } from '../core/model';
import { OutlineBuilder } from '../core/outline';
import { db, type StoredBlock } from '../store/db';
import { deleteDumps, dumpHead, dumpRow } from '../store/stored-dumps';
import { newBlobKey, openRawWriter, RAW_BLOB_MIN_BYTES, storeRawBlob, type RawWriter } from '../store/raw-store';
import { toInputFile } from './inputs';
import type { IngestJob, JobInput, JobResult, ProgressTick } from './protocol';
import { RELAY_MIN_BYTES, RelaySender, relayedEntry, relayedMembers, type RelayedMember } from './relay';

const TICK_BYTES = 2 << 20;
const PREFETCH_MAX = 256 << 10;
/** One IndexedDB write per ~4 full blocks of index, or per few thousand tiny files' blocks. */
const LINES_PER_WRITE = 4 * 65536;
const BLOCKS_PER_WRITE = 4000;

export interface JobState {
  cancelled: boolean;
}

/** Runs one batch of inputs in a worker: expand, parse, write raw bytes to a pack file and the index to IndexedDB. */
export async function runJob(job: IngestJob, onProgress: (t: ProgressTick) => void, state: JobState): Promise<JobResult> {
  const result: JobResult = { entries: [], problems: [], cancelled: false, storageFull: false };
  const packKey = `pack-${crypto.randomUUID()}`;
  // The pack opens at the job's first raw write, not ahead: a job that stores nothing in it (big
  // files kept as blobs, a binary archive member) makes no empty pack. An open started ahead while
  // the worker expanded a decompression bomb sometimes never settled: the bomb e2e hung 2 runs in 12
  // with it, none in 30 without.
  let packOpening: Promise<RawWriter> | null = null;
  let pack: RawWriter | null = null;
  let packPos = 0;
  // Bytes of this job's files stored whole as blobs; with the pack's, what the quota hook counts.
  let blobBytes = 0;
  const overQuota = (more: number) => job.quotaBytes !== undefined && blobBytes + packPos + more > job.quotaBytes;
  const writeRaw = (chunk: Uint8Array) => {
    if (overQuota(chunk.length)) storageFull();
    try {
      pack!.write(chunk);
    } catch (err) {
      if (err instanceof DOMException && err.name === 'QuotaExceededError') storageFull();
      throw err;
    }
    packPos += chunk.length;
  };
  let tickBytes = 0;
  let tickInputs = 0;
  let lastTick = performance.now();
  const tick = (bytes: number, inputs: number, current?: string, force = false) => {
    tickBytes += bytes;
    tickInputs += inputs;
    const now = performance.now();
    // Bounded message rate whatever the input: 2 MB, or 100 ms, or the end of the job.
    if (force || tickBytes >= TICK_BYTES || (tickInputs > 0 && now - lastTick > 100)) {
      onProgress({ bytes: tickBytes, inputs: tickInputs, current });
      tickBytes = 0;
      tickInputs = 0;
      lastTick = now;
    }
  };
  const blocks: StoredBlock[] = [];
  let pendingLines = 0;
  const flushBlocks = async () => {
    pendingLines = 0;
    if (blocks.length) await db().blocks.bulkPut(blocks.splice(0));
  };
  // Writes that run while the next file parses: a file's blob (the browser copies it) and its metric
  // series, dumps and events (awaiting each transaction cost a bundle's many small metric files
  // 10-20 ms apiece). They all land before the job returns; a failed one fails its file's entry.
  const lateWrites: { at: number; path: string; write: Promise<void> }[] = [];
  const late = (path: string, write: Promise<void>) => {
    // Handled when settled, so a failure waiting its turn is not reported as unhandled.
    write.catch(() => undefined);
    lateWrites.push({ at: result.entries.length, path, write });
  };
  const settleWrites = async () => {
    for (const { at, path, write } of lateWrites.splice(0)) {
      const err = await write.then(() => null, (e: unknown) => e ?? new Error('write failed'));
      if (err === null) continue;
      const quota = err instanceof DOMException && err.name === 'QuotaExceededError';
      const failed = failedEntry(path, quota ? storageFullError() : err);
      if (failed.errors.some((e) => e.includes('storage full'))) result.storageFull = true;
      result.entries[at] = { ...result.entries[at]!, result: failed };
    }
  };

  // Small files are read all at once and ahead: a blob read costs a round trip to the browser
  // process, so thousands of tiny files would otherwise wait on latency, not bytes.
  const prefetched = new Map<JobInput, Promise<Uint8Array>>();
  for (const input of job.inputs) {
    if (input.kind === 'file' && input.file.size <= PREFETCH_MAX) prefetched.set(input, input.file.arrayBuffer().then((b) => new Uint8Array(b)));
  }
  try {
    /**
     * Parses one entry into the index. Its raw bytes go where `stored` says (a re-parse's or a
     * relayed member's are stored already), else into a blob (a big dropped file) or the pack.
     */
    const parseEntry = async (entry: BundleEntry, input: JobInput, stored: { fileId?: string; rawKey: string; rawOffset: number; formatId?: string } | null) => {
      const fileId = stored?.fileId ?? crypto.randomUUID();
      // A big dropped file is stored as it is (the entry is the file's own bytes, not a member).
      const whole = !stored && input.kind === 'file' && entry.archive === undefined && entry.path === input.path
        && entry.size === input.file.size && input.file.size >= RAW_BLOB_MIN_BYTES ? input.file : null;
      const rawKey = stored ? stored.rawKey : whole ? newBlobKey() : packKey;
      const rawOffset = stored ? stored.rawOffset : whole ? 0 : packPos;
      let blobStored = false;
      // Outlines of the sources with a full block or more (a small source's blocks are cheap to read).
      const outlines = new Map<string, OutlineBuilder>();
      const sink: IngestSink = {
        raw: (chunk) => {
          if (stored) return undefined;
          if (whole) {
            // Stored at the first bytes the parse keeps: a binary or empty file is not stored at all.
            if (!blobStored) {
              if (overQuota(whole.size)) storageFull();
              blobStored = true;
              blobBytes += whole.size;
              late(entry.path, storeRawBlob(job.bundleId, rawKey, whole));
            }
            return undefined;
          }
          packOpening ??= openRawWriter(job.bundleId, packKey);
          if (pack) return writeRaw(chunk);
          return packOpening.then((p) => {
            pack = p;
            writeRaw(chunk);
          });
        },
        extras: (sourceId, x) => late(entry.path, storeExtras(job.bundleId, fileId, sourceId, x)),
        block: (b) => {
          if (b.block > 0 || b.count === BLOCK_LINES) {
            let o = outlines.get(b.sourceId);
            if (!o) outlines.set(b.sourceId, (o = new OutlineBuilder(b.sourceId)));
            o.add(b);
          }
          blocks.push({ ...b, bundleId: job.bundleId });
          pendingLines += b.count;
          if (pendingLines >= LINES_PER_WRITE || blocks.length >= BLOCKS_PER_WRITE) return flushBlocks();
          return undefined;
        },
      };
      const year = entry.lastModified ? new Date(entry.lastModified).getUTCFullYear() : job.year;
      const r = await ingestEntry(entry, {
        fileId, sink, year,
        formatId: stored?.formatId,
        isCancelled: () => state.cancelled,
      }).catch((err: unknown) => failedEntry(entry.path, err));
      if (outlines.size) {
        const rows = [...outlines.values()].map((o) => ({ ...o.finish(), bundleId: job.bundleId }));
        late(entry.path, db().outlines.bulkPut(rows).then(() => undefined));
      }
      if (r.errors.some((e) => e.includes('storage full'))) result.storageFull = true;
      if (r.status === 'cancelled') result.cancelled = true;
      result.entries.push(entryOf(r, fileId, rawKey, rawOffset, entry, input, input.kind === 'stored', !entry.lastModified));
    };

    const from = job.relayFrom;
    if (from) {
      // Another share expands the archive: parse the members it hands over.
      for await (const m of relayedMembers(from, () => state.cancelled || result.storageFull)) {
        await parseEntry(relayedEntry(job.bundleId, m), job.inputs[0]!, { rawKey: m.rawKey, rawOffset: 0 });
        if (state.cancelled || result.storageFull) break;
      }
    }
    const relay = job.relayTo?.length ? new RelaySender(job.relayTo) : null;
    // Share 0's own big members, written out while it expands the archive and parsed after: parsing
    // them on the way would hold back the members after them that another share waits for.
    const own: RelayedMember[] = [];
    try {
      for (const input of from ? [] : job.inputs) {
        if (state.cancelled || result.storageFull) break;
        const stored = input.kind === 'stored' ? input : null;
        if (stored) await deleteBlocksOfFile(stored.fileId);
        const ahead = prefetched.get(input);
        const base = ahead && input.kind === 'file' ? inputFromBytes(await ahead, input.path, input.file.lastModified) : await toInputFile(input, job.bundleId);
        prefetched.delete(input);
        const inputFile = counted(base, (n) => tick(n, 0, input.path));
        const onProblem = (p: WalkProblem) => result.problems.push(p);
        for await (const entry of walkInputs([inputFile], { ...job.walk }, onProblem)) {
          const taker = relay ? relay.takerOf(entry.size) : 0;
          if (relay && (taker > 0 || (entry.size ?? 0) >= RELAY_MIN_BYTES)) {
            const m = await relay.hand(entry, taker, job.bundleId, (n) => {
              if (overQuota(n)) storageFull();
            }).catch((err: unknown) => {
              result.entries.push(entryOf(failedEntry(entry.path, err), crypto.randomUUID(), '', 0, entry, input, false, !entry.lastModified));
              if (err instanceof Error && err.message.includes('storage full')) result.storageFull = true;
              return null;
            });
            if (m) {
              blobBytes += m.bytes;
              if (taker === 0) own.push(m);
            }
          } else {
            await parseEntry(entry, input, stored);
          }
          if (state.cancelled || result.storageFull) break;
        }
        tick(0, 1);
      }
    } finally {
      // The other shares wait for this, whatever happened here.
      relay?.end();
    }
    for (const m of own) {
      if (state.cancelled || result.storageFull) break;
      await parseEntry(relayedEntry(job.bundleId, m), job.inputs[0]!, { rawKey: m.rawKey, rawOffset: 0 });
    }
    await flushBlocks();
    await settleWrites();
  } finally {
    await flushBlocks().catch(() => undefined);
    await settleWrites().catch(() => undefined);
    // (Assigned in the sink's closure: the compiler would narrow it to its initial null here.)
    const opening = packOpening as Promise<RawWriter> | null;
    (pack ?? (await opening?.catch(() => null)))?.close();
    tick(0, 0, undefined, true);
  }
  result.cancelled ||= state.cancelled;
  return result;
}

/** An entry whose ingest threw: listed with the reason, the bundle goes on. */
function failedEntry(path: string, err: unknown): EntryResult {
  const msg = err instanceof Error ? err.message : String(err);
  return {
    path, format: 'plain', detectedFormat: 'plain', detectionScore: 0, status: 'failed', bytes: 0, digest: '', lines: 0,
    sources: [], anchors: [], parsedZoneOffsetMin: 0, parsedYear: 0, extrasSourceId: '', metrics: [], goroutines: 0, events: 0,
    notes: [], timings: { readMs: 0, storeMs: 0, parseMs: 0 }, errors: [`${path}: ${msg.includes('storage full') ? msg : `could not be read: ${msg}`}`],
  };
}

function storageFullError(): Error {
  return new Error('storage full (quota exceeded): free space or delete a bundle, then resume');
}

function storageFull(): never {
  throw storageFullError();
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
    await db().outlines.bulkDelete(sources);
    await db().metrics.where('sourceId').anyOf(sources).delete();
  }
  await deleteDumps('fileId', fileId);
  await db().events.where('fileId').equals(fileId).delete();
}

async function storeExtras(bundleId: string, fileId: string, sourceId: string, x: ParserExtras): Promise<void> {
  const d = db();
  const metrics = (x.metrics ?? []).filter((m) => m.ts.length > 0).map((m) => ({
    bundleId, sourceId, series: m.series, unit: m.unit, basis: m.basis, ts: Float64Array.from(m.ts), value: Float64Array.from(m.value),
  }));
  const dumps = (x.dumps ?? []).map((dump, i) => ({ ...dump, id: `${fileId}:d${i}`, bundleId, fileId, sourceId }));
  const events = (x.events ?? []).map((e, i) => ({ ...e, id: `${fileId}:e${i}`, bundleId, fileId, sourceId }));
  if (!metrics.length && !dumps.length && !events.length) return;
  // One transaction: each commit costs a disk flush, and a bundle has many small metric files.
  await d.transaction('rw', [d.metrics, d.dumps, d.dumpHeads, d.events], async () => {
    if (metrics.length) await d.metrics.bulkPut(metrics);
    if (dumps.length) {
      await d.dumps.bulkPut(dumps.map(dumpRow));
      await d.dumpHeads.bulkPut(dumps.map(dumpHead));
    }
    if (events.length) await d.events.bulkPut(events);
  });
}

function inputFromBytes(bytes: Uint8Array, path: string, lastModified: number): InputFile {
  return {
    path, size: bytes.length, lastModified,
    stream: () => new ReadableStream<Uint8Array>({ start(c) { if (bytes.length) c.enqueue(bytes); c.close(); } }),
    slice: async (a, b) => bytes.slice(a, b),
  };
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
