// Samples are contracts: every format's samples parse as they say, every format detects a sniff
// of its own samples, and no other format claims that sniff with a higher score.
import { describe, expect, it } from 'vitest';
import { levelNames } from '../model';
import { detectFormat, formatById, formats } from './registry';
import { isoToUs, parseAll, showTs } from './test-helpers';

describe.each(formats.map((f) => [f.id, f] as const))('format %s', (_id, format) => {
  it('has samples', () => {
    expect(format.samples.length).toBeGreaterThan(0);
  });

  it.each(format.samples.map((s, n) => [n, s] as const))('sample %i parses as its contract says', (_n, sample) => {
    const [out] = parseAll(format, [sample.line], sample.ctx);
    if (!out) throw new Error('no result');
    const where = `${format.id}: ${sample.line.slice(0, 120)}`;
    expect(showTs(out.ts), where).toBe(sample.iso === null ? 'NaN' : showTs(isoToUs(sample.iso)));
    if (sample.level !== undefined) expect(levelNames[out.level], where).toBe(levelNames[sample.level]);
    if (sample.origin !== undefined) expect(out.origin ?? format.origin, where).toBe(sample.origin);
    expect(out.continuation, where).toBe(sample.continuation ?? false);
  });

  it('detects a sniff of its own samples, and no other format claims it higher', () => {
    const sniff = { path: `${format.id}.log`, lines: format.samples.map((s) => s.line) };
    const own = format.detect(sniff);
    expect(own).toBeGreaterThan(0);
    for (const other of formats) {
      if (other === format) continue;
      expect(other.detect(sniff), `${other.id} on ${format.id}'s samples`).toBeLessThan(own);
    }
    expect(detectFormat(sniff).format.id).toBe(format.id);
  });
});

describe('registry', () => {
  it('has unique ids and finds formats by id', () => {
    const ids = formats.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const f of formats) expect(formatById(f.id)).toBe(f);
    expect(formatById('no-such-format')).toBeUndefined();
  });

  it('falls back to plain for an empty sniff', () => {
    expect(detectFormat({ path: 'x', lines: [] }).format.id).toBe('plain');
  });
});
