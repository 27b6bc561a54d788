/**
 * What every fuzz case must hold, per target. A target resolves when the case is fine and
 * throws a FuzzViolation (or the pipeline's own exception) when it is not; the property tests
 * and `npm run fuzz` share these, so a saved crash replays the same way in both.
 */
import { memInput } from '../src/core/bundle/test-helpers';
import { walkInputs } from '../src/core/bundle/walk';
import type { WalkProblem } from '../src/core/bundle/types';
import { evaluatePattern } from '../src/core/chains/engine';
import { incidentFindings, input as findingsInput } from '../src/core/chains/test-findings';
import { validatePattern } from '../src/core/chains/validate';
import type { BundleEntry as Entry } from '../src/core/bundle/types';
import { checkRun } from '../src/core/formats/property-helpers';
import { ingestEntry, type EntryResult } from '../src/core/ingest';
import type { LineBlock } from '../src/core/model';
import { decodeShare, ShareError } from '../src/core/share/codec';

export class FuzzViolation extends Error {
  override name = 'FuzzViolation';
}

/**
 * Generous on purpose (2 shared cores, JIT warm-up, GC): a fixed allowance plus time per MB
 * far above the pipeline's normal speed. Work that grows faster than the input still shows.
 */
export function timeBudgetMs(bytes: number): number {
  return 3000 + 4000 * (bytes / (1 << 20));
}

function within(what: string, startMs: number, bytes: number): void {
  const took = performance.now() - startMs;
  if (took > timeBudgetMs(bytes)) throw new FuzzViolation(`${what}: ${took.toFixed(0)} ms for ${bytes} bytes (budget ${timeBudgetMs(bytes).toFixed(0)} ms)`);
}

/** Every problem message must let the user find the file: it names the entry or the input it came from. */
function namesFile(messages: readonly string[], names: readonly string[], what: string): void {
  for (const m of messages) {
    if (!names.some((n) => n.length > 0 && m.includes(n))) throw new FuzzViolation(`${what}: message does not name the file (${names.join(' / ')}): ${JSON.stringify(m)}`);
  }
}

async function ingest(entry: Entry, formatId?: string): Promise<{ result: EntryResult; blocks: LineBlock[] }> {
  const blocks: LineBlock[] = [];
  const result = await ingestEntry(entry, {
    fileId: 'fz', formatId, year: 2024,
    sink: { raw: () => undefined, block: (b) => void blocks.push(b), extras: () => undefined },
  });
  return { result, blocks };
}

/**
 * Chunk boundaries matter, chunk counts do not: a 1-byte chunk size on a 200 KB input measures
 * the stream machinery (~100 µs a chunk through a DecompressionStream), not our code. Files reach
 * the pipeline in 64 KiB chunks; fuzz cases use at most 1024 chunks.
 */
function chunkSize(preferred: number, bytes: number): number {
  return Math.max(preferred, Math.ceil(bytes / 1024));
}

/** An entry whose stream is pulled chunk by chunk, as a File's is (linear in the chunk count, unlike enqueuing all upfront). */
function entryOf(path: string, bytes: Uint8Array, preferredChunk: number): Entry {
  const chunk = chunkSize(preferredChunk, bytes.length);
  let at = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (at >= bytes.length) return c.close();
      c.enqueue(bytes.slice(at, at + chunk));
      at += chunk;
    },
  }, { highWaterMark: 0 });
  return { path, size: bytes.length, errors: [], stream };
}

export interface IngestCase {
  name: string;
  bytes: Uint8Array;
  /** Forced format (as when the user picks one); detection otherwise. */
  formatId?: string;
  chunk?: number;
}

/** One file through ingestEntry: resolves, accounts for every line, names the file in every error, in bounded time. */
export async function ingestTarget(c: IngestCase): Promise<void> {
  const t0 = performance.now();
  const run = await ingest(entryOf(c.name, c.bytes, c.chunk ?? 4096), c.formatId);
  within(`ingest ${c.formatId ?? 'detected'}`, t0, c.bytes.length);
  checkRun(c.bytes, run);
  namesFile(run.result.errors, [c.name], `ingest ${run.result.format}`);
}

export interface WalkCase {
  name: string;
  bytes: Uint8Array;
  chunk?: number;
}

const AFTER = 'after.log';

/**
 * An input through the walker and every entry through ingestEntry, followed by a plain file:
 * nothing throws, every entry comes from the input, every problem and error names its file,
 * the next input is still read whole, and the time is bounded by the bytes expanded.
 */
export async function walkTarget(c: WalkCase): Promise<void> {
  const t0 = performance.now();
  const problems: WalkProblem[] = [];
  const inputs = [memInput(c.name, c.bytes, chunkSize(c.chunk ?? 64 * 1024, c.bytes.length)), memInput(AFTER, new TextEncoder().encode('still here\n'))];
  let expanded = c.bytes.length;
  const results: EntryResult[] = [];
  for await (const entry of walkInputs(inputs, { maxExpandedBytes: 64 << 20, ratioGraceBytes: 8 << 20 }, (p) => problems.push(p))) {
    if (entry.path !== AFTER && entry.path !== c.name && entry.archive !== c.name) {
      throw new FuzzViolation(`walk: entry ${JSON.stringify(entry.path)} does not come from ${c.name}`);
    }
    const { result } = await ingest(entry);
    expanded += result.bytes;
    results.push(result);
    namesFile(result.errors, [result.path, c.name], `walk entry ${result.path}`);
  }
  within('walk', t0, expanded);
  for (const p of problems) {
    if (p.path !== c.name && !p.path.startsWith(`${c.name}!/`)) throw new FuzzViolation(`walk: problem reported against ${JSON.stringify(p.path)}, not ${c.name}`);
    namesFile([p.message], [p.path, c.name], 'walk problem');
  }
  const last = results.at(-1);
  if (!last || last.path !== AFTER || last.lines !== 1 || last.errors.length > 0) {
    throw new FuzzViolation(`walk: the input after ${c.name} was not read whole (${last ? `${last.path}: ${last.lines} lines, ${last.errors.join('; ')}` : 'no entries'})`);
  }
}

/** A link through decodeShare: a valid state or a ShareError with a message, never another exception. */
export async function shareTarget(token: string, passphrase?: string): Promise<void> {
  const t0 = performance.now();
  try {
    await decodeShare(token, passphrase);
  } catch (error) {
    if (!(error instanceof ShareError) || error.message.length === 0) {
      throw new FuzzViolation(`decodeShare threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)} for ${JSON.stringify(token.slice(0, 200))}`);
    }
  }
  // A passphrase costs a 600k-round PBKDF2 (seconds on a loaded machine), outside the codec's own work.
  within('decodeShare', t0 + (passphrase ? 15_000 : 0), token.length);
}

/** A JSON value through validatePattern: errors with paths, or a pattern the engine can evaluate. */
export function patternTarget(value: unknown): void {
  const t0 = performance.now();
  const v = validatePattern(value);
  if (v.ok) {
    const chain = evaluatePattern(v.pattern, incidentFindings(), findingsInput);
    if (!(chain.confidence >= 0 && chain.confidence <= 1)) throw new FuzzViolation(`pattern accepted but its confidence is ${chain.confidence}`);
  } else {
    if (v.errors.length === 0) throw new FuzzViolation('pattern refused without an error');
    for (const e of v.errors) if (!e.path.startsWith('$') || !e.message) throw new FuzzViolation(`validation error without path or message: ${JSON.stringify(e)}`);
  }
  within('validatePattern', t0, 0);
}
