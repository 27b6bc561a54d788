import { analyzeInputs } from '../src/core/analyze';
import { inputsFromPath } from '../src/core/bundle/node-inputs';

/** Seconds to parse the files with the core pipeline in Node (one core, nothing stored). */
export async function parseOnly(files: string[]): Promise<number> {
  const inputs = (await Promise.all(files.map((f) => inputsFromPath(f)))).flat();
  const t0 = performance.now();
  await analyzeInputs(inputs);
  return (performance.now() - t0) / 1000;
}
