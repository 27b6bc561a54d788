/** Archive detection by magic bytes, and the small tar header helpers shared with the tar reader. */

export type ArchiveKind = 'gzip' | 'zip' | 'tar' | 'plain';

/** How many leading bytes sniffArchive() wants to see. */
export const SNIFF_BYTES = 512;

export function sniffArchive(head: Uint8Array): ArchiveKind {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip';
  if (hasUstarMagic(head) || (head.length >= 512 && tarChecksumOk(head))) return 'tar';
  return 'plain';
}

/** "ustar\0" (POSIX) or "ustar " (GNU) at offset 257. */
export function hasUstarMagic(block: Uint8Array): boolean {
  if (block.length < 263) return false;
  const magic = [0x75, 0x73, 0x74, 0x61, 0x72]; // "ustar"
  for (let i = 0; i < 5; i++) if (block[257 + i] !== magic[i]) return false;
  return block[262] === 0 || block[262] === 0x20;
}

/**
 * Whether a 512-byte header's checksum field matches its bytes (the field itself counted as
 * spaces). Old (v7) tars have no magic, so this is how they are recognised. Both the unsigned
 * sum (POSIX) and the signed sum (some old Unix tars) are accepted.
 */
export function tarChecksumOk(block: Uint8Array): boolean {
  if (block.length < 512 || block[0] === 0) return false;
  const stored = parseOctal(block, 148, 8);
  if (stored === null) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < 512; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : (block[i] as number);
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

/** An octal number field (leading spaces/NULs allowed, ends at NUL or space; empty = 0); null when malformed. */
export function parseOctal(block: Uint8Array, offset: number, length: number): number | null {
  let i = offset;
  const end = offset + length;
  while (i < end && (block[i] === 0x20 || block[i] === 0)) i++;
  let value = 0;
  for (; i < end; i++) {
    const b = block[i] as number;
    if (b === 0 || b === 0x20) break;
    if (b < 0x30 || b > 0x37) return null;
    value = value * 8 + (b - 0x30);
  }
  return value;
}

/** A numeric field that may use GNU base-256 (high bit of the first byte set) for large values. */
export function parseNumeric(block: Uint8Array, offset: number, length: number): number | null {
  const first = block[offset] as number;
  if ((first & 0x80) === 0) return parseOctal(block, offset, length);
  if (first & 0x40) return null; // negative
  let value = first & 0x3f;
  for (let i = 1; i < length; i++) value = value * 256 + (block[offset + i] as number);
  return Number.isSafeInteger(value) ? value : null;
}
