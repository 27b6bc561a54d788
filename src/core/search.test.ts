import { describe, expect, it } from 'vitest';
import { compileQuery, LineScanner, matchLines, matchRanges, type Matcher, type SearchMatch, type SearchQuery } from './search';
import { generateScenario } from './scenarios';

const enc = new TextEncoder();

function matcherOf(q: Partial<SearchQuery> & { text: string }): Matcher {
  const c = compileQuery({ regex: false, caseSensitive: false, ...q });
  if ('error' in c) throw new Error(c.error);
  return c.matcher;
}

/** Scans bytes cut into chunks at the given positions. */
function scan(bytes: Uint8Array, m: Matcher, cuts: number[] = []): number[] {
  const out: number[] = [];
  const s = new LineScanner(m, (o) => out.push(o));
  let prev = 0;
  for (const c of [...cuts, bytes.length]) {
    s.push(bytes.subarray(prev, c));
    prev = c;
  }
  s.end();
  return out;
}

/** The obvious reference: split the bytes at newlines, decode each line, test it. */
function reference(bytes: Uint8Array, test: (line: string) => boolean): number[] {
  const out: number[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(10, start);
    if (end < 0) end = bytes.length;
    let line = new TextDecoder().decode(bytes.subarray(start, end));
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (test(line)) out.push(start);
    start = end + 1;
  }
  return out;
}

describe('LineScanner', () => {
  const text = 'alpha Error one\nbeta ok\r\ngamma error two error\r\nδέλτα ÉRROR ünï error\nlast error';
  const bytes = enc.encode(text);

  it('finds literal lines on bytes, with and without case, once per line', () => {
    const bytesMatcher = (t: string, caseSensitive: boolean): Matcher => ({ kind: 'bytes', needle: enc.encode(t), caseSensitive, anchor: 1 });
    for (const m of [matcherOf({ text: 'error' }), bytesMatcher('error', false)]) {
      expect(scan(bytes, m)).toEqual(reference(bytes, (l) => /error/i.test(l)));
    }
    for (const m of [matcherOf({ text: 'error', caseSensitive: true }), bytesMatcher('error', true)]) {
      expect(scan(bytes, m)).toEqual(reference(bytes, (l) => l.includes('error')));
    }
    expect(scan(bytes, bytesMatcher('Error', true))).toEqual([0]);
    // A needle with a rare byte takes the byte path.
    const rare = matcherOf({ text: 'o, "[x]"' });
    expect(rare.kind).toBe('bytes');
    const b2 = enc.encode('a O, "[X]" b\nnone\r\nzz o, "[x]"');
    expect(scan(b2, rare)).toEqual([0, 19]);
  });

  it('reports byte offsets after multibyte UTF-8 text', () => {
    const got = scan(bytes, matcherOf({ text: 'ünï' }));
    expect(got).toEqual(reference(bytes, (l) => l.includes('ünï')));
    expect(got[0]).toBe(enc.encode(text.slice(0, text.indexOf('δέλτα'))).length);
    // The offset is in bytes: decoding from it gives the line.
    expect(new TextDecoder().decode(bytes.subarray(got[0]!)).startsWith('δέλτα')).toBe(true);
    expect(scan(bytes, matcherOf({ text: 'ÜNÏ' }))).toEqual(got); // non-ASCII without case: regex path
  });

  it('runs regexes per line with ^ and $ at line ends, CRLF included', () => {
    const m = matcherOf({ text: 'error$', regex: true });
    expect(m.kind).toBe('regex');
    expect(scan(bytes, m)).toEqual(reference(bytes, (l) => /error$/i.test(l)));
    expect(scan(bytes, matcherOf({ text: '^(beta|last)', regex: true }))).toEqual(reference(bytes, (l) => /^(beta|last)/i.test(l)));
    // An empty match matches every line without looping forever.
    expect(scan(bytes, matcherOf({ text: 'x*', regex: true }))).toHaveLength(5);
  });

  it('finds a match cut by a chunk boundary, at every cut position', () => {
    for (const m of [matcherOf({ text: 'error two' }), { kind: 'bytes', needle: enc.encode('two error'), caseSensitive: false, anchor: 3 } as Matcher, matcherOf({ text: 'ünï.err', regex: true }), matcherOf({ text: 'ÉRROR' })]) {
      const want = scan(bytes, m);
      expect(want.length).toBeGreaterThan(0);
      for (let cut = 1; cut < bytes.length; cut++) expect(scan(bytes, m, [cut])).toEqual(want);
      expect(scan(bytes, m, Array.from({ length: bytes.length - 1 }, (_, i) => i + 1))).toEqual(want);
    }
  });

  it('keeps line offsets right after invalid UTF-8', () => {
    const bad = new Uint8Array([0xe2, 0x82, 0x41, 0xff, 10, ...enc.encode('x needle y\n'), 0xc3, 10, ...enc.encode('needle')]);
    const want = [5, 18];
    expect(scan(bad, matcherOf({ text: 'needle', regex: true }))).toEqual(want);
    expect(scan(bad, { kind: 'bytes', needle: enc.encode('needle'), caseSensitive: true, anchor: 0 })).toEqual(want);
  });

  it('reports an invalid regex as an error', () => {
    const c = compileQuery({ text: 'a(b', regex: true, caseSensitive: false });
    expect('error' in c && c.error).toMatch(/Invalid regular expression|Unterminated group/);
    // The same text as a literal is fine.
    expect('matcher' in compileQuery({ text: 'a(b', regex: false, caseSensitive: false })).toBe(true);
  });

  it('agrees with the line-by-line reference on a generated bundle, chunked', () => {
    const s = generateScenario({ scenario: 'io-storm-umount-bbolt', seed: 11, targetBytes: 400_000, zoneOffsetMin: 120, skewUs: 0 });
    const file = s.files.find((f) => /kubelet/.test(f.path))!;
    const chunks: Uint8Array[] = [];
    for (const c of file.chunks()) chunks.push(typeof c === 'string' ? enc.encode(c) : c);
    const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) { all.set(c, at); at += c.length; }
    for (const [q, re] of [
      [{ text: 'pleg', regex: false }, /pleg/i],
      [{ text: 'E\\d{4} .*(timeout|deadline)', regex: true }, /E\d{4} .*(timeout|deadline)/i],
    ] as const) {
      const want = reference(all, (l) => re.test(l));
      expect(want.length).toBeGreaterThan(0);
      const cuts = [4096, 4097, 70_001, 70_002, 123_457].filter((c) => c < all.length);
      expect(scan(all, matcherOf({ ...q }), cuts)).toEqual(want);
    }
  });
});

describe('matchLines', () => {
  it('joins line starts to the index of each source, with the shift and a level filter', () => {
    const block = (offs: number[], lvls: number[]) => ({
      count: offs.length, ts: Float64Array.from(offs, (o) => 1000 + o), offset: Float64Array.from(offs),
      length: Uint32Array.from(offs, () => 5), level: Uint8Array.from(lvls),
    });
    const out: SearchMatch[] = [];
    matchLines([0, 20, 40, 60], [
      { sourceId: 'f:a', shift: 7, blocks: [block([0, 10], [3, 3]), block([40], [5])] },
      { sourceId: 'f:b', shift: 0, blocks: [block([20, 30, 60], [3, 0x80 | 5, 2])] },
    ], (l) => (l & 0x7f) >= 3, out);
    expect(out).toEqual([
      { sourceId: 'f:a', ts: 1007, offset: 0, length: 5 },
      { sourceId: 'f:a', ts: 1047, offset: 40, length: 5 },
      { sourceId: 'f:b', ts: 1020, offset: 20, length: 5 },
    ]);
  });
});

describe('matchRanges', () => {
  it('lists highlight ranges in a decoded line', () => {
    expect(matchRanges('Error: error', matcherOf({ text: 'error' }))).toEqual([[0, 5], [7, 12]]);
    expect(matchRanges('a1 b22', matcherOf({ text: '\\d+', regex: true }))).toEqual([[1, 2], [4, 6]]);
  });
});
