/**
 * `npm run fuzz -- --minutes=N [--targets=ingest,walk,share,pattern] [--seed=S]`: mutates the
 * fixtures (fuzz/corpus.ts) through every target for N minutes, prints iterations/s, saves each
 * failing or hanging case to fuzz/crashes/ and exits non-zero if there was one.
 * `npm run fuzz -- --replay=fuzz/crashes/<file>.json` runs one saved case again.
 */
import { Worker } from 'node:worker_threads';
import { makeCase, runCase, TARGETS, type TargetName } from './cases';
import { loadCrash, saveCrash } from './crash-file';
import type { WorkerInput, WorkerMessage } from './worker';

/** A case running this long is a hang (the per-case time budget is seconds). */
const HANG_MS = 120_000;
const MAX_SAVED = 25;

function arg(name: string): string | undefined {
  return process.argv.slice(2).find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

async function replay(path: string): Promise<number> {
  const c = loadCrash(path);
  const t0 = performance.now();
  try {
    await runCase(c);
    console.log(`${path}: passes now (${(performance.now() - t0).toFixed(0)} ms)`);
    return 0;
  } catch (error) {
    console.error(`${path}: still fails after ${(performance.now() - t0).toFixed(0)} ms:`, error);
    return 1;
  }
}

interface Tally { cases: number; bytes: number; failures: number }

async function fuzz(minutes: number, targets: TargetName[], seed: number): Promise<number> {
  const deadline = Date.now() + minutes * 60_000;
  const tally = new Map<TargetName, Tally>(targets.map((t) => [t, { cases: 0, bytes: 0, failures: 0 }]));
  const saved: string[] = [];
  const seenMessages = new Set<string>();
  const t0 = performance.now();
  console.log(`fuzzing ${targets.join(', ')} for ${minutes} min, seed ${seed}`);

  const record = async (target: TargetName, caseSeed: number, message: string): Promise<void> => {
    tally.get(target)!.failures++;
    // One saved case per kind of failure (numbers vary between cases of the same bug).
    const kind = `${target}|${message.replace(/\d+/g, 'N').slice(0, 160)}`;
    if (seenMessages.has(kind) || saved.length >= MAX_SAVED) return;
    seenMessages.add(kind);
    const path = saveCrash(await makeCase(target, caseSeed), caseSeed, message);
    saved.push(path);
    console.log(`FAIL ${target} seed ${caseSeed}: ${message.slice(0, 400)}\n  saved ${path}`);
  };

  let next = 0;
  while (Date.now() < deadline) {
    const stoppedAt = await new Promise<number | null>((resolve) => {
      const data: WorkerInput = { targets, seed, firstIndex: next, deadline };
      const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: data });
      let current: { index: number; target: TargetName; caseSeed: number; at: number } | null = null;
      /** Why the worker was stopped in the middle of `current`, if it was. */
      let broken: string | null = null;
      const pending: Promise<void>[] = [];
      const watchdog = setInterval(() => {
        if (current && Date.now() - current.at > HANG_MS) {
          broken = `hang: no result after ${HANG_MS / 1000} s`;
          void worker.terminate();
        }
      }, 1000);
      worker.on('message', (m: WorkerMessage) => {
        if (m.kind === 'start') current = { ...m, at: Date.now() };
        else if (m.kind === 'end') {
          const t = tally.get(m.target)!;
          t.cases++;
          t.bytes += m.bytes;
          if (m.failure && current) pending.push(record(m.target, current.caseSeed, m.failure));
          current = null;
        }
      });
      worker.on('error', (error) => {
        // An exception that escaped the awaited pipeline (an unhandled rejection in a stream callback, ...).
        broken = `uncaught: ${error.message}`;
        if (!current) console.error('the fuzz worker failed outside a case:', error);
      });
      worker.on('exit', () => {
        clearInterval(watchdog);
        const last = current;
        void Promise.all(pending).then(async () => {
          if (broken && last) {
            await record(last.target, last.caseSeed, broken);
            resolve(last.index);
          } else resolve(null);
        });
      });
    });
    if (stoppedAt === null) break;
    next = stoppedAt + 1; // go on after the case that hung or crashed the worker
  }

  const seconds = (performance.now() - t0) / 1000;
  let total = 0;
  let failures = 0;
  for (const [target, t] of tally) {
    total += t.cases;
    failures += t.failures;
    console.log(`${target.padEnd(8)} ${String(t.cases).padStart(8)} cases  ${(t.cases / seconds).toFixed(1).padStart(8)} /s  ${(t.bytes / 2 ** 20).toFixed(1).padStart(8)} MB  ${t.failures} failed`);
  }
  console.log(`total    ${String(total).padStart(8)} cases  ${(total / seconds).toFixed(1).padStart(8)} /s in ${seconds.toFixed(0)} s; ${failures} failed, ${saved.length} saved in fuzz/crashes/`);
  return failures > 0 ? 1 : 0;
}

const replayPath = arg('replay');
const targets = (arg('targets')?.split(',') ?? [...TARGETS]) as TargetName[];
const unknown = targets.filter((t) => !TARGETS.includes(t));
if (unknown.length) {
  console.error(`unknown target(s): ${unknown.join(', ')} (known: ${TARGETS.join(', ')})`);
  process.exit(2);
}
const code = replayPath
  ? await replay(replayPath)
  : await fuzz(Number(arg('minutes') ?? 2), targets, Number(arg('seed') ?? Date.now() % 2 ** 31));
process.exit(code);
