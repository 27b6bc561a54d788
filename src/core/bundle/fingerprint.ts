/**
 * Content digests computed during the single read of the bytes, and bundle-level keys.
 *
 * File digest = SHA-256 tree: SHA-256 of each 4 MiB piece (exact boundaries whatever the
 * chunking; the last piece shorter), then SHA-256 over the concatenated piece digests, as hex.
 * An empty file hashes zero pieces: SHA-256 of the empty string. Pieces go to the native
 * crypto.subtle.digest, which copies its input, so one 4 MiB buffer is reused.
 */
import type { InputFile } from './types';

export const PIECE_BYTES = 4 * 1024 * 1024;
const PROBE_BYTES = 64 * 1024;
/** Pieces hashed concurrently with the caller's work before update() asks it to wait. */
const MAX_IN_FLIGHT = 2;

export interface Digester {
  /** Feeds the next bytes; await the result (when it is a promise) to apply backpressure. */
  update(chunk: Uint8Array): Promise<void> | void;
  /** The hex digest of everything fed; call once, after the last update. */
  digest(): Promise<string>;
}

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let out = '';
  for (let i = 0; i < view.length; i++) out += (view[i] as number).toString(16).padStart(2, '0');
  return out;
}

export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return toHex(await subtle().digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

export function createDigester(): Digester {
  // The piece buffer is allocated only once a file's bytes do not arrive in whole pieces, and only
  // as large as needed: thousands of tiny files must not each cost 4 MiB.
  let piece = new Uint8Array(0);
  let filled = 0;
  const pieces: Promise<ArrayBuffer>[] = [];
  let settled = 0;
  let finished = false;

  const hashPiece = (bytes: Uint8Array): void => {
    pieces.push(subtle().digest('SHA-256', bytes as Uint8Array<ArrayBuffer>).finally(() => settled++));
  };

  return {
    update(chunk) {
      if (finished) throw new Error('digest() was already called');
      let at = 0;
      while (at < chunk.length) {
        if (filled === 0 && chunk.length - at >= PIECE_BYTES) {
          hashPiece(chunk.subarray(at, at + PIECE_BYTES)); // aligned: no copy here (digest copies)
          at += PIECE_BYTES;
          continue;
        }
        const take = Math.min(PIECE_BYTES - filled, chunk.length - at);
        if (filled + take > piece.length) {
          const bigger = new Uint8Array(Math.min(PIECE_BYTES, Math.max(filled + take, piece.length * 2)));
          bigger.set(piece.subarray(0, filled));
          piece = bigger;
        }
        piece.set(chunk.subarray(at, at + take), filled);
        filled += take;
        at += take;
        if (filled === PIECE_BYTES) {
          hashPiece(piece);
          // digest() copies its input, but not synchronously everywhere: start a fresh buffer.
          piece = new Uint8Array(PIECE_BYTES);
          filled = 0;
        }
      }
      // Hashing runs off the main thread; wait only when too many pieces are queued.
      const waitFor = pieces[pieces.length - 1 - MAX_IN_FLIGHT];
      return pieces.length - settled > MAX_IN_FLIGHT && waitFor ? waitFor.then(() => undefined) : undefined;
    },
    async digest() {
      finished = true;
      if (filled > 0) hashPiece(piece.subarray(0, filled));
      const digests = await Promise.all(pieces);
      const joined = new Uint8Array(digests.length * 32);
      digests.forEach((d, i) => joined.set(new Uint8Array(d), i * 32));
      return sha256Hex(joined);
    },
  };
}

/**
 * The path a file contributes to the bundle fingerprint: the outermost archive's own name is
 * dropped ("bundle-2024.tar.gz!/node1/var/log/x.log" → "node1/var/log/x.log"), so the same
 * logs hash the same whether dropped as a folder "node1" or as any archive of that folder,
 * whatever the archive is called. Nested archive names stay ("a.tar!/inner.tgz!/x" → "inner.tgz!/x").
 */
export function fingerprintPath(entryPath: string): string {
  const bang = entryPath.indexOf('!/');
  return bang >= 0 ? entryPath.slice(bang + 2) : entryPath;
}

/** SHA-256 over the sorted "path\0digest\n" lines, paths normalised with fingerprintPath(). */
export async function bundleFingerprint(files: { path: string; digest: string }[]): Promise<string> {
  const lines = files.map((f) => `${fingerprintPath(f.path)}\0${f.digest}\n`);
  lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return sha256Hex(lines.join(''));
}

/**
 * A cheap key to recognise a drop seen before, without reading it all: names, sizes and the
 * SHA-256 of the first and last 64 KiB of each input (names and sizes only for inputs that
 * cannot read slices).
 */
const PROBE_SAMPLED_INPUTS = 32;

export async function probeKey(inputs: InputFile[]): Promise<string> {
  const sorted = [...inputs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // Head and tail bytes of the largest inputs only: a drop of 10,000 files stays instant.
  const sampled = new Set([...inputs].sort((a, b) => b.size - a.size).slice(0, PROBE_SAMPLED_INPUTS));
  // All reads and hashes at once: each is a round trip, and they add up before an ingest can start.
  const lines = await Promise.all(sorted.map(async (input) => {
    const line = `${input.path}\0${input.size}`;
    if (!input.slice || !sampled.has(input)) return `${line}\n`;
    const [first, last] = await Promise.all([
      input.slice(0, Math.min(PROBE_BYTES, input.size)).then(sha256Hex),
      input.slice(Math.max(0, input.size - PROBE_BYTES), input.size).then(sha256Hex),
    ]);
    return `${line}\0${first}\0${last}\n`;
  }));
  return sha256Hex(lines.join(''));
}
