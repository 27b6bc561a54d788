import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayName, displayText } from './display-text';

const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];

describe('displayText', () => {
  it('shows bidi overrides and isolates as visible markers', () => {
    expect(displayText('kubelet\u202Egol.exe')).toBe('kubelet⟦U+202E⟧gol.exe');
    expect(displayText('a\u2066b\u2069c')).toBe('a⟦U+2066⟧b⟦U+2069⟧c');
  });

  it('shows control characters as their pictures, keeps TAB and ordinary text', () => {
    expect(displayText('a\u0000b\u001b[31mred\r\nx\ty\u007f')).toBe('a␀b␛[31mred␍␊x\ty␡');
    expect(displayText('\u0085')).toBe('⟦U+0085⟧');
    expect(displayText('<img src=x onerror=alert(1)> 日本語 😀 é')).toBe('<img src=x onerror=alert(1)> 日本語 😀 é');
  });

  it('leaves no bidi or control character in any string, and changes nothing else', () => {
    fc.assert(fc.property(fc.string({ unit: fc.oneof(fc.constantFrom(...BIDI, '\u0000', '\u001b', '\r', '\n', '\u009b'), fc.string({ unit: 'grapheme', maxLength: 1 })), maxLength: 60 }), (s) => {
      const out = displayText(s);
      // eslint-disable-next-line no-control-regex
      expect(out).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u0000-\u0008\u000a-\u001f\u007f-\u009f]/);
      // Removing the markers and pictures gives back the string without the characters they stand for.
      const plain = [...s].filter((ch) => !BIDI.includes(ch) && !/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/.test(ch)).join(''); // eslint-disable-line no-control-regex
      expect(out.replace(/⟦U\+[0-9A-F]{4}⟧/g, '').replace(/[\u2400-\u2421]/g, '')).toBe(plain.replace(/[\u2400-\u2421]/g, ''));
    }), { numRuns: 300 });
  });
});

describe('displayName', () => {
  it('shortens a 10 KB name in the middle, keeping both ends', () => {
    const name = `bundle.tar!/${'a'.repeat(10_000)}/kubelet.log`;
    const shown = displayName(name, 100);
    expect(shown).toHaveLength(100);
    expect(shown.startsWith('bundle.tar!/')).toBe(true);
    expect(shown.endsWith('/kubelet.log')).toBe(true);
    expect(shown).toContain('…');
  });

  it('keeps short names whole', () => {
    expect(displayName('node/kubelet.log')).toBe('node/kubelet.log');
  });
});
