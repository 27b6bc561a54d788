// Building file content in chunks, and merging a file's signal lines with generated noise.

import type { Rng } from './rng';

/** Target chunk size in characters (all generated text is ASCII, so characters = bytes). */
export const CHUNK_CHARS = 512 * 1024;

export class ChunkBuffer {
  private parts: string[] = [];
  private size = 0;
  /** Characters added so far, across all chunks taken. */
  total = 0;

  add(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    this.total += s.length;
  }

  get ready(): boolean {
    return this.size >= CHUNK_CHARS;
  }

  get pending(): number {
    return this.size;
  }

  take(): string {
    const s = this.parts.join('');
    this.parts = [];
    this.size = 0;
    return s;
  }
}

/** One line (or a few) with its sort key: the time the journal received it, µs as written. */
export interface TimedLine {
  us: number;
  text: string;
}

/** Noise for a log: a burst of related full lines (each ending in `\n`) around `us`. */
export interface NoiseSource {
  burst(us: number): string;
  /** Time of the last line of the last burst. */
  readonly lastUs: number;
  /** Upper bound of a burst's own time span (its last line is at most this much after `us`). */
  readonly maxSpanUs: number;
}

export interface MergeSpec {
  /** Lines before everything else (headers). */
  head?: string;
  /** Sorted by `us`. */
  signal: readonly TimedLine[];
  noise: NoiseSource | null;
  /** Characters of noise to emit; the noise spreads evenly (by bytes) over [fromUs, toUs]. */
  noiseBudget: number;
  noiseFromUs: number;
  noiseToUs: number;
  rng: Rng;
}

/**
 * Merges signal and noise in time order. Noise bursts are placed by a byte clock: the time of a
 * burst is proportional to the noise bytes written before it, so the budget covers the window.
 */
export function* mergeStream(spec: MergeSpec): Generator<string> {
  const buf = new ChunkBuffer();
  if (spec.head) buf.add(spec.head);
  const span = Math.max(1, spec.noiseToUs - spec.noiseFromUs);
  const budget = spec.noise ? spec.noiseBudget : 0;
  let noiseBytes = 0;
  let nextNoise = budget > 0 ? spec.noiseFromUs : Number.POSITIVE_INFINITY;
  let i = 0;
  const sig = spec.signal;
  const span0 = spec.noise ? spec.noise.maxSpanUs : 0;
  for (;;) {
    const s = sig[i];
    if (s === undefined && nextNoise === Number.POSITIVE_INFINITY) break;
    if (s !== undefined && s.us <= nextNoise + span0) {
      // Signal first; a burst that would overlap it starts right after it, so times stay sorted.
      buf.add(s.text);
      i++;
      if (s.us >= nextNoise && nextNoise !== Number.POSITIVE_INFINITY) nextNoise = s.us + 1;
    } else if (spec.noise) {
      const text = spec.noise.burst(nextNoise);
      buf.add(text);
      noiseBytes += text.length;
      if (noiseBytes >= budget) {
        nextNoise = Number.POSITIVE_INFINITY;
      } else {
        const base = spec.noiseFromUs + Math.floor((noiseBytes / budget) * span);
        const gap = (text.length / budget) * span;
        nextNoise = Math.max(spec.noise.lastUs + 1, base + Math.floor(spec.rng.float() * 0.8 * gap));
      }
    } else {
      nextNoise = Number.POSITIVE_INFINITY;
    }
    if (buf.ready) yield buf.take();
  }
  if (buf.pending > 0) yield buf.take();
}

/** Yields a list of strings as chunks. */
export function* chunked(parts: Iterable<string>): Generator<string> {
  const buf = new ChunkBuffer();
  for (const p of parts) {
    buf.add(p);
    if (buf.ready) yield buf.take();
  }
  if (buf.pending > 0) yield buf.take();
}

/** Total characters a chunk generator produces (used to size small files up front). */
export function measure(gen: () => Generator<string>): number {
  let n = 0;
  for (const c of gen()) n += c.length;
  return n;
}

export function sortByTime(lines: TimedLine[]): TimedLine[] {
  return lines.sort((a, b) => a.us - b.us);
}
