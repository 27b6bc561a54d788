/**
 * A streaming tar reader (POSIX ustar, GNU long names and base-256 sizes, pax path/size/mtime,
 * old v7 headers). Written here rather than using modern-tar's decoder because a truncated
 * archive must keep its readable part *and* say so: modern-tar either ends silently (default)
 * or errors the whole stream (strict), without telling how much of the member was kept.
 */
import type { InputContext } from './context';
import { hasUstarMagic, parseNumeric, tarChecksumOk } from './sniff';
import { ByteSource, readExact, skip } from './source';

/** One file in an archive, as the tar and zip readers hand it to the walk. */
export interface ArchiveMember {
  /** The raw name from the archive (not yet sanitised). */
  name: string;
  /** Bytes the member occupies in the archive, when known. */
  size: number | null;
  /** Bytes once decompressed, when known. */
  expandedSize: number | null;
  lastModified?: number;
  src: ByteSource;
}

const BLOCK = 512;
const META_LIMIT = 1024 * 1024;
const utf8 = new TextDecoder();

interface Overrides {
  path?: string;
  size?: number;
  mtime?: number;
}

export async function* tarMembers(src: ByteSource, label: string, ctx: InputContext): AsyncGenerator<ArchiveMember> {
  let offset = 0;
  let next: Overrides = {};
  const corrupt = (what: string): void => ctx.report(label, `corrupt tar archive ${label}: ${what} at offset ${offset}; stopped reading it`);
  for (;;) {
    if (ctx.stopped) return;
    const header = await readExact(src, BLOCK);
    if (header.length < BLOCK) {
      if (src.failed) return;
      if (header.length === 0) ctx.report(label, `tar archive ${label} ends without an end-of-archive marker (truncated?)`);
      else ctx.report(label, `truncated tar archive ${label}: it ends inside a header at offset ${offset}`);
      return;
    }
    if (isZeroBlock(header)) return;
    if (!tarChecksumOk(header)) return corrupt('bad header checksum');
    const headerSize = parseNumeric(header, 124, 12);
    if (headerSize === null) return corrupt('bad size field');
    offset += BLOCK;
    const type = header[156] as number;

    if (type === 0x78 || type === 0x67 || type === 0x4c || type === 0x4b) {
      // pax extended ('x'), pax global ('g'), GNU long name ('L'), GNU long link name ('K')
      if (headerSize > META_LIMIT) return corrupt(`oversized metadata record (${headerSize} bytes)`);
      const padded = padTo(headerSize);
      const body = await readExact(src, padded);
      offset += body.length;
      if (body.length < padded) return truncatedHeader();
      if (type === 0x78) next = { ...next, ...parsePax(body.subarray(0, headerSize)) };
      if (type === 0x4c) next.path = cString(body, 0, headerSize);
      continue;
    }

    const name = next.path ?? ustarName(header);
    const size = next.size ?? headerSize;
    const mtime = next.mtime ?? parseNumeric(header, 136, 12);
    next = {};
    const padded = padTo(size);
    const isFile = type === 0x30 || type === 0 || type === 0x37;
    if (!isFile) {
      if (type === 0x53) ctx.report(label, `${name} in ${label} is a GNU sparse file (not supported): skipped`);
      const skipped = await skip(src, padded);
      offset += skipped;
      if (skipped < padded) return truncatedHeader();
      continue;
    }

    let remaining = size;
    let truncated = false;
    const noteTruncation = (): void => {
      if (!truncated && !src.failed) {
        ctx.report(label, `truncated tar archive ${label}: kept the first ${size - remaining} of ${size} bytes of ${name}`);
      }
      truncated = true;
    };
    const member = new ByteSource(async () => {
      if (remaining === 0) return null;
      const chunk = await src.read(remaining);
      if (!chunk) {
        noteTruncation();
        return null;
      }
      remaining -= chunk.length;
      return chunk;
    });
    yield { name, size, expandedSize: size, lastModified: mtime === null ? undefined : mtime * 1000, src: member };

    // Skip whatever the caller left unread, then the padding.
    while (remaining > 0) {
      const chunk = await src.read(remaining);
      if (!chunk) break;
      remaining -= chunk.length;
    }
    if (remaining > 0) return noteTruncation();
    offset += size + (await skip(src, padded - size));
  }

  function truncatedHeader(): void {
    if (!src.failed) ctx.report(label, `truncated tar archive ${label}: it ends inside a header at offset ${offset}`);
  }
}

const padTo = (n: number): number => n + ((BLOCK - (n % BLOCK)) % BLOCK);

function isZeroBlock(block: Uint8Array): boolean {
  for (let i = 0; i < block.length; i++) if (block[i] !== 0) return false;
  return true;
}

function cString(bytes: Uint8Array, offset: number, length: number): string {
  let end = offset;
  while (end < offset + length && bytes[end] !== 0) end++;
  return utf8.decode(bytes.subarray(offset, end));
}

/** name, with the POSIX prefix field (offset 345) when the magic is "ustar\0" (GNU uses that space otherwise). */
function ustarName(header: Uint8Array): string {
  const name = cString(header, 0, 100);
  if (!hasUstarMagic(header) || header[262] !== 0) return name;
  const prefix = cString(header, 345, 155);
  return prefix ? `${prefix}/${name}` : name;
}

/** pax records: "<length> <key>=<value>\n". */
function parsePax(body: Uint8Array): Overrides {
  const out: Overrides = {};
  let pos = 0;
  while (pos < body.length) {
    let space = pos;
    while (space < body.length && body[space] !== 0x20) space++;
    const length = Number(utf8.decode(body.subarray(pos, space)));
    if (!Number.isInteger(length) || length <= 0 || pos + length > body.length) break;
    const record = utf8.decode(body.subarray(space + 1, pos + length - 1));
    pos += length;
    const eq = record.indexOf('=');
    if (eq <= 0) continue;
    const key = record.slice(0, eq);
    const value = record.slice(eq + 1);
    if (key === 'path') out.path = value;
    else if (key === 'size' && /^\d+$/.test(value) && Number.isSafeInteger(Number(value))) out.size = Number(value);
    else if (key === 'mtime' && Number.isFinite(Number(value))) out.mtime = Math.floor(Number(value));
  }
  return out;
}
