import type { BundleEntry, WalkOptions, WalkProblem } from './types';

export interface ResolvedOptions {
  maxExpandedBytes: number;
  maxRatio: number;
  ratioGraceBytes: number;
  maxDepth: number;
  signal?: AbortSignal;
}

export const DEFAULT_WALK_OPTIONS: Readonly<ResolvedOptions> = {
  maxExpandedBytes: 8 * 1024 ** 3,
  maxRatio: 200,
  ratioGraceBytes: 256 * 1024 ** 2,
  maxDepth: 4,
};

export function resolveOptions(opts: WalkOptions): ResolvedOptions {
  return {
    maxExpandedBytes: opts.maxExpandedBytes ?? DEFAULT_WALK_OPTIONS.maxExpandedBytes,
    maxRatio: opts.maxRatio ?? DEFAULT_WALK_OPTIONS.maxRatio,
    ratioGraceBytes: opts.ratioGraceBytes ?? DEFAULT_WALK_OPTIONS.ratioGraceBytes,
    maxDepth: opts.maxDepth ?? DEFAULT_WALK_OPTIONS.maxDepth,
    signal: opts.signal,
  };
}

const mb = (n: number): string => (n / 1024 ** 2).toFixed(n < 10 * 1024 ** 2 ? 1 : 0);

/**
 * State of the walk through one input (the outermost file): the decompression budget, the entry
 * whose stream is open (errors met while it is read are attached to it) and problem reporting.
 */
export class InputContext {
  /** Bytes read from the input file itself. */
  compressed = 0;
  /** Bytes produced by every decompressor under this input (all nesting levels). */
  expanded = 0;
  /** Set once the budget ran out: every layer stops. */
  stopped: string | null = null;
  /** The entry being read by the caller, if any. */
  openEntry: BundleEntry | null = null;
  /** Errors met while sniffing a member's head, before its entry exists: they go to that entry. */
  pending: string[] = [];

  constructor(
    readonly input: string,
    readonly opts: ResolvedOptions,
    private readonly onProblem: (p: WalkProblem) => void,
  ) {}

  /**
   * > 0 while a decompressor pipe reads ahead from the layers below it: what those layers meet
   * then is not about the open entry (it may be complete); the decompressor reports its own
   * early end when the entry actually reaches it.
   */
  detached = 0;

  /** Reports the message against `path` and attaches it to the open entry (if any). */
  report(path: string, message: string): void {
    if (this.detached === 0) this.attach(message);
    this.onProblem({ path, message });
  }

  /** Attaches a message to the open entry, or to the next one if its head is being sniffed. */
  attach(message: string): void {
    const errors = this.openEntry?.errors ?? this.pending;
    if (!errors.includes(message)) errors.push(message);
  }

  /** Counts decompressed bytes; false (and the walk of this input stops) once over budget. */
  addExpanded(n: number): boolean {
    if (this.stopped) return false;
    this.expanded += n;
    const why = this.overBudget(this.expanded);
    if (!why) return true;
    this.stopped = `stopped at ${mb(this.expanded)} MB: ${why}; the rest of ${this.input} was skipped`;
    this.report(this.input, this.stopped);
    return false;
  }

  /** Whether addExpanded(n) would succeed, without counting or reporting anything. */
  fitsExpanded(n: number): boolean {
    return !this.stopped && this.overBudget(this.expanded + n) === null;
  }

  private overBudget(expanded: number): string | null {
    const { maxExpandedBytes, maxRatio, ratioGraceBytes } = this.opts;
    if (expanded > maxExpandedBytes) return `expanded size exceeds the ${mb(maxExpandedBytes)} MB limit`;
    if (expanded > ratioGraceBytes && expanded > maxRatio * Math.max(this.compressed, 1)) {
      return `expansion ratio exceeds ${maxRatio}:1 (${mb(this.compressed)} MB read from ${this.input})`;
    }
    return null;
  }

  throwIfAborted(): void {
    this.opts.signal?.throwIfAborted();
  }
}
