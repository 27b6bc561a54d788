import { describe, expect, it } from 'vitest';
import type { ScenarioName } from '../scenarios';
import { NO_FAULT, type AnswerKey } from './answer-key';
import { perfectPins, scoreAttempt, type Attempt } from './score';
import { keyOf } from './test-helpers';

const perfect = (key: AnswerKey): Attempt => ({ pins: perfectPins(key), remedy: key.remedy, hints: [], elapsedSec: 600, minutes: 30 });

describe.each([
  ['io-storm-umount-bbolt', 12], ['io-storm-umount-bbolt', 977], ['pleg-slow-relist', 5], ['shim-umount-hung', 5],
  ['cri-lock-contention', 5], ['runtime-down', 5], ['disk-pressure-eviction', 5], ['container-oom-killed', 5], ['node-memory-exhausted', 5], ['cni-sandbox-failure', 5], ['api-server-unreachable', 5], ['healthy', 5],
] as [ScenarioName, number][])('%s seed %i', (scenario, seed) => {
  it('the key\'s own evidence scores 100; no pins and a wrong remedy score little', { timeout: 60_000 }, async () => {
    const { key } = await keyOf(scenario, seed);
    const best = scoreAttempt(key, perfect(key));
    expect(best.total, JSON.stringify(best.roles)).toBe(100);
    const lazy = scoreAttempt(key, { pins: [], remedy: key.remedy === NO_FAULT ? 'runtime-down' : NO_FAULT, hints: [], elapsedSec: 60 });
    expect(lazy.total).toBe(key.steps.length === 0 ? 80 : 0);
  });
});

describe('partial credit and feedback (reference incident)', () => {
  it('right evidence under the wrong role, near misses, hints, time and wide windows', { timeout: 60_000 }, async () => {
    const { key } = await keyOf('io-storm-umount-bbolt', 12);
    const pins = perfectPins(key);
    const holder = pins.find((p) => p.role === 'lock-holder')!;
    const swapped = pins.map((p) => (p.role === 'blocked-call' ? { ...holder, role: p.role } : p));
    const r = scoreAttempt(key, { ...perfect(key), pins: swapped });
    const blocked = r.roles.find((x) => x.role === 'blocked-call')!;
    expect(blocked.verdict).toBe('wrong-role');
    expect(blocked.points).toBeGreaterThan(0);
    expect(blocked.points).toBeLessThan(blocked.max);
    expect(blocked.feedback).toMatch(/lock holder.*not the blocked call/);
    expect(r.total).toBe(92);

    // A line of the same kind as the symptom's, at the same time, that the chain does not cite.
    const symptom = key.steps.find((s) => s.role === 'symptom')!;
    const cited = symptom.evidence.find((e) => e.kind === 'line')!;
    if (cited.kind !== 'line') throw new Error('symptom has no line');
    const near = pins.map((p) => (p.role === 'symptom' ? { role: p.role, evidence: { ...cited, offset: cited.offset + 1 } } : p));
    const n = scoreAttempt(key, { ...perfect(key), pins: near }).roles.find((x) => x.role === 'symptom')!;
    expect(n).toMatchObject({ verdict: 'near-miss', points: 8 });
    expect(n.feedback).toContain('close');

    // A whole-capture window is not the IO window.
    const wide = pins.map((p) => (p.role === 'root-cause' ? { role: p.role, evidence: { kind: 'window' as const, from: 0, to: 4e15 } } : p));
    expect(scoreAttempt(key, { ...perfect(key), pins: wide }).roles.find((x) => x.role === 'root-cause')!.verdict).not.toBe('right');

    const missing = scoreAttempt(key, { ...perfect(key), pins: pins.filter((p) => p.role !== 'resource'), hints: ['resource', 'symptom', 'symptom'], elapsedSec: 1900 });
    expect(missing.roles.find((x) => x.role === 'resource')!.feedback).toBe('missing: nothing pinned as resource');
    expect(missing.hintPenalty).toBe(10);
    expect(missing.timePenalty).toBe(10);
    expect(missing.total).toBe(100 - 16 - 10 - 10);
  });

  it('pins on a healthy node are false alarms', { timeout: 60_000 }, async () => {
    const { key } = await keyOf('healthy', 77);
    const r = scoreAttempt(key, { pins: [{ role: 'symptom', evidence: { kind: 'window', from: 1, to: 2 } }], remedy: NO_FAULT, hints: [], elapsedSec: 1 });
    expect(r.total).toBe(80);
    expect(r.roles.some((x) => x.verdict === 'extra' && /nothing is wrong/.test(x.feedback))).toBe(true);
  });
});
