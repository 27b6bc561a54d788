import type { ParsedEntry } from '../core/assemble';
import type { ScenarioOptions } from '../core/scenarios';
import type { WalkOptions, WalkProblem } from '../core/bundle/types';

/** One input handed to a worker: a dropped file, a member of a generated sample, or stored raw bytes to re-parse. */
export type JobInput =
  | { kind: 'file'; path: string; file: File }
  | { kind: 'scenario'; path: string; scenario: ScenarioOptions; index: number; approxBytes: number }
  | { kind: 'stored'; path: string; fileId: string; rawKey: string; rawOffset: number; rawBytes: number; formatId: string };

export interface IngestJob {
  bundleId: string;
  inputs: JobInput[];
  /** Year assumed for stamps without one until the bundle learns better. */
  year: number;
  walk: WalkOptions;
  /** Test hook: pretend storage fills after this many raw bytes (exercises the quota path end to end). */
  quotaBytes?: number;
  /**
   * This job is share `index` of `of` over the same archive, so one big archive uses every core.
   * Share 0 alone expands it (inflating costs ~3 core-s per GB: once, not once per share): it
   * parses the members it keeps and writes each big member it deals to another share into a raw
   * file of its own, then hands it over (`relayTo[index - 1]`). The other shares parse what arrives
   * on `relayFrom` (see relay.ts).
   */
  share?: { index: number; of: number };
  relayTo?: MessagePort[];
  relayFrom?: MessagePort;
}

export interface JobResult {
  entries: ParsedEntry[];
  problems: WalkProblem[];
  cancelled: boolean;
  storageFull: boolean;
}

export interface ProgressTick {
  /** Input bytes consumed since the last tick (compressed bytes for archives). */
  bytes: number;
  /** Inputs finished since the last tick. */
  inputs: number;
  current?: string;
}

export interface IngestWorkerApi {
  run(job: IngestJob, onProgress: (tick: ProgressTick) => void): Promise<JobResult>;
  cancel(): void;
  /** Parses a small generated bundle (stored nowhere) so the parsers are compiled before the first drop. */
  warmUp(): Promise<void>;
  /** Content fingerprint without parsing or storing (to confirm a probable duplicate). */
  fingerprint(inputs: JobInput[]): Promise<string>;
  /** Paths and sizes of a generated sample bundle. */
  describeScenario(opts: ScenarioOptions): Promise<{ name: string; files: { path: string; approxBytes: number }[] }>;
}
