import * as Comlink from 'comlink';
import { assembleBundle } from '../core/assemble';
import { bundleFingerprint } from '../core/bundle/fingerprint';
import type { Bundle } from '../core/model';
import { batchInputs, progressProxy, sizeOf, type WorkerPool } from '../worker/pool';
import { sharesFor } from '../worker/shares';
import type { JobInput, JobResult } from '../worker/protocol';
import { db, type StoredEntry } from './db';
import { deleteBundle, findDuplicate } from './queries';
import { pruneRaw } from './raw-store';

export interface IngestProgress {
  bundleId: string;
  phase: 'checking' | 'ingesting' | 'finishing' | 'done' | 'cancelled' | 'failed';
  totalBytes: number;
  doneBytes: number;
  totalInputs: number;
  doneInputs: number;
  startedAt: number;
  /** Time since start at this report (ms): the page derives MB/s and time left from it. */
  elapsedMs: number;
  current: string;
}

export interface IngestOutcome {
  bundleId: string;
  status: Bundle['status'];
  /** The bundle was already stored (same SHA-256 fingerprint): nothing new was written. */
  duplicateOf?: string;
  problems: string[];
}

export interface IngestRequest {
  name: string;
  inputs: JobInput[];
  /**
   * Cheap duplicate key computed from the inputs (names, sizes, head and tail bytes). It may still
   * be computing: it is awaited only when a stored bundle has the same size (see run).
   */
  probeKey: string | Promise<string>;
  /** Resume an incomplete bundle: its finished inputs are skipped. */
  resumeBundleId?: string;
  quotaBytes?: number;
}

/**
 * Drives one ingest from the page: duplicate check, batches over the worker pool, progress,
 * cancel, and the final alignment of all sources on the bundle's time.
 */
export class IngestController {
  private cancelled = false;

  constructor(private readonly pool: WorkerPool, private readonly onProgress: (p: IngestProgress) => void) {}

  cancel(): void {
    this.cancelled = true;
    this.pool.cancelAll();
  }

  async run(req: IngestRequest): Promise<IngestOutcome> {
    const startedAt = performance.now();
    const totalBytes = req.inputs.reduce((n, i) => n + sizeOf(i), 0);
    const progress: IngestProgress = {
      bundleId: req.resumeBundleId ?? '', phase: 'checking', totalBytes, doneBytes: 0,
      totalInputs: req.inputs.length, doneInputs: 0, startedAt, elapsedMs: 0, current: '',
    };
    const report = () => this.onProgress({ ...progress, elapsedMs: performance.now() - startedAt });
    report();

    // A duplicate holds the same files, so the same total size: with none of that size stored
    // (the usual drop) the ingest starts at once, while the key (file reads and hashes, ~0.1 s)
    // is still computing; the row gets it when it is ready. The fingerprint at the end still
    // catches a duplicate the key would have.
    const key = Promise.resolve(req.probeKey);
    key.catch(() => undefined);
    if (!req.resumeBundleId && await sameSizeStored(totalBytes)) {
      const dup = await findDuplicate(await key);
      if (dup) {
        const fp = await this.pool.first().fingerprint(req.inputs);
        if (fp === dup.fingerprint) {
          progress.phase = 'done';
          progress.bundleId = dup.id;
          report();
          return { bundleId: dup.id, status: dup.status, duplicateOf: dup.id, problems: [] };
        }
      }
    }

    const bundleId = req.resumeBundleId ?? crypto.randomUUID();
    progress.bundleId = bundleId;
    const existing = req.resumeBundleId ? await db().bundles.get(bundleId) : undefined;
    const bundle: Bundle = existing ?? {
      id: bundleId, name: req.name, fingerprint: '', probeKey: '', createdAt: Date.now(),
      status: 'ingesting', totalBytes, fileCount: 0, zoneOffsetMin: null, userZoneOffsetMin: null, userBootUs: null, bootUs: null,
      year: null, errors: [], inputsDone: [],
    };
    bundle.status = 'ingesting';
    await db().bundles.put(bundle);
    const done = new Set(bundle.inputsDone);
    const todo = req.inputs.filter((i) => !done.has(i.path));
    progress.doneInputs = req.inputs.length - todo.length;
    if (existing) await dropUnfinished(bundleId);
    progress.phase = 'ingesting';
    report();

    // A key that cannot be computed (a file no longer readable) costs only the early duplicate check.
    const keyStored = existing ? Promise.resolve() : key.then((probeKey) => db().bundles.update(bundleId, { probeKey }), () => undefined);
    try {
      const outcome = await this.ingest(req, bundle, todo, progress, report);
      await keyStored;
      return outcome;
    } catch (err) {
      // Whatever broke, the bundle must not stay 'ingesting': what was stored stays, marked incomplete.
      const msg = `ingest failed: ${err instanceof Error ? err.message : String(err)}`;
      await realign(bundleId, { status: 'incomplete', errors: [...bundle.errors, msg] }).catch(() => undefined);
      throw err;
    }
  }

  private async ingest(req: IngestRequest, bundle: Bundle, todo: JobInput[], progress: IngestProgress, report: () => void): Promise<IngestOutcome> {
    const bundleId = bundle.id;
    // A batch of one big archive runs as one share per worker (each parses part of its members);
    // its inputs are done when every share has finished.
    const queue = batchInputs(todo, this.pool.size).flatMap((inputs) => {
      const of = sharesFor(inputs, this.pool.size);
      const left = { shares: of, failed: false };
      // Share 0 expands the archive and hands members to the others, one channel each. Shares are
      // queued in order, so a worker never waits on a share 0 that no worker has taken.
      const channels = Array.from({ length: of - 1 }, () => new MessageChannel());
      return Array.from({ length: of }, (_, index) => ({
        inputs, left,
        share: of > 1 ? { index, of } : undefined,
        relayTo: of > 1 && index === 0 ? channels.map((c) => c.port1) : undefined,
        relayFrom: index > 0 ? channels[index - 1]!.port2 : undefined,
      }));
    });
    const problems: string[] = [];
    // The entries this run stored, kept for the fingerprint and the alignment at the end: reading
    // them back (their signal lines are megabytes) cost the main thread ~0.3 s on a 100 MB bundle.
    const saved: StoredEntry[] = [];
    const resumed = bundle.inputsDone.length > 0;
    let storageFull = false;
    const year = new Date().getUTCFullYear();
    const runWorker = async (api: ReturnType<WorkerPool['first']>) => {
      for (let job = queue.shift(); job && !this.cancelled && !storageFull; job = queue.shift()) {
        const batch = job.inputs;
        const ports = [...(job.relayTo ?? []), ...(job.relayFrom ? [job.relayFrom] : [])];
        const r: JobResult = await api.run(
          Comlink.transfer({ bundleId, inputs: batch, year, walk: {}, quotaBytes: req.quotaBytes, share: job.share, relayTo: job.relayTo, relayFrom: job.relayFrom }, ports),
          progressProxy((t) => {
            progress.doneBytes += t.bytes;
            progress.doneInputs += t.inputs;
            if (t.current) progress.current = t.current;
            report();
          }),
        );
        problems.push(...r.problems.map((p) => `${p.path}: ${p.message}`));
        storageFull ||= r.storageFull;
        job.left.shares--;
        job.left.failed ||= r.cancelled || r.storageFull;
        const done = job.left.shares === 0 && !job.left.failed;
        // The worker takes its next job while the page stores this one's results: waiting for that
        // (megabytes of signal lines) left it idle ~250 ms between jobs. The save starts in a
        // microtask, so its synchronous part (IndexedDB clones the rows) runs after the next job
        // was posted, not before. An input is marked done only once its entries are stored, so a
        // resume never skips an unsaved input.
        const stored = Promise.resolve().then(() => saveEntries(bundleId, batch, r)).then(async (rows) => {
          saved.push(...rows);
          if (!done) return;
          bundle.inputsDone.push(...batch.map((i) => i.path));
          await db().bundles.update(bundleId, { inputsDone: bundle.inputsDone });
        });
        // Handled here so a failure is not reported before its turn; Promise.all below rethrows it.
        stored.catch(() => undefined);
        saving.push(stored);
      }
    };
    const saving: Promise<void>[] = [];
    await Promise.all(this.pool.apis().map(runWorker));
    await Promise.all(saving);

    progress.phase = 'finishing';
    report();
    const incomplete = this.cancelled || storageFull;
    if (storageFull) problems.push('storage full (quota exceeded): the bundle is incomplete; free space, then Resume');
    if (this.cancelled) problems.push('ingest cancelled: the bundle is incomplete; Resume or Delete it');
    // A resumed bundle also holds the entries of earlier runs.
    const entries = resumed ? await db().entries.where('bundleId').equals(bundleId).toArray() : saved;
    const fingerprint = await bundleFingerprint(entries.map((e) => ({ path: e.result.path, digest: e.result.digest })));
    if (!incomplete) {
      const same = (await db().bundles.where('fingerprint').equals(fingerprint).toArray()).find((b) => b.id !== bundleId && b.status === 'ready');
      if (same) {
        await deleteBundle(bundleId);
        progress.phase = 'done';
        progress.bundleId = same.id;
        report();
        return { bundleId: same.id, status: same.status, duplicateOf: same.id, problems };
      }
    }
    await realign(bundleId, {
      status: incomplete ? 'incomplete' : 'ready', fingerprint, errors: [...bundle.errors, ...problems],
    }, entries);
    progress.phase = this.cancelled ? 'cancelled' : 'done';
    report();
    return { bundleId, status: incomplete ? 'incomplete' : 'ready', problems };
  }
}

async function sameSizeStored(totalBytes: number): Promise<boolean> {
  return (await db().bundles.filter((b) => b.totalBytes === totalBytes).count()) > 0;
}

/**
 * Before a resume: what an interrupted run stored for inputs it did not finish (a cancelled
 * file's partial entry, index blocks of a job whose tab closed) is removed, so the inputs read
 * again count once. Entries of finished inputs and their bytes stay.
 */
async function dropUnfinished(bundleId: string): Promise<void> {
  const d = db();
  const bundle = await d.bundles.get(bundleId);
  if (!bundle) return;
  const done = new Set(bundle.inputsDone);
  const entries = await d.entries.where('bundleId').equals(bundleId).toArray();
  const kept = entries.filter((e) => done.has(e.input));
  const keepFiles = new Set(kept.map((e) => e.fileId));
  const orphan = (fileId: string) => !keepFiles.has(fileId);
  const fileOf = (sourceId: string) => sourceId.slice(0, sourceId.indexOf(':'));
  await d.transaction('rw', [d.entries, d.blocks, d.outlines, d.metrics, d.dumps, d.dumpHeads, d.events], async () => {
    await d.entries.bulkDelete(entries.filter((e) => !done.has(e.input)).map((e) => e.fileId));
    await d.blocks.where('bundleId').equals(bundleId).filter((b) => orphan(fileOf(b.sourceId))).delete();
    await d.outlines.where('bundleId').equals(bundleId).filter((o) => orphan(fileOf(o.sourceId))).delete();
    await d.metrics.where('bundleId').equals(bundleId).filter((m) => orphan(fileOf(m.sourceId))).delete();
    // Found through the heads: filtering the dumps themselves would read every goroutine.
    const orphanDumps = (await d.dumpHeads.where('bundleId').equals(bundleId).toArray()).filter((x) => orphan(x.fileId)).map((x) => x.id);
    await d.dumps.bulkDelete(orphanDumps);
    await d.dumpHeads.bulkDelete(orphanDumps);
    await d.events.where('bundleId').equals(bundleId).filter((x) => orphan(x.fileId)).delete();
  });
  await pruneRaw(bundleId, new Set(kept.map((e) => e.rawKey)));
}

async function saveEntries(bundleId: string, batch: JobInput[], r: JobResult): Promise<StoredEntry[]> {
  const input = (path: string) => batch.find((i) => path === i.path || path.startsWith(`${i.path}!/`))?.path ?? path;
  const rows: StoredEntry[] = r.entries.map((e) => ({ ...e, bundleId, input: input(e.result.path) }));
  await db().entries.bulkPut(rows);
  return rows;
}

/**
 * Re-derives the file and source rows from the stored parse results: after an ingest, and
 * whenever the user changes a zone or clock offset (no file is read again). `known` are the
 * bundle's stored entries when the caller holds them all already.
 */
export async function realign(bundleId: string, patch: Partial<Bundle> = {}, known?: StoredEntry[]): Promise<void> {
  const d = db();
  await d.transaction('rw', [d.bundles, d.entries, d.files, d.sources], async () => {
    const bundle = await d.bundles.get(bundleId);
    if (!bundle) return;
    const entries = known ?? await d.entries.where('bundleId').equals(bundleId).toArray();
    const old = new Map((await d.sources.where('bundleId').equals(bundleId).toArray()).map((s) => [s.id, s]));
    const { files, sources, time } = assembleBundle(bundleId, entries, { zoneOffsetMin: bundle.userZoneOffsetMin, bootUs: bundle.userBootUs });
    for (const s of sources) {
      const prev = old.get(s.id);
      if (!prev) continue;
      s.clockOffsetUs = prev.clockOffsetUs;
      if (prev.time.zoneSource === 'user') {
        s.zoneOffsetMin = prev.zoneOffsetMin;
        s.time.zoneSource = 'user';
      }
    }
    await d.sources.where('bundleId').equals(bundleId).delete();
    await d.files.where('bundleId').equals(bundleId).delete();
    await d.files.bulkPut(files);
    await d.sources.bulkPut(sources);
    await d.bundles.update(bundleId, {
      ...patch,
      fileCount: files.length,
      zoneOffsetMin: time.zoneOffsetMin,
      bootUs: time.bootUs,
      year: Number.isFinite(time.absoluteFrom) ? new Date(time.absoluteFrom / 1000).getUTCFullYear() : null,
    });
  });
}
