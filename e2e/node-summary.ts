import { analyzeInputs } from '../src/core/analyze';
import { inputsFromPath } from '../src/core/bundle/node-inputs';
import type { Summary } from '../src/core/summary';

/** What the Node core (the analyze CLI's code) finds in the same files, named as the page names them. */
export async function analyzePaths(paths: string[]): Promise<Summary> {
  const inputs = (await Promise.all(paths.map((p) => inputsFromPath(p)))).flat();
  for (const [i, input] of inputs.entries()) input.path = paths[i]!.split('/').pop()!;
  return analyzeInputs(inputs);
}
