import { inputsFromPath } from '../src/core/bundle/node-inputs';
import { walkInputs } from '../src/core/bundle/walk';
import { ingestEntry } from '../src/core/ingest';

/** Seconds to parse the files with the core pipeline in Node (one core, nothing stored). */
export async function parseOnly(files: string[]): Promise<number> {
  const t0 = performance.now();
  for (const f of files) {
    for await (const entry of walkInputs(await inputsFromPath(f), {}, () => undefined)) {
      await ingestEntry(entry, { fileId: 'f', year: 2024, sink: { raw: () => undefined, block: () => undefined } });
    }
  }
  return (performance.now() - t0) / 1000;
}
