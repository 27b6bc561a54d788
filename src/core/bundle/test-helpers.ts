/** Test helpers: in-memory inputs, a tiny tar writer for odd headers, and walk collection. */
import { walkInputs } from './walk';
import type { InputFile, WalkOptions, WalkProblem } from './types';

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
export const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** An input whose stream hands out `bytes` in chunks of `chunk` bytes. */
export function memInput(path: string, bytes: Uint8Array, chunk = 64 * 1024): InputFile {
  return {
    path,
    size: bytes.length,
    stream: () => {
      let at = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (at >= bytes.length) return controller.close();
          controller.enqueue(bytes.slice(at, at + chunk));
          at += chunk;
        },
      });
    },
    slice: async (start, end) => bytes.slice(start, end),
  };
}

export interface TarFile {
  name: string;
  data?: Uint8Array | string;
  /** typeflag character: '0' file (default), '2' symlink, '5' directory, 'L' GNU long name, ... */
  type?: string;
  /** Write an old v7 header (no "ustar" magic). */
  v7?: boolean;
  /** Size written in the header instead of the data's (the data is then not written: for headers alone). */
  declaredSize?: number;
}

function octal(block: Uint8Array, offset: number, length: number, value: number): void {
  block.set(enc(value.toString(8).padStart(length - 1, '0')), offset);
}

/** A minimal tar writer (names up to 100 bytes; use a GNU 'L' entry before longer ones). */
export function tarBytes(files: TarFile[], endMarker = true): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const f of files) {
    const data = typeof f.data === 'string' ? enc(f.data) : (f.data ?? new Uint8Array(0));
    const h = new Uint8Array(512);
    h.set(enc(f.name).subarray(0, 100), 0);
    octal(h, 100, 8, 0o644);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, f.declaredSize ?? data.length);
    octal(h, 136, 12, 1_700_000_000);
    h[156] = (f.type ?? '0').charCodeAt(0);
    if (!f.v7) h.set(enc('ustar\u000000'), 257);
    h.fill(0x20, 148, 156);
    const sum = h.reduce((a, b) => a + b, 0);
    h.set(enc(sum.toString(8).padStart(6, '0') + '\u0000 '), 148);
    if (f.declaredSize !== undefined) parts.push(h);
    else parts.push(h, data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  if (endMarker) parts.push(new Uint8Array(1024));
  return concat(parts);
}

export interface Collected {
  path: string;
  text: string;
  size: number;
  errors: string[];
  notes?: string[];
  archive?: string;
}

/** Walks the inputs reading every entry to its end. */
export async function collect(
  inputs: InputFile[],
  opts: WalkOptions = {},
): Promise<{ entries: Collected[]; problems: WalkProblem[] }> {
  const entries: Collected[] = [];
  const problems: WalkProblem[] = [];
  for await (const e of walkInputs(inputs, opts, (p) => problems.push(p))) {
    const bytes = new Uint8Array(await new Response(e.stream).arrayBuffer());
    entries.push({ path: e.path, text: dec(bytes), size: bytes.length, errors: e.errors, notes: e.notes, archive: e.archive });
  }
  return { entries, problems };
}

/** Deterministic pseudo-random log-like text. */
export function logText(lines: number, seed = 1): string {
  let x = seed;
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out.push(`I0612 10:11:${String(i % 60).padStart(2, '0')}.${x % 1000000} 1234 kubelet.go:${x % 3000}] line ${i} value=${x.toString(36)}`);
  }
  return out.join('\n') + '\n';
}
