import { gzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { describeBinary, invalidUtf8Bytes, looksBinary } from './binary';
import { concat, enc } from './test-helpers';

const log = enc('I0612 10:11:12.123456    1234 kubelet.go:2345] "SyncLoop (PLEG): event for pod"\n'.repeat(20));
const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);

describe('describeBinary', () => {
  it.each([
    ['ELF executable', concat([bytes(0x7f, 0x45, 0x4c, 0x46, 2, 1, 1), new Uint8Array(100)])],
    ['PNG image', concat([bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), new Uint8Array(50)])],
    ['gzip data', gzipSync(log)],
    ['zip archive', zipSync({ 'a.log': log })],
    ['systemd journal file', concat([enc('LPKSHHRH'), new Uint8Array(100)])],
    ['contains NUL bytes', concat([log, bytes(0, 1, 2, 3), log])],
    // Fixed-size binary records: short NUL runs between other bytes.
    ['contains NUL bytes', concat(Array.from({ length: 200 }, (_, i) => bytes(i & 0xff, 0, 0, 0, 0x41, 0x42, 0, 0x10)))],
    ['only NUL bytes', new Uint8Array(4096)],
    ['mostly control bytes', concat([enc('abc'), new Uint8Array(200).fill(0x01)])],
    ['not UTF-8 text', Uint8Array.from({ length: 4096 }, (_, i) => 0x80 + ((i * 7) % 128))],
    ['UTF-16 text', concat([bytes(0xff, 0xfe), enc('h\0i\0')])],
  ])('%s', (reason, head) => {
    expect(describeBinary(head)).toContain(reason);
    expect(looksBinary(head)).toBe(true);
  });

  it.each([
    ['a plain log', log],
    ['an empty head', new Uint8Array(0)],
    ['ANSI colours, tabs, CRLF', enc('\x1b[31mERROR\x1b[0m\tfailed\r\n'.repeat(50))],
    ['UTF-8 with replacement characters', enc(`${'ok \uFFFD line ünïcödé 日本語\n'.repeat(50)}`)],
    ['a few invalid bytes', concat([log, bytes(0xff, 0xc3), log])],
    ['a character cut at the end of the head', concat([log, bytes(0xe6, 0x97)])],
    ['text whose tail was zero-filled by a crash', concat([log, new Uint8Array(500)])],
    ['text with a zero-filled block in the middle', concat([log, new Uint8Array(4096), log])],
    ['text after a zero-filled head', concat([new Uint8Array(6000), log])],
    ['text starting with BZh', enc('BZh is not always bzip2\n')],
  ])('%s is text', (_name, head) => {
    expect(describeBinary(head)).toBeNull();
    expect(looksBinary(head)).toBe(false);
  });
});

describe('invalidUtf8Bytes', () => {
  it('counts overlongs, surrogates and stray continuations, not complete sequences', () => {
    expect(invalidUtf8Bytes(enc('héllo 日本 🎉'))).toBe(0);
    expect(invalidUtf8Bytes(bytes(0xc0, 0xaf))).toBe(2); // overlong "/"
    expect(invalidUtf8Bytes(bytes(0xed, 0xa0, 0x80, 0x41))).toBe(3); // surrogate half
    expect(invalidUtf8Bytes(bytes(0x80, 0x41, 0xbf))).toBe(2);
    expect(invalidUtf8Bytes(bytes(0x41, 0xf0, 0x9f))).toBe(0); // cut at the end
  });
});
