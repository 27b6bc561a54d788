/**
 * Names from a bundle (file and member paths) are untrusted text. React already renders them
 * inertly; what it cannot stop is characters that make the text *look* different from what it
 * is: bidi overrides and isolates that reverse part of a name ("log\u202Etxt.exe"), and control
 * characters (NUL, ESC of ANSI colours, CR) that are invisible or move the cursor. These helpers
 * make them visible for display; the stored path is never changed.
 */

/** U+202A–U+202E (embeddings, overrides) and U+2066–U+2069 (isolates), plus the marks LRM, RLM and ALM. */
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
/** C0 controls (TAB kept), DEL and the C1 controls. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

function hex(ch: string): string {
  return ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
}

/** The text with bidi controls shown as ⟦U+202E⟧ and control characters as their Unicode pictures (␀, ␛, ␍). */
export function displayText(text: string): string {
  return text
    .replace(BIDI, (ch) => `⟦U+${hex(ch)}⟧`)
    .replace(CONTROL, (ch) => {
      const code = ch.charCodeAt(0);
      if (code < 0x20) return String.fromCharCode(0x2400 + code);
      if (code === 0x7f) return '\u2421';
      return `⟦U+${hex(ch)}⟧`;
    });
}

/** displayText, shortened in the middle to `max` characters (a 10 KB name must not fill the screen). */
export function displayName(path: string, max = 240): string {
  const text = displayText(path);
  if (text.length <= max) return text;
  const chars = [...text]; // by code point: never split a surrogate pair
  if (chars.length <= max) return text;
  const keep = max - 1;
  const head = Math.ceil(keep / 2);
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - (keep - head)).join('')}`;
}
