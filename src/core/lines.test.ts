import { describe, expect, it } from 'vitest';
import { LineSplitter } from './lines';

function split(chunks: Uint8Array[], maxLineBytes?: number) {
  const lines: { text: string; offset: number; length: number }[] = [];
  const s = new LineSplitter({ line: (text, offset, length) => lines.push({ text, offset, length }) }, maxLineBytes);
  for (const c of chunks) s.push(c);
  s.end();
  return { lines, stats: s.stats };
}

const enc = new TextEncoder();

function chunked(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.slice(i, i + size));
  return out;
}

describe('LineSplitter', () => {
  const text = 'alpha\nbéta ünïcode ✓\r\n\ngamma 🚀 end\nlast line without newline';
  const bytes = enc.encode(text);

  it.each([1, 2, 3, 5, 7, 64, 1 << 20])('gives the same lines and byte offsets whatever the chunk size (%i)', (size) => {
    const { lines, stats } = split(chunked(bytes, size));
    expect(lines.map((l) => l.text)).toEqual(['alpha', 'béta ünïcode ✓', '', 'gamma 🚀 end', 'last line without newline']);
    for (const l of lines) {
      // Offsets point at the line's own bytes in the file.
      expect(new TextDecoder().decode(bytes.subarray(l.offset, l.offset + l.length))).toBe(l.text);
    }
    expect(stats.crlf).toBe(1);
    expect(stats.lines).toBe(5);
  });

  it.each([1, 5, 4096])('cuts a zero-filled block from the text it precedes, never from the bytes (chunks of %i)', (size) => {
    const zeros = (n: number) => '\0'.repeat(n);
    const text = `${zeros(20)}first\ncut mid-li${zeros(300)}next boot\nstray\0nul kept\nshort\0\0\0run kept\n${zeros(4)}\n`;
    const bytes = enc.encode(text);
    const { lines, stats } = split(chunked(bytes, size));
    expect(lines.map((l) => l.text)).toEqual(['first', 'next boot', 'stray\0nul kept', 'short\0\0\0run kept', '\0\0\0\0']);
    expect(lines.map((l) => l.length)).toEqual(text.split('\n').slice(0, -1).map((l) => l.length));
    expect(stats.zeroFilled).toBe(2);
  });

  it('decodes invalid UTF-8 with replacement characters and counts them, offsets stay exact', () => {
    const bad = new Uint8Array([0x61, 0xff, 0x62, 0x0a, 0xc3, 0x28, 0x0a, 0x7a]);
    const { lines, stats } = split([bad]);
    expect(lines.map((l) => l.text)).toEqual(['a\uFFFDb', '\uFFFD(', 'z']);
    expect(lines.map((l) => [l.offset, l.length])).toEqual([[0, 3], [4, 2], [7, 1]]);
    expect(stats.replacementChars).toBe(2);
  });

  it('keeps a line longer than the limit with its full length but decodes only its head', () => {
    const long = new Uint8Array(5000).fill(0x78);
    const all = new Uint8Array([...enc.encode('before\n'), ...long, 0x0a, ...enc.encode('after\n')]);
    const { lines, stats } = split(chunked(all, 333), 1024);
    expect(lines.map((l) => l.text.length)).toEqual([6, 1024, 5]);
    expect(lines[1]).toMatchObject({ offset: 7, length: 5000 });
    expect(lines[2]).toMatchObject({ text: 'after', offset: 5008 });
    expect(stats.longLines).toBe(1);
  });

  it('handles an overlong last line without a newline', () => {
    const { lines } = split(chunked(new Uint8Array(3000).fill(0x41), 100), 1000);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ offset: 0, length: 3000 });
  });
});
