/**
 * Is this file text we can parse? Decided from its first bytes (a few KiB are plenty): known
 * binary magic first, then NUL bytes, control bytes and invalid UTF-8. UTF-8 text with a few
 * bad bytes or replacement characters (U+FFFD) is still text, and so is a log with zero-filled
 * blocks (a crash leaves them at its tail, in its middle or at its head).
 */

interface Magic {
  bytes: number[];
  at?: number;
  what: string;
}

const MAGICS: Magic[] = [
  { bytes: [0x1f, 0x8b], what: 'gzip data' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'zip archive' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'ELF executable' },
  { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], what: 'PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'GIF image' },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], what: 'PDF document' },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], what: 'zstd data' },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'xz data' },
  { bytes: [0x42, 0x5a, 0x68], what: 'bzip2 data' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], what: '7-zip archive' },
  { bytes: [0x75, 0x73, 0x74, 0x61, 0x72], at: 257, what: 'tar archive' },
  { bytes: [0x4c, 0x50, 0x4b, 0x53, 0x48, 0x48, 0x52, 0x48], what: 'systemd journal file (export it with journalctl -o export or json)' },
  { bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66], what: 'SQLite database' },
  { bytes: [0x00, 0x61, 0x73, 0x6d], what: 'WebAssembly module' },
  { bytes: [0xd4, 0xc3, 0xb2, 0xa1], what: 'pcap capture' },
  { bytes: [0xa1, 0xb2, 0xc3, 0xd4], what: 'pcap capture' },
  { bytes: [0x0a, 0x0d, 0x0d, 0x0a], what: 'pcapng capture' },
  { bytes: [0xff, 0xfe], what: 'UTF-16 text (not supported)' },
  { bytes: [0xfe, 0xff], what: 'UTF-16 text (not supported)' },
];

const CONTROL_LIMIT = 0.05;
/** NUL runs at least this long (or reaching the end of the head) are zero-filled blocks, not content. */
export const ZERO_FILL_RUN = 8;
const INVALID_UTF8_LIMIT = 0.05;

export function looksBinary(head: Uint8Array): boolean {
  return describeBinary(head) !== null;
}

/** A short reason why `head` is not text ("ELF executable", "contains NUL bytes", ...), or null for text. */
export function describeBinary(head: Uint8Array): string | null {
  if (head.length === 0) return null;
  for (const magic of MAGICS) {
    const at = magic.at ?? 0;
    if (head.length >= at + magic.bytes.length && magic.bytes.every((b, i) => head[at + i] === b)) {
      if (magic.what !== 'bzip2 data' || isBzip2(head)) return magic.what;
    }
  }
  // Runs of NUL bytes are zero-filled blocks: a crash (delayed allocation) or a preallocated log
  // leaves them at the tail, in the middle or at the head of a text log. They are not judged; a
  // stray NUL (binary records, UTF-16, corruption) makes the file binary, as it always did.
  let control = 0;
  let stray = 0;
  let zeroFilled = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i] as number;
    if (b === 0) {
      let run = 1;
      while (i + run < head.length && head[i + run] === 0) run++;
      if (run >= ZERO_FILL_RUN || i + run === head.length) zeroFilled += run;
      else stray += run;
      i += run - 1;
    } else if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x1b && b !== 0x0c && b !== 0x08) || b === 0x7f) {
      control++;
    }
  }
  const judged = head.length - zeroFilled;
  if (judged === 0) return 'only NUL bytes';
  if (stray > 0) return 'contains NUL bytes';
  if (control > judged * CONTROL_LIMIT) return `mostly control bytes (${percent(control, judged)})`;
  const invalid = invalidUtf8Bytes(head);
  if (invalid > judged * INVALID_UTF8_LIMIT) return `not UTF-8 text (${percent(invalid, judged)} invalid bytes)`;
  return null;
}

/** "BZh" + block size digit + the block magic, so a text file starting with "BZh" stays text. */
function isBzip2(head: Uint8Array): boolean {
  const level = head[3] ?? 0;
  const block = [0x31, 0x41, 0x59, 0x26, 0x53, 0x59];
  return level >= 0x31 && level <= 0x39 && block.every((b, i) => head[4 + i] === b);
}

const percent = (part: number, whole: number): string => `${Math.round((part / Math.max(whole, 1)) * 100)}%`;

/** Bytes that are not part of a well-formed UTF-8 sequence; a sequence cut by the end of `bytes` is fine. */
export function invalidUtf8Bytes(bytes: Uint8Array): number {
  let invalid = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else {
      invalid++;
      i++;
      continue;
    }
    let cp = b & (0x3f >> need);
    let j = 1;
    for (; j <= need && i + j < bytes.length; j++) {
      const c = bytes[i + j] as number;
      if ((c & 0xc0) !== 0x80) break;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (i + j >= bytes.length && j <= need) break; // cut by the end of the head
    if (j <= need || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      invalid++;
      i++;
      continue;
    }
    i += need + 1;
  }
  return invalid;
}
