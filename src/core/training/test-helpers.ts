// Generates a training bundle and runs it through the same parse + detectors + chains as the CLI.

import { parseAndAnalyze } from '../analyze';
import { enc, memInput } from '../bundle/test-helpers';
import { generateScenario, type ScenarioName } from '../scenarios';
import { materialize } from '../scenarios/test-helpers';
import { deriveAnswerKey, type AnswerKey } from './answer-key';
import { trainingOptions } from './library';

export async function keyOf(scenario: ScenarioName, seed: number): Promise<{ key: AnswerKey; truth: ReturnType<typeof generateScenario>['truth'] }> {
  const g = generateScenario(trainingOptions(scenario, seed));
  const r = await parseAndAnalyze([...materialize(g)].map(([path, text]) => memInput(path, enc(text))));
  if (!r.input || !r.result) throw new Error('no analysis');
  return { key: deriveAnswerKey(scenario, scenario === 'healthy' ? null : scenario, r.input, r.result), truth: g.truth };
}
