// The hand-over archive (`*.causeway.zip`): the bundle's files byte for byte plus the analysis file, so
// a colleague gets the logs and the analysis in one download.
//
// Layout: `analysis.causeway.json` first (stored, not deflated), then every file under the path it
// contributes to the bundle fingerprint. Re-ingesting the archive gives each file the path
// "<archive>!/<member>", whose fingerprint path is the member name again: same paths, same bytes, same
// SHA-256 fingerprint. Opening splits the archive after the first member, so the analysis file is never
// ingested as a log; the rest is an ordinary zip (members read in order, central directory ignored).

import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { fingerprintPath } from '../../core/bundle/fingerprint';

export const HANDOVER_SUFFIX = '.causeway.zip';
export const ANALYSIS_MEMBER = 'analysis.causeway.json';
/** Bytes read from storage at a time: memory holds one piece plus the compressed output in flight. */
const READ_BYTES = 4 * 1024 * 1024;

export interface ArchiveFile {
  /** The stored path ("bundle.tar.gz!/node1/var/log/x.log", "node1/var/log/x.log"). */
  path: string;
  bytes: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Whether a stored file's bytes can go in the archive (binary files skipped at ingest were not kept). */
export function bytesKept(f: { size: number; rawBytes: number; rawKey: string }): boolean {
  return f.size === 0 || (f.rawBytes > 0 && !!f.rawKey);
}

/** The member name of a stored file: its fingerprint path (the outermost archive's own name dropped). */
export function memberName(storedPath: string): string {
  return fingerprintPath(storedPath);
}

/** The archive's file name for a bundle name: only safe characters, always ending in .causeway.zip. */
export function handoverFileName(bundleName: string): string {
  const safe = bundleName.replace(/\.causeway\.zip$/i, '').replace(/[^\w.-]+/g, '_').replace(/^[_.]+|_+$/g, '');
  return `${safe || 'bundle'}${HANDOVER_SUFFIX}`;
}

/**
 * Writes the archive to `sink` as it is produced. fflate's Zip is synchronous: output produced by a
 * push is collected, then awaited into the sink before the next piece is read (backpressure).
 */
export async function writeHandover(analysisText: string, files: ArchiveFile[], sink: (chunk: Uint8Array) => Promise<void> | void): Promise<void> {
  let out: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, chunk) => {
    if (err) failure = err;
    else out.push(chunk);
  });
  const flush = async () => {
    if (failure) throw failure;
    const ready = out;
    out = [];
    for (const c of ready) await sink(c);
  };

  const analysis = new ZipPassThrough(ANALYSIS_MEMBER);
  zip.add(analysis);
  analysis.push(new TextEncoder().encode(analysisText), true);
  await flush();

  for (const f of files) {
    const member = new ZipDeflate(memberName(f.path), { level: 6 });
    zip.add(member);
    if (f.bytes === 0) member.push(new Uint8Array(0), true);
    for (let at = 0; at < f.bytes; at += READ_BYTES) {
      const want = Math.min(READ_BYTES, f.bytes - at);
      const piece = await f.read(at, want);
      if (piece.length !== want) throw new Error(`${f.path}: the stored bytes end early (${at + piece.length} of ${f.bytes})`);
      member.push(piece, at + piece.length >= f.bytes);
      await flush();
    }
    await flush();
  }
  zip.end();
  await flush();
}

const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const CENTRAL_HEADER = 0x02014b50;

export type AnalysisLocation =
  | { kind: 'found'; text: string; filesStart: number }
  | { kind: 'need-more' }
  | { kind: 'invalid'; reason: string };

const u32 = (b: Uint8Array, at: number) => ((b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) >>> 0) + b[at + 3]! * 0x1000000;
const u16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);

/**
 * Finds the analysis member in the first bytes of a hand-over archive and where the next member (the
 * first log file) starts. JSON text never holds the byte 0x03, so the first "PK\3\4" after the member's
 * data is the next header; the data descriptor just before it must give the same length.
 */
export function locateAnalysis(head: Uint8Array, complete: boolean): AnalysisLocation {
  if (head.length < 30) return complete ? { kind: 'invalid', reason: 'too short to be a zip' } : { kind: 'need-more' };
  if (u32(head, 0) !== LOCAL_HEADER) return { kind: 'invalid', reason: 'not a zip archive' };
  const nameLength = u16(head, 26);
  const dataStart = 30 + nameLength + u16(head, 28);
  if (head.length < dataStart) return complete ? { kind: 'invalid', reason: 'damaged first entry' } : { kind: 'need-more' };
  const name = new TextDecoder().decode(head.subarray(30, 30 + nameLength));
  if (name !== ANALYSIS_MEMBER || u16(head, 8) !== 0) return { kind: 'invalid', reason: `its first entry is not a stored ${ANALYSIS_MEMBER}` };
  for (let at = dataStart; at + 4 <= head.length; at++) {
    if (head[at] !== 0x50 || head[at + 1] !== 0x4b) continue;
    const sig = u32(head, at);
    if (sig !== LOCAL_HEADER && sig !== CENTRAL_HEADER) continue;
    const end = at - 16;
    if (end < dataStart || u32(head, end) !== DATA_DESCRIPTOR || u32(head, end + 8) !== end - dataStart) {
      return { kind: 'invalid', reason: `damaged ${ANALYSIS_MEMBER} entry` };
    }
    if (sig === CENTRAL_HEADER) return { kind: 'invalid', reason: 'it holds no log files' };
    return { kind: 'found', text: new TextDecoder().decode(head.subarray(dataStart, end)), filesStart: at };
  }
  return complete ? { kind: 'invalid', reason: `the ${ANALYSIS_MEMBER} entry does not end` } : { kind: 'need-more' };
}
