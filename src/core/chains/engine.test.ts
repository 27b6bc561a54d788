import { describe, expect, it } from 'vitest';
import { evaluatePattern, explain, linkFit, linkOffSeconds, runPatterns } from './engine';
import type { Pattern } from './pattern';
import { builtinPatterns } from './patterns';
import { S, finding, healthyFindings, incidentFindings, input } from './test-findings';

const w = (a: number, b: number): { from: number; to: number } => ({ from: a * S, to: b * S });

const twoSteps: Pattern = {
  id: 'two-steps',
  title: 'A then B',
  description: '',
  steps: [
    { id: 'a', role: 'symptom', title: 'A', explanation: 'A took {seconds} s ({count})', query: { detector: 'x', kind: 'a' }, required: true, weight: 2, missingHint: 'add a.log' },
    { id: 'b', role: 'root-cause', title: 'B', explanation: 'B', query: { detector: 'x', kind: 'b' }, required: false, weight: 1, missingHint: 'add b.log' },
  ],
  links: [{ from: 'b', to: 'a', relation: 'precedes-within', seconds: 60 }],
  absent: [{ id: 'c', title: 'C present', query: { detector: 'x', kind: 'c' }, penalty: 0.5 }],
  remedy: { text: '', snippets: [], references: [] },
};

describe('link relations', () => {
  it('overlaps within slack', () => {
    const l = { from: 'a', to: 'b', relation: 'overlaps' as const, seconds: 10 };
    expect(linkOffSeconds(l, w(0, 10), w(5, 20))).toBe(0);
    expect(linkOffSeconds(l, w(0, 10), w(18, 20))).toBe(0);
    expect(linkOffSeconds(l, w(0, 10), w(30, 40))).toBe(10);
    expect(linkOffSeconds(l, w(30, 40), w(0, 10))).toBe(10);
  });
  it('precedes-within: starts in order and the gap is bounded', () => {
    const l = { from: 'a', to: 'b', relation: 'precedes-within' as const, seconds: 60 };
    expect(linkOffSeconds(l, w(0, 10), w(50, 60))).toBe(0);
    expect(linkOffSeconds(l, w(0, 100), w(50, 60))).toBe(0);
    expect(linkOffSeconds(l, w(0, 10), w(100, 110))).toBe(30);
    // a after b: wrong order (beyond the 5 s slack for clocks).
    expect(linkOffSeconds(l, w(80, 90), w(50, 60))).toBe(25);
  });
  it('follows-within mirrors precedes-within', () => {
    const p = { from: 'a', to: 'b', relation: 'precedes-within' as const, seconds: 20 };
    const f = { from: 'b', to: 'a', relation: 'follows-within' as const, seconds: 20 };
    for (const [a, b] of [[w(0, 10), w(15, 40)], [w(0, 10), w(70, 80)], [w(50, 60), w(0, 5)]] as const) {
      expect(linkOffSeconds(f, b, a)).toBeCloseTo(linkOffSeconds(p, a, b), 6);
    }
  });
  it('fit decays with distance', () => {
    const l = { from: 'a', to: 'b', relation: 'overlaps' as const };
    expect(linkFit(l, w(0, 10), w(5, 6))).toBe(1);
    expect(linkFit(l, w(0, 10), w(40, 50))).toBeGreaterThan(linkFit(l, w(0, 10), w(100, 110)));
  });
});

describe('evaluatePattern', () => {
  it('picks the candidate that satisfies the link and reports the missing file', () => {
    const near = finding('x', 'b', 100, 110);
    const far = finding('x', 'b', 1000, 1010);
    const chain = evaluatePattern(twoSteps, [finding('x', 'a', 150, 160, { seconds: 12.34 }), far, near], input);
    expect(chain.steps[1]?.findingIds).toEqual([near.id]);
    expect(chain.steps[0]?.explanation).toBe('A took 12.3 s (1)');
    expect(chain.from).toBe(100 * S);
    expect(chain.to).toBe(160 * S);
    const alone = evaluatePattern(twoSteps, [finding('x', 'a', 150, 160)], input);
    expect(alone.steps[1]?.missing).toContain('add b.log');
    expect(alone.reasons.join('\n')).toContain('optional step missing');
    expect(alone.confidence).toBeLessThan(chain.confidence);
  });

  it('chooses the anchor whose neighbours fit best', () => {
    const lone = finding('x', 'a', 10, 20, {}, 0.95);
    const paired = finding('x', 'a', 500, 510, {}, 0.7);
    const chain = evaluatePattern(twoSteps, [lone, paired, finding('x', 'b', 480, 490)], input);
    expect(chain.steps[0]?.findingIds).toEqual([paired.id]);
  });

  it('says when the best candidate misses the window', () => {
    const chain = evaluatePattern(twoSteps, [finding('x', 'a', 500, 510), finding('x', 'b', 100, 110)], input);
    expect(chain.reasons.some((r) => r.startsWith('window mismatch'))).toBe(true);
    const fitting = evaluatePattern(twoSteps, [finding('x', 'a', 500, 510), finding('x', 'b', 430, 440)], input);
    expect(fitting.confidence).toBeGreaterThan(chain.confidence);
  });

  it('penalises a required step missing and absent evidence present', () => {
    const onlyB = evaluatePattern(twoSteps, [finding('x', 'b', 100, 110, {}, 1)], input);
    expect(onlyB.reasons.join('\n')).toContain('required step missing');
    const both = [finding('x', 'a', 150, 160), finding('x', 'b', 100, 110)];
    const clean = evaluatePattern(twoSteps, both, input);
    const against = evaluatePattern(twoSteps, [...both, finding('x', 'c', 170, 180)], input);
    expect(against.confidence).toBeCloseTo(clean.confidence * 0.5, 2);
    expect(against.reasons.some((r) => r.startsWith('against: C present'))).toBe(true);
    // Far from the chain, the absent step does not count.
    const farAway = evaluatePattern(twoSteps, [...both, finding('x', 'c', 5000, 5010)], input);
    expect(farAway.confidence).toBe(clean.confidence);
  });

  it('is monotonic: more strength or more steps never lowers the score', () => {
    let prev = 0;
    for (const s of [0.1, 0.3, 0.5, 0.7, 0.9, 1]) {
      const c = evaluatePattern(twoSteps, [finding('x', 'a', 150, 160, {}, s), finding('x', 'b', 100, 110, {}, 0.5)], input).confidence;
      expect(c).toBeGreaterThanOrEqual(prev);
      prev = c;
    }
    const all = incidentFindings();
    const p = builtinPatterns.find((x) => x.id === 'io-storm-umount-bbolt') as Pattern;
    let last = evaluatePattern(p, all, input).confidence;
    for (let i = all.length - 1; i >= 0; i--) {
      const fewer = all.filter((_, j) => j < i);
      const c = fewer.length > 0 ? evaluatePattern(p, fewer, input).confidence : 0;
      expect(c).toBeLessThanOrEqual(last + 1e-9);
      last = c;
    }
  });

  it('keeps evidence without a time, unplaced, and the chain window finite', () => {
    const untimed = { ...finding('x', 'b', 0, 0), from: Number.NaN, to: Number.NaN };
    const chain = evaluatePattern(twoSteps, [finding('x', 'a', 150, 160), untimed], input);
    expect(chain.steps[1]?.findingIds).toEqual([untimed.id]);
    expect(chain.from).toBe(150 * S);
    expect(chain.to).toBe(160 * S);
    expect(Number.isFinite(chain.confidence)).toBe(true);
    expect(chain.confidence).toBeGreaterThan(evaluatePattern(twoSteps, [finding('x', 'a', 150, 160)], input).confidence);
    expect(chain.reasons.some((r) => r.includes('has no time'))).toBe(true);
  });

  it('fills a missing hint with what the bundle has', () => {
    const withMetrics = { ...input, metrics: [{ fileId: 'f3', sourceId: 'f3:psi', path: 'proc/pressure-io.log', series: 'io.some.avg10', ts: [], value: [] }] };
    const p = builtinPatterns.find((x) => x.id === 'io-storm-umount-bbolt') as Pattern;
    const noIo = incidentFindings().filter((f) => f.detector !== 'io-pressure');
    const missing = evaluatePattern(p, noIo, input).steps.find((s) => s.id === 'io-window')?.missing ?? '';
    expect(missing).toContain('/proc/pressure/io');
    const present = evaluatePattern(p, noIo, withMetrics).steps.find((s) => s.id === 'io-window')?.missing ?? '';
    expect(present).toContain('present, but nothing matched');
  });
});

describe('built-in patterns on synthetic findings', () => {
  it('rank the reference incident first with ≥ 0.8, covering the relist gap', () => {
    const chains = runPatterns(builtinPatterns, incidentFindings(), input);
    const top = chains[0];
    expect(top?.patternId).toBe('io-storm-umount-bbolt');
    expect(top?.confidence).toBeGreaterThanOrEqual(0.8);
    expect(top?.from).toBeLessThanOrEqual(200 * S);
    expect(top?.to).toBeGreaterThanOrEqual(245 * S);
    for (const c of chains.slice(1)) expect(c.confidence).toBeLessThan(0.5);
  });
  it('give a healthy node no chain at 0.5', () => {
    for (const c of runPatterns(builtinPatterns, healthyFindings(), input)) expect(c.confidence).toBeLessThan(0.5);
  });
  it('explain: unknown facts show ?, count counts', () => {
    expect(explain('{count} x {nope}', [finding('x', 'a', 0, 1)])).toBe('1 x ?');
    // {total} adds up what each finding counts (kills, lines); one without a count fact counts 1.
    const grouped = [finding('x', 'a', 0, 1), finding('x', 'a', 0, 1), finding('x', 'a', 0, 1)];
    grouped[0]!.facts.count = 4;
    grouped[1]!.facts.count = 2;
    expect(explain('{count} finding(s), {total} kill(s)', grouped)).toBe('3 finding(s), 7 kill(s)');
  });
});
