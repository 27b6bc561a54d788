// Goroutines of one dump grouped by identical stack (panicparse-style buckets) and sorted so the
// ones an SRE should read first come first: the longest waits, then goroutines blocked on a lock
// or a channel, and stacks made only of Go's own library last (idle servers, runtime helpers).

import type { Goroutine } from '../formats/types';

export interface GoroutineGroup {
  /** The members' stackKey: functions and file:line of every frame plus the creation site. */
  key: string;
  /** Members, longest wait first, then by id. */
  goroutines: Goroutine[];
  /** Distinct states, the most common first. */
  states: string[];
  waitMin: number;
  waitMax: number;
  createdBy: string | null;
  /** Members locked to their OS thread. */
  locked: number;
  /** The first frame outside Go's standard library (where the application is), else the first frame. */
  topFunction: string;
  /** Every frame (and the creator) is in Go's standard library. */
  stdlibOnly: boolean;
}

/** Package path of a Go function name: `github.com/a/b.(*T).M` → `github.com/a/b`. */
export function packageOf(fn: string): string {
  const slash = fn.lastIndexOf('/');
  const dot = fn.indexOf('.', slash + 1);
  return dot < 0 ? fn : fn.slice(0, dot);
}

/**
 * Go's standard library: packages whose first path element has no dot (`sync`, `net/http`,
 * `internal/poll`), except `main`. `golang.org/x/...` is not stdlib: it is vendored like any module.
 */
export function isStdlib(fn: string): boolean {
  if (!fn) return true;
  const pkg = packageOf(fn);
  const first = pkg.split('/', 1)[0]!;
  return !first.includes('.') && pkg !== 'main';
}

const lockWaits = /^(semacquire|sync\.|sync\s|sleep on lock)/;
const otherWaits = /^(chan (receive|send)|select|IO wait|sleep|syscall|sync\.Cond\.Wait|GC sweep wait|finalizer wait|force gc)/;

/**
 * How blocked a state is, lower = more interesting: waiting on a lock (semacquire,
 * sync.Mutex.Lock, sync.RWMutex.RLock) 0; on a channel, select, the network, a syscall or a timer 1;
 * running, runnable and the rest 2.
 */
export function stateRank(state: string): number {
  if (lockWaits.test(state)) return 0;
  if (otherWaits.test(state)) return 1;
  return 2;
}

function byWaitThenId(a: Goroutine, b: Goroutine): number {
  return b.waitMinutes - a.waitMinutes || a.id - b.id;
}

function buildGroup(key: string, members: Goroutine[]): GoroutineGroup {
  members.sort(byWaitThenId);
  const stateCounts = new Map<string, number>();
  let locked = 0;
  for (const g of members) {
    stateCounts.set(g.state, (stateCounts.get(g.state) ?? 0) + 1);
    if (g.lockedToThread) locked++;
  }
  const first = members[0]!;
  const app = first.frames.find((f) => f.fn && !isStdlib(f.fn));
  return {
    key,
    goroutines: members,
    states: [...stateCounts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([s]) => s),
    waitMin: members[members.length - 1]!.waitMinutes,
    waitMax: first.waitMinutes,
    createdBy: first.createdBy,
    locked,
    topFunction: app?.fn ?? first.frames[0]?.fn ?? '(no frames)',
    stdlibOnly: !app && (first.createdBy === null || isStdlib(first.createdBy)),
  };
}

/** The order of interest: app stacks before stdlib-only ones, longest wait, most blocked state, biggest group. */
export function compareGroups(a: GoroutineGroup, b: GoroutineGroup): number {
  return Number(a.stdlibOnly) - Number(b.stdlibOnly)
    || b.waitMax - a.waitMax
    || stateRank(a.states[0]!) - stateRank(b.states[0]!)
    || b.goroutines.length - a.goroutines.length
    || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/** Groups of goroutines with the same stack, in the order of interest. */
export function groupGoroutines(goroutines: readonly Goroutine[]): GoroutineGroup[] {
  const byKey = new Map<string, Goroutine[]>();
  for (const g of goroutines) {
    const list = byKey.get(g.stackKey);
    if (list) list.push(g);
    else byKey.set(g.stackKey, [g]);
  }
  return [...byKey].map(([key, members]) => buildGroup(key, members)).sort(compareGroups);
}

export interface GoroutineFilter {
  /** States to keep; empty = all. */
  states: readonly string[];
  /** Minimum wait in minutes (Go prints waits of a minute or more). */
  minWait: number;
  /** Case-insensitive text searched in the function names (with their package) and the creator. */
  text: string;
}

export const noFilter: GoroutineFilter = { states: [], minWait: 0, text: '' };

export function matchesFilter(g: Goroutine, f: GoroutineFilter): boolean {
  if (f.states.length && !f.states.includes(g.state)) return false;
  if (g.waitMinutes < f.minWait) return false;
  if (!f.text) return true;
  const needle = f.text.toLowerCase();
  return g.frames.some((fr) => fr.fn.toLowerCase().includes(needle)) || (g.createdBy?.toLowerCase().includes(needle) ?? false);
}

/** The groups restricted to the goroutines that pass the filter (groups left empty are dropped). */
export function filterGroups(groups: readonly GoroutineGroup[], f: GoroutineFilter): GoroutineGroup[] {
  if (!f.states.length && f.minWait <= 0 && !f.text) return [...groups];
  const out: GoroutineGroup[] = [];
  for (const group of groups) {
    const kept = group.goroutines.filter((g) => matchesFilter(g, f));
    if (kept.length === group.goroutines.length) out.push(group);
    else if (kept.length) out.push(buildGroup(group.key, kept));
  }
  return out.sort(compareGroups);
}

/** Distinct states of a dump with their goroutine counts, the most common first (for the state filter). */
export function stateCounts(goroutines: readonly Goroutine[]): { state: string; count: number }[] {
  const m = new Map<string, number>();
  for (const g of goroutines) m.set(g.state, (m.get(g.state) ?? 0) + 1);
  return [...m].map(([state, count]) => ({ state, count })).sort((a, b) => b.count - a.count || a.state.localeCompare(b.state));
}
