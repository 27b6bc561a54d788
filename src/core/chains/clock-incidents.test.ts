// Silences that are no PLEG stall, cut into generated healthy nodes (several seeds, zones, noise
// levels, step sizes): a forward wall-clock step (chronyd / ntpd / systemd lines at the new time,
// nothing stamped inside the jump) and a capture gap (every journal silent). A real stall,
// where only kubelet's relists stop, must stay an error-severity relist gap.

import { describe, expect, it } from 'vitest';
import type { Finding } from '../analysis/types';
import type { ScenarioOptions } from '../scenarios';
import { Rng } from '../scenarios/rng';
import { journalWallUs } from '../scenarios/test-helpers';
import { analyzeFiles, generatedNode, JournalAdditions, splice } from './test-incidents';

const MB = 1_048_576;
const SEC = 1_000_000;
const STAMP = /^[A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2}\.\d{6}/;

type Cut = 'clock-step' | 'capture-gap' | 'stall';

/** Drops journal records stamped inside (from, to) (wall clock), continuation lines with them. */
function dropWindow(text: string, year: number, from: number, to: number, keep: (line: string) => boolean): string {
  let dropping = false;
  return text.split('\n').filter((line) => {
    const m = STAMP.exec(line);
    if (m) {
      const t = journalWallUs(m[0], year);
      dropping = t > from && t < to && !keep(line);
    }
    return !dropping;
  }).join('\n');
}

async function cutNode(o: ScenarioOptions, cut: Cut, stepSec: number): Promise<{ findings: Finding[]; from: number; to: number }> {
  const { g, files, kPath, cPath, id } = generatedNode(o);
  const rng = new Rng(o.seed * 31 + stepSec);
  const from = g.truth.capture.fromUs + rng.int(240, 400) * SEC;
  const to = from + stepSec * SEC;
  const wall = (us: number) => us + id.zoneOffsetMin * 60 * SEC;
  if (cut === 'stall') {
    // kubelet's relists stop; the rest of kubelet and containerd go on logging.
    files.set(kPath, dropWindow(files.get(kPath)!, id.year, wall(from), wall(to), (l) => !l.endsWith('Relisting"')));
  } else {
    for (const p of [kPath, cPath]) files.set(p, dropWindow(files.get(p)!, id.year, wall(from), wall(to), () => false));
  }
  if (cut === 'clock-step') {
    const add = new JournalAdditions(id.zoneOffsetMin);
    const pid = rng.int(500, 900);
    // Either chronyd or ntpd steps the clock; systemd notices it.
    if (rng.int(0, 1) === 0) {
      add.add(to + 300, `chronyd[${pid}]`, `System clock wrong by ${stepSec.toFixed(6)} seconds`, id.host);
      add.add(to + 500, `chronyd[${pid}]`, `System clock was stepped by ${stepSec.toFixed(6)} seconds`, id.host);
    } else {
      add.add(to + 500, `ntpd[${pid}]`, `step time server 10.${rng.int(0, 255)}.0.${rng.int(1, 254)} offset +${stepSec.toFixed(6)} sec`, id.host);
    }
    add.add(to + 900, 'systemd[1]', 'Time has been changed', id.host);
    files.set(cPath, splice(files.get(cPath)!, add, id.year));
  }
  // A capture gap silences the samplers too: this bundle holds the journals and dmesg only.
  const kept = cut === 'capture-gap' ? [kPath, cPath, g.truth.paths.dmesg] : [...files.keys()];
  const r = await analyzeFiles(files, kept);
  return { findings: r.result!.findings, from, to };
}

const bases: (ScenarioOptions & { step: number })[] = [
  { scenario: 'healthy', seed: 21, targetBytes: 2 * MB, zoneOffsetMin: 330, skewUs: 0, noise: 0.5, startUs: Date.UTC(2025, 3, 13, 4, 21, 40) * 1000, step: 421 },
  { scenario: 'healthy', seed: 64, targetBytes: 2 * MB, zoneOffsetMin: -180, skewUs: 25 * SEC, noise: 1, startUs: Date.UTC(2023, 9, 1, 22, 50, 3) * 1000, step: 95 },
  { scenario: 'healthy', seed: 97, targetBytes: 3 * MB, zoneOffsetMin: 0, skewUs: -15 * SEC, noise: 0.2, startUs: Date.UTC(2024, 6, 30, 11, 0, 0) * 1000, step: 600 },
];

const overlapping = (fs: Finding[], kind: string, from: number, to: number) => fs.filter((f) => f.kind === kind && f.from < to && f.to > from);

describe.each(bases)('healthy seed $seed, zone $zoneOffsetMin, noise $noise, $step s', (o) => {
  it('a forward clock step is no relist stall', { timeout: 60_000 }, async () => {
    const r = await cutNode(o, 'clock-step', o.step);
    expect(overlapping(r.findings, 'relist-gap', r.from, r.to).map((f) => f.title)).toEqual([]);
    const gap = overlapping(r.findings, 'relist-gap-unreliable', r.from, r.to);
    expect(gap.map((f) => [f.facts.cause, f.severity])).toEqual([['clock-step', 'info']]);
    expect(gap[0]!.strength).toBeLessThan(0.1);
    const step = r.findings.filter((f) => f.kind === 'clock-step');
    expect(step).toHaveLength(1);
    expect(step[0]!.facts.stepSec).toBeCloseTo(o.step, 3);
    // The step lines are the clock finding's evidence, not problems.
    for (const p of r.findings.filter((f) => f.kind === 'log-problem')) expect(p.title).not.toMatch(/clock|Time has been changed/);
  });

  it('a gap where every log of the node is silent is no relist stall', { timeout: 60_000 }, async () => {
    const r = await cutNode(o, 'capture-gap', o.step);
    expect(overlapping(r.findings, 'relist-gap', r.from, r.to).map((f) => f.title)).toEqual([]);
    expect(overlapping(r.findings, 'relist-gap-unreliable', r.from, r.to).map((f) => f.facts.cause)).toEqual(['node-silent']);
  });

  it('relists stopping while kubelet and containerd keep logging is still a stall', { timeout: 60_000 }, async () => {
    const r = await cutNode(o, 'stall', o.step);
    const gaps = overlapping(r.findings, 'relist-gap', r.from, r.to);
    expect(gaps.map((f) => f.severity)).toEqual(['error']);
    expect(gaps[0]!.facts.gapSec).toBeGreaterThan(o.step - 2);
    expect(overlapping(r.findings, 'relist-gap-unreliable', r.from, r.to)).toEqual([]);
  });
});
