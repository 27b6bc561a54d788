// Go function names by structure: `<import path>.<(*Type) or Type>.<method>` or `<path>.<func>`.
// Matching on the last path element and the type keeps call sites recognisable across versions,
// vendored copies (`.../vendor/go.etcd.io/bbolt`) and forks (`github.com/boltdb/bolt`).

import type { Goroutine, GoroutineFrame } from '../formats/types';

export interface FnName {
  /** Last element of the import path: `bbolt`, `server`, `sync`. */
  pkg: string;
  /** Receiver type without `*`, '' for plain functions. */
  type: string;
  pointer: boolean;
  /** Method or function name (closures keep their `.funcN` suffix). */
  name: string;
}

const cache = new Map<string, FnName>();

export function fnName(fn: string): FnName {
  let n = cache.get(fn);
  if (n) return n;
  const tail = fn.slice(fn.lastIndexOf('/') + 1);
  const dot = tail.indexOf('.');
  const pkg = dot === -1 ? tail : tail.slice(0, dot);
  const rest = dot === -1 ? '' : tail.slice(dot + 1);
  const recv = /^\((\*?)([^)]+)\)\.(.*)$/.exec(rest);
  n = recv ? { pkg, type: recv[2]!, pointer: recv[1] === '*', name: recv[3]! } : { pkg, type: '', pointer: false, name: rest };
  if (cache.size > 50_000) cache.clear();
  cache.set(fn, n);
  return n;
}

export const isBolt = (f: FnName): boolean => (f.pkg === 'bbolt' || f.pkg === 'bolt') && (f.type === 'DB' || f.type === 'Tx');
const SYNC_CALL = /^(Fsync|Fdatasync|fsync|fdatasync|Syncfs|syncfs|Sync)$/;
/** A frame that flushes a file to disk: syscall.Fsync, unix.Fdatasync, os.(*File).Sync, poll.(*FD).Fsync. */
export const isDiskSync = (f: FnName): boolean =>
  ((f.pkg === 'syscall' || f.pkg === 'unix' || f.pkg === 'poll' || f.pkg === 'os') && SYNC_CALL.test(f.name.replace(/\.func\d+$/, '')));

/** Frames of the runtime's lock machinery: the goroutine is queued on a mutex. */
export function isLockFrame(f: FnName): boolean {
  if (f.pkg === 'sync') return f.type === 'Mutex' || f.type === 'RWMutex' || f.name.startsWith('runtime_Semacquire');
  return f.pkg === 'runtime' && (f.name.startsWith('semacquire') || f.name === 'gopark' || f.name === 'goparkunlock');
}

/** Waiting to acquire a sync.Mutex / RWMutex (state or the top frames say so). */
export function lockBlocked(g: Goroutine): boolean {
  if (g.state.startsWith('semacquire') || g.state.startsWith('sync.Mutex') || g.state.startsWith('sync.RWMutex')) return true;
  for (let i = 0; i < Math.min(3, g.frames.length); i++) {
    const f = fnName(g.frames[i]!.fn);
    if (f.pkg === 'sync' && (f.type === 'Mutex' || f.type === 'RWMutex')) return true;
  }
  return false;
}

/** A data pointer argument (`0xc0001e92d0`, possibly marked inexact with `?`). */
export function heapPointer(arg: string | undefined): string | null {
  if (!arg) return null;
  const a = arg.endsWith('?') ? arg.slice(0, -1) : arg;
  return /^0x[0-9a-f]{8,16}$/.test(a) && !/^0x0+$/.test(a) ? a : null;
}

/** The pointer receiver of a method frame, when the dump shows it. */
export function receiver(frame: GoroutineFrame): { ptr: string; type: string } | null {
  const f = fnName(frame.fn);
  if (!f.pointer) return null;
  const ptr = heapPointer(frame.args[0]);
  return ptr ? { ptr, type: f.type } : null;
}

export function hasFrame(g: Goroutine, test: (f: FnName) => boolean): number {
  return g.frames.findIndex((fr) => test(fnName(fr.fn)));
}

const PLUMBING = new Set(['runtime', 'sync', 'syscall', 'poll', 'os', 'unix', 'atomic']);

/** The first frame that is not Go runtime / syscall plumbing: what the goroutine is doing. */
export function topFunction(g: Goroutine): string {
  for (const fr of g.frames) if (!PLUMBING.has(fnName(fr.fn).pkg)) return fr.fn;
  return g.frames[0]?.fn ?? '';
}
