/**
 * The fuzz loop, in a worker thread so the runner can stop a case that hangs. Before each case
 * it tells the runner (target, case seed): a hang is rebuilt and saved from those alone.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { caseBytes, makeCase, runCase, type TargetName } from './cases';

export interface WorkerInput {
  targets: TargetName[];
  /** Case seeds are `seed + index`, index from `firstIndex` on. */
  seed: number;
  firstIndex: number;
  deadline: number;
}

export type WorkerMessage =
  | { kind: 'start'; index: number; target: TargetName; caseSeed: number }
  | { kind: 'end'; target: TargetName; bytes: number; failure?: string }
  | { kind: 'done' };

const input = workerData as WorkerInput;
const port = parentPort!;
const post = (m: WorkerMessage): void => port.postMessage(m);

for (let index = input.firstIndex; Date.now() < input.deadline; index++) {
  const target = input.targets[index % input.targets.length]!;
  const caseSeed = (input.seed + index) >>> 0;
  post({ kind: 'start', index, target, caseSeed });
  const c = await makeCase(target, caseSeed);
  try {
    await runCase(c);
    post({ kind: 'end', target, bytes: caseBytes(c) });
  } catch (error) {
    post({ kind: 'end', target, bytes: caseBytes(c), failure: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
}
post({ kind: 'done' });
