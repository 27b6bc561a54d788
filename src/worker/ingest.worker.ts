import * as Comlink from 'comlink';
import { bundleFingerprint, createDigester } from '../core/bundle/fingerprint';
import { walkInputs } from '../core/bundle/walk';
import { generateScenario } from '../core/scenarios';
import { toInputFile } from './inputs';
import type { IngestWorkerApi } from './protocol';
import { runJob, type JobState } from './run-job';

let state: JobState = { cancelled: false };

const api: IngestWorkerApi = {
  async run(job, onProgress) {
    state = { cancelled: false };
    return runJob(job, onProgress, state);
  },
  cancel() {
    state.cancelled = true;
  },
  heap() {
    return (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
  },
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
