import { analyzeInputs } from '../src/core/analyze';
import { inputsFromPath } from '../src/core/bundle/node-inputs';

export interface ParseOnly {
  seconds: number;
  /** Per detected format: bytes and seconds, each file parsed alone after a warm-up pass. */
  byFormat: Map<string, { bytes: number; seconds: number }>;
}

/** Parse speed of the core pipeline in Node (one core, nothing stored): whole bundle, then per format. */
export async function parseOnly(files: string[]): Promise<ParseOnly> {
  const inputs = (await Promise.all(files.map((f) => inputsFromPath(f)))).flat();
  await analyzeInputs(inputs, { parseOnly: true }); // warm-up: JIT, file cache
  const t0 = performance.now();
  await analyzeInputs(inputs, { parseOnly: true });
  const seconds = (performance.now() - t0) / 1000;
  const byFormat = new Map<string, { bytes: number; seconds: number }>();
  for (const input of inputs) {
    const t = performance.now();
    const s = await analyzeInputs([input], { parseOnly: true });
    const dt = (performance.now() - t) / 1000;
    const format = s.files[0]?.format ?? 'unknown';
    const row = byFormat.get(format) ?? { bytes: 0, seconds: 0 };
    row.bytes += input.size;
    row.seconds += dt;
    byFormat.set(format, row);
  }
  return { seconds, byFormat };
}
