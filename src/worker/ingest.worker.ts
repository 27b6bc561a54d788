import * as Comlink from 'comlink';
import { bundleFingerprint, createDigester } from '../core/bundle/fingerprint';
import { walkInputs } from '../core/bundle/walk';
import { generateScenario } from '../core/scenarios';
import { toInputFile } from './inputs';
import type { IngestWorkerApi } from './protocol';
import { runJob, type JobState } from './run-job';
import { ingestEntry } from '../core/ingest';
import type { BundleEntry } from '../core/bundle/types';

let state: JobState = { cancelled: false };
let jobsStarted = 0;
let jobsRunning = 0;
const encoder = new TextEncoder();

/**
 * V8 runs new code slowly until it has been hot for a while: a worker's first few MB parse at a
 * fifth of the speed of the rest. While the page waits for files, each worker reads ~1 MB of a
 * generated bundle through the whole pipeline (nothing stored), and stops the moment a job starts.
 */
async function warmUp(): Promise<void> {
  // A job already running (a drop before the page was idle) needs the core more than the JIT does.
  if (jobsRunning > 0) return;
  const sample = generateScenario({ scenario: 'io-storm-umount-bbolt', seed: 1, targetBytes: 1 << 20, zoneOffsetMin: 0 });
  const started = jobsStarted;
  const interrupted = () => jobsStarted !== started;
  for (const file of sample.files) {
    if (interrupted()) return;
    const entry: BundleEntry = { path: file.path, size: file.approxBytes, errors: [], stream: warmUpStream(file.chunks(), interrupted) };
    await ingestEntry(entry, { fileId: 'warm-up', year: 2024, sink: { raw: () => undefined, block: () => undefined }, isCancelled: interrupted });
  }
}

/** Bytes of the warm-up file generated as read, in 32 KiB pieces: a job waits at most one piece for the worker. */
function warmUpStream(chunks: Generator<string>, interrupted: () => boolean): ReadableStream<Uint8Array> {
  let pending = new Uint8Array(0);
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= pending.length) {
        const next = interrupted() ? null : chunks.next();
        if (!next || next.done) {
          controller.close();
          return;
        }
        pending = encoder.encode(next.value);
        at = 0;
      }
      controller.enqueue(pending.subarray(at, at + WARM_UP_PIECE));
      at += WARM_UP_PIECE;
    },
  });
}

const WARM_UP_PIECE = 32 * 1024;

const api: IngestWorkerApi = {
  async run(job, onProgress) {
    jobsStarted++;
    jobsRunning++;
    state = { cancelled: false };
    try {
      return await runJob(job, onProgress, state);
    } finally {
      jobsRunning--;
    }
  },
  cancel() {
    state.cancelled = true;
  },
  warmUp,
  async fingerprint(inputs) {
    const digests: { path: string; digest: string }[] = [];
    for (const input of inputs) {
      for await (const entry of walkInputs([await toInputFile(input, '')], {}, () => undefined)) {
        const d = createDigester();
        const reader = entry.stream.getReader();
        for (;;) {
          const r = await reader.read();
          if (r.done) break;
          await d.update(r.value);
        }
        digests.push({ path: entry.path, digest: await d.digest() });
      }
    }
    return bundleFingerprint(digests);
  },
  async describeScenario(opts) {
    const s = generateScenario(opts);
    return { name: s.name, files: s.files.map((f) => ({ path: f.path, approxBytes: f.approxBytes })) };
  },
};

Comlink.expose(api);
