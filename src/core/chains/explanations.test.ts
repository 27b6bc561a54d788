// Every backed step of a winning chain explains itself with this bundle's facts: a `{fact}` the
// step's findings do not carry renders as "?" (the IO window has kinds and a peak ratio, not one
// series' peak).

import { describe, expect, it } from 'vitest';
import { parseAndAnalyze } from '../analyze';
import { enc, memInput } from '../bundle/test-helpers';
import { generateScenario, type ScenarioOptions } from '../scenarios';
import { materialize } from '../scenarios/test-helpers';

const MB = 1_048_576;

const cases: ScenarioOptions[] = [
  { scenario: 'io-storm-umount-bbolt', seed: 19, targetBytes: 2 * MB, zoneOffsetMin: -180, skewUs: 0, noise: 0.5 },
  { scenario: 'shim-umount-hung', seed: 23, targetBytes: 2 * MB, zoneOffsetMin: 60, skewUs: 0, noise: 1 },
  { scenario: 'pleg-slow-relist', seed: 29, targetBytes: 2 * MB, zoneOffsetMin: 330, skewUs: 0, noise: 0.2 },
  { scenario: 'runtime-down', seed: 31, targetBytes: 2 * MB, zoneOffsetMin: -420, skewUs: 0, noise: 0.7 },
  { scenario: 'disk-pressure-eviction', seed: 37, targetBytes: 2 * MB, zoneOffsetMin: 540, skewUs: 0, noise: 0.6 },
  // seed % 6 = 5: the client certificate expired (every step backed, the certificate one too).
  { scenario: 'api-server-unreachable', seed: 41, targetBytes: 2 * MB, zoneOffsetMin: -300, skewUs: 0, noise: 0.5 },
  { scenario: 'api-server-unreachable', seed: 44, targetBytes: 2 * MB, zoneOffsetMin: 120, skewUs: 0, noise: 0.5 },
  { scenario: 'cni-sandbox-failure', seed: 43, targetBytes: 2 * MB, zoneOffsetMin: -300, skewUs: 0, noise: 0.6 },
];

describe.each(cases)('$scenario seed $seed', (o) => {
  it('the top chain names no unknown fact', { timeout: 60_000 }, async () => {
    const r = await parseAndAnalyze([...materialize(generateScenario(o))].map(([path, text]) => memInput(path, enc(text))));
    const top = r.result!.chains[0]!;
    expect(top.patternId).toBe(o.scenario);
    for (const s of top.steps) if (s.findingIds.length > 0) expect(s.explanation, s.id).not.toMatch(/\?/);
  });
});
