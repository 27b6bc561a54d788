// The signal tap runs on every parsed line, so its work must stay linear in the line: a 1 MB
// line repeating "GenericPLEG" once took seconds (a "took" search after every "PLEG"), found by
// `npm run fuzz`. The fix must classify exactly as before: checked against the old loop.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Level } from '../model';
import { SignalTap, SLOW_NEEDLES, slowClassify } from './signals';

/** The info-level PLEG/Pull scan as first written (quadratic, but the meaning to keep). */
function referenceKind(text: string): string | null {
  for (let i = text.indexOf('P'); i !== -1; i = text.indexOf('P', i + 1)) {
    const c = text.charCodeAt(i + 1);
    if (c === 117 && text.startsWith('Pull', i)) return 'pull';
    if (c === 76 && text.startsWith('PLEG', i)) {
      const before = text.charCodeAt(i - 1);
      const routine = before === 40 || (before === 99 && text.indexOf('took', i) === -1);
      if (!routine) return 'pleg';
    }
  }
  return null;
}

function tapKind(text: string): string | null {
  const tap = new SignalTap();
  tap.take(text, 'kubelet', Level.info, 1e15, false, false, 0, 0);
  return tap.bySource.get('kubelet')?.[0]?.kind ?? null;
}

describe('signal tap on long and odd lines', () => {
  it('classifies info lines as the original scan did', () => {
    const unit = fc.constantFrom('GenericPLEG', '(PLEG)', 'PLEG', ' is not healthy', 'relist took 3s', 'took', 'Pulling image', 'P', 'L', 'c', ' ', 'x', '"');
    fc.assert(fc.property(fc.string({ unit, minLength: 4, maxLength: 30 }), (body) => {
      const line = `I0602 05:48:06.350695    4567 kubelet.go:1] ${body} end`;
      // Lines ending like a relist tick take the fast path; the reference is about the scan.
      if (/Relisting"?$/.test(line)) return;
      expect(tapKind(line), line).toBe(referenceKind(line));
    }), { numRuns: 400 });
  });

  it('takes linear time on a 1 MB line of "GenericPLEG" with no "took"', () => {
    const line = `I0602 05:48:06.350695    4567 generic.go:1] ${'"GenericPLEG: Relisting" x '.repeat(38_000)}tail`;
    expect(line.length).toBeGreaterThan(1_000_000);
    const t0 = performance.now();
    expect(tapKind(line)).toBe(null);
    // Linear: a few ms. Quadratic (before the fix): seconds.
    expect(performance.now() - t0).toBeLessThan(300);
  });
});

describe('slow needle classifier', () => {
  /** The definition: the first needle of the list the line holds, at its first place. */
  const naive = (text: string): [string | null, number] => {
    for (const [needle, kind] of SLOW_NEEDLES) {
      const at = text.indexOf(needle);
      if (at !== -1) return [kind, at];
    }
    return [null, 0];
  };
  it('finds what searching for each needle in turn finds, overlapping and repeated needles too', () => {
    // Pieces of needles, whole needles and noise: needles overlap and occur more than once.
    const piece = fc.oneof(
      fc.constantFrom(...SLOW_NEEDLES.map(([n]) => n)),
      fc.constantFrom(...SLOW_NEEDLES.map(([n]) => n)).chain((n) => fc.integer({ min: 0, max: n.length }).map((k) => n.slice(k))),
      fc.constantFrom(...SLOW_NEEDLES.map(([n]) => n)).chain((n) => fc.integer({ min: 0, max: n.length }).map((k) => n.slice(0, k))),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
      const text = parts.join('');
      expect(slowClassify(text)).toEqual(naive(text));
    }), { numRuns: 3000 });
  });
});
