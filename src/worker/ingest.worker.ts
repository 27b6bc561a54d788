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
const encoder = new TextEncoder();

/**
 * V8 runs new code slowly until it has been hot for a while: a worker's first few MB parse at a
 * fifth of the speed of the rest. While the page waits for files, each worker reads ~1 MB of a
 * generated bundle through the whole pipeline (nothing stored), and stops the moment a job starts.
 */
async function warmUp(): Promise<void> {
  const sample = generateScenario({ scenario: 'io-storm-umount-bbolt', seed: 1, targetBytes: 1 << 20, zoneOffsetMin: 0 });
  const started = jobsStarted;
  const interrupted = () => jobsStarted !== started;
  for (const file of sample.files) {
    if (interrupted()) return;
    const bytes = encoder.encode([...file.chunks()].join(''));
    const entry: BundleEntry = { path: file.path, size: bytes.length, errors: [], stream: new Blob([bytes]).stream() };
    await ingestEntry(entry, { fileId: 'warm-up', year: 2024, sink: { raw: () => undefined, block: () => undefined }, isCancelled: interrupted });
  }
}

const api: IngestWorkerApi = {
  async run(job, onProgress) {
    jobsStarted++;
    state = { cancelled: false };
    return runJob(job, onProgress, state);
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
