// Goroutine dumps: long waits, the well-known blocked call sites of containerd's CRI plugin, and
// the wait-for graph: a goroutine queued on a lock waits for the goroutine that is inside a method
// on the same object (same receiver pointer), e.g. the bbolt *DB or a container's status storage.

import type { Goroutine } from '../formats/types';
import { fnName, hasFrame, isBolt, isDiskSync, isLockFrame, lockBlocked, receiver, topFunction, type FnName } from './go-frames';
import type { AlignedDump, AnalysisInput, DetectorOptions, Evidence, Finding } from './types';
import { SEC, clamp01, finish, type NewFinding } from './util';

const LONG_WAIT_STATES = /^(semacquire|sync\.|syscall|chan send|select$|select \(no cases\))/;
const CRI_READERS = /^(ListContainers|ContainerStatus|ListContainerStats|ContainerStats)$/;

interface Site {
  kind: string;
  title: (n: number) => string;
  severity: Finding['severity'];
  match: (g: Goroutine) => boolean;
}

const SITES: Site[] = [
  {
    kind: 'cri-list-wait', severity: 'error', title: (n) => `${n} CRI read(s) (ListContainers …) wait for a container status lock`,
    match: (g) => lockBlocked(g) && hasFrame(g, (f) => /status/i.test(f.type) && f.name === 'Get') >= 0 && hasFrame(g, (f) => CRI_READERS.test(f.name)) >= 0,
  },
  {
    kind: 'cri-update-wait', severity: 'error', title: (n) => `${n} UpdateContainerResources call(s) wait for the bbolt write lock`,
    match: (g) => lockBlocked(g) && hasFrame(g, (f) => f.name === 'UpdateContainerResources') >= 0 && hasFrame(g, (f) => isBolt(f) && /^(beginRWTx|Begin|Update|Batch)$/.test(f.name)) >= 0,
  },
  {
    kind: 'bbolt-fsync-holder', severity: 'error', title: () => 'A bbolt transaction holds the write lock while flushing to disk (fsync)',
    match: (g) => {
      if (lockBlocked(g)) return false;
      const bolt = hasFrame(g, (f) => isBolt(f) && /^(Update|Batch|Commit)$/.test(f.name));
      const sync = hasFrame(g, isDiskSync);
      return bolt >= 0 && sync >= 0 && sync < bolt;
    },
  },
  {
    kind: 'ttrpc-delete-wait', severity: 'error', title: (n) => `${n} call(s) wait for the shim's Delete over ttrpc`,
    match: (g) => {
      const d = hasFrame(g, (f) => f.pkg === 'ttrpc' && f.type === 'Client' && (f.name === 'dispatch' || f.name === 'Call'));
      return d >= 0 && g.frames.slice(d + 1).some((fr) => fnName(fr.fn).name === 'Delete');
    },
  },
  {
    kind: 'shim-unmount', severity: 'error', title: (n) => `${n} shim goroutine(s) stuck in umount`,
    match: (g) => {
      const u = hasFrame(g, (f) => (f.pkg === 'unix' || f.pkg === 'syscall') && /^Unmount/.test(f.name));
      return u >= 0 && g.frames.slice(u + 1).some((fr) => fnName(fr.fn).pkg === 'mount');
    },
  },
];

export function detectGoroutines(input: AnalysisInput, opts: DetectorOptions): Finding[] {
  const out: NewFinding[] = [];
  for (const dump of placeStrayDumps(distinctDumps(input.dumps), input)) {
    out.push(...longWaits(dump, opts), ...callSites(dump), ...waitGraph(dump));
  }
  return finish('goroutines', out);
}

const TIME_TRUST = ['user', 'log-line', 'file-name', 'file-time', 'none'];

/**
 * The same dump often comes twice: inside the daemon's log (with the capture line's time) and as
 * the stacks file it wrote. Keep one per content, the one whose capture time is best known.
 */
function distinctDumps(dumps: AlignedDump[]): AlignedDump[] {
  const best = new Map<string, AlignedDump>();
  const trust = (d: AlignedDump) => (d.takenAt === null ? 9 : TIME_TRUST.indexOf(d.takenAtSource ?? 'none'));
  for (const d of dumps) {
    const key = `${d.process}|${d.goroutines.length}|${d.goroutines.slice(0, 50).map((g) => `${g.id}:${g.stackKey}`).join(',')}`;
    const seen = best.get(key);
    if (!seen || trust(d) < trust(seen)) best.set(key, d);
  }
  return [...best.values()];
}

/**
 * A stacks file copied off the node keeps the copy's mtime, not the capture time. A dump timed only
 * by its file (or not at all) that falls outside everything else the bundle recorded is placed at
 * the capture time of a dump dated by a log line: SIGUSR1 goes to containerd and its shims together.
 */
function placeStrayDumps(dumps: AlignedDump[], input: AnalysisInput): AlignedDump[] {
  const dated = dumps.filter((d) => d.takenAt !== null && (d.takenAtSource === 'log-line' || d.takenAtSource === 'user'));
  let first = Infinity;
  let last = -Infinity;
  for (const s of input.signals) {
    first = Math.min(first, s.ts);
    last = Math.max(last, s.ts);
  }
  for (const m of input.metrics) {
    if (!m.ts.length) continue;
    first = Math.min(first, m.ts[0]!);
    last = Math.max(last, m.ts[m.ts.length - 1]!);
  }
  if (!dated.length || !(first <= last)) return dumps;
  const slack = 3600 * SEC;
  return dumps.map((d) => {
    const byFile = d.takenAtSource === 'file-time' || d.takenAtSource === 'none' || d.takenAt === null;
    if (!byFile || (d.takenAt !== null && d.takenAt >= first - slack && d.takenAt <= last + slack)) return d;
    const near = dated.reduce((a, b) => (Math.abs((b.takenAt ?? 0) - (d.takenAt ?? first)) < Math.abs((a.takenAt ?? 0) - (d.takenAt ?? first)) ? b : a));
    return { ...d, takenAt: near.takenAt, takenAtSource: 'none' as const };
  });
}

function span(dump: AlignedDump, gs: Goroutine[]): { from: number; to: number } {
  const to = dump.takenAt ?? NaN;
  const minutes = Math.max(0, ...gs.map((g) => g.waitMinutes));
  return { from: to - minutes * 60 * SEC, to };
}

function ev(dump: AlignedDump, g: Goroutine): Evidence {
  return { kind: 'goroutine', fileId: dump.fileId, dumpId: dump.id, goroutine: g.id, line: g.line };
}

function longWaits(dump: AlignedDump, opts: DetectorOptions): NewFinding[] {
  const groups = new Map<string, Goroutine[]>();
  for (const g of dump.goroutines) {
    if (g.waitMinutes < opts.longWaitMinutes || !LONG_WAIT_STATES.test(g.state)) continue;
    // Idle server loops wait in select for as long as the process runs; only blocked calls count.
    if (g.state.startsWith('select') && !lockBlocked(g) && hasFrame(g, (f) => f.pkg === 'ttrpc' || f.pkg === 'grpc') < 0) continue;
    // Pollers (inotify, epoll) sit in syscalls forever; disk flushes and unmounts are what block.
    if (g.state.startsWith('syscall') && hasFrame(g, (f) => isDiskSync(f) || /^Unmount/.test(f.name) || f.pkg === 'mount' || (f.type === 'File' && f.pkg === 'os')) < 0) continue;
    const key = `${g.stackKey}|${g.state}`;
    const list = groups.get(key) ?? [];
    list.push(g);
    groups.set(key, list);
  }
  const out: NewFinding[] = [];
  for (const gs of groups.values()) {
    const g = gs[0]!;
    const minutes = Math.max(...gs.map((x) => x.waitMinutes));
    out.push({
      kind: 'long-wait', title: `${gs.length} ${dump.process} goroutine(s) in ${g.state} for ${minutes} min: ${short(topFunction(g))}`,
      severity: 'warn', ...span(dump, gs), strength: clamp01(minutes / 10 + gs.length / 50),
      facts: { process: dump.process, state: g.state, minutes, count: gs.length, topFunction: topFunction(g) }, evidence: gs.map((x) => ev(dump, x)),
    });
  }
  return out;
}

function callSites(dump: AlignedDump): NewFinding[] {
  const out: NewFinding[] = [];
  for (const site of SITES) {
    const gs = dump.goroutines.filter(site.match);
    if (!gs.length) continue;
    const minutes = Math.max(...gs.map((g) => g.waitMinutes));
    out.push({
      kind: site.kind, title: site.title(gs.length), severity: site.severity, ...span(dump, gs),
      strength: clamp01(0.6 + minutes / 10 + gs.length / 20),
      facts: { process: dump.process, count: gs.length, minutes, goroutines: gs.map((g) => g.id).join(','), topFunction: topFunction(gs[0]!) },
      evidence: gs.map((g) => ev(dump, g)),
    });
  }
  return out;
}

/**
 * What a lock-blocked goroutine waits on: the receivers of the frames from the lock up through
 * the first object method and its callers on the same type name (bbolt.(*DB).beginRWTx →
 * metadata.(*DB).Update: both are "the DB").
 */
function waitedOn(g: Goroutine): Set<string> {
  const out = new Set<string>();
  let type = '';
  for (const fr of g.frames) {
    const f: FnName = fnName(fr.fn);
    const r = receiver(fr);
    if (isLockFrame(f)) {
      if (r) out.add(r.ptr);
      continue;
    }
    if (!f.type) {
      if (type) break;
      continue;
    }
    if (!type) type = f.type;
    else if (f.type !== type) break;
    if (r) out.add(r.ptr);
  }
  return out;
}

/**
 * Of the goroutines inside the object a waiter queues on, the ones that most likely hold its lock.
 * A busy process has many goroutines passing the same *DB (readers, idle loops, other
 * transactions): linking every one of them would name bystanders as holders. A goroutine in a
 * syscall (fsync under the write lock) ranks first, then one itself blocked on another lock (a
 * chain or a deadlock), then a running one, then parked ones (select, channel, sleep).
 */
function likelyHolders(candidates: { g: Goroutine; type: string }[], waiter: Goroutine): { g: Goroutine; type: string }[] {
  let best = -1;
  let out: { g: Goroutine; type: string }[] = [];
  for (const c of candidates) {
    if (c.g.id === waiter.id) continue;
    const rank = holdRank(c.g);
    if (rank > best) [best, out] = [rank, [c]];
    else if (rank === best) out.push(c);
  }
  return out;
}

function holdRank(g: Goroutine): number {
  const top = g.frames[0] ? fnName(g.frames[0].fn).pkg : '';
  if (g.state.startsWith('syscall') || top === 'syscall' || top === 'unix') return 3;
  if (lockBlocked(g)) return 2;
  if (g.state.startsWith('running') || g.state.startsWith('runnable')) return 1;
  return 0;
}

function waitGraph(dump: AlignedDump): NewFinding[] {
  const blocked = dump.goroutines.filter(lockBlocked);
  if (!blocked.length) return [];
  const waits = new Map<number, Set<string>>(blocked.map((g) => [g.id, waitedOn(g)]));
  // Who is inside a method of which object: pointer → goroutines (not those merely queued on it).
  const inside = new Map<string, { g: Goroutine; type: string }[]>();
  for (const g of dump.goroutines) {
    const mine = waits.get(g.id);
    const seen = new Set<string>();
    for (const fr of g.frames) {
      const r = receiver(fr);
      if (!r || seen.has(r.ptr) || mine?.has(r.ptr)) continue;
      seen.add(r.ptr);
      const list = inside.get(r.ptr) ?? [];
      list.push({ g, type: r.type });
      inside.set(r.ptr, list);
    }
  }
  const edges = new Map<number, Set<number>>();
  const links = new Map<string, { holder: Goroutine; ptr: string; type: string; waiters: Goroutine[] }>();
  for (const g of blocked) {
    for (const ptr of waits.get(g.id)!) {
      for (const h of likelyHolders(inside.get(ptr) ?? [], g)) {
        const set = edges.get(g.id) ?? new Set<number>();
        set.add(h.g.id);
        edges.set(g.id, set);
        const key = `${h.g.id}|${ptr}`;
        const link = links.get(key) ?? { holder: h.g, ptr, type: h.type, waiters: [] };
        if (!link.waiters.includes(g)) link.waiters.push(g);
        links.set(key, link);
      }
    }
  }
  const out: NewFinding[] = [];
  for (const l of links.values()) {
    // A holder blocked in a syscall is best named by it (syscall.Fsync); one queued on another lock by what it does.
    const holderFunction = lockBlocked(l.holder) ? topFunction(l.holder) : (l.holder.frames.find((fr) => fnName(fr.fn).pkg !== 'runtime')?.fn ?? topFunction(l.holder));
    const minutes = Math.max(l.holder.waitMinutes, ...l.waiters.map((w) => w.waitMinutes));
    out.push({
      kind: 'lock-link', title: `${l.waiters.length} goroutine(s) wait for goroutine ${l.holder.id} (${short(holderFunction)}) through *${l.type} ${l.ptr}`,
      severity: 'error', ...span(dump, [l.holder, ...l.waiters]), strength: clamp01(0.5 + l.waiters.length / 10 + minutes / 10),
      facts: {
        process: dump.process, pointer: l.ptr, type: l.type, waiters: l.waiters.length, waiterIds: l.waiters.map((w) => w.id).join(','),
        holder: l.holder.id, holderFunction, holderState: l.holder.state, holderBlocked: lockBlocked(l.holder), minutes,
      },
      evidence: [ev(dump, l.holder), ...l.waiters.map((w) => ev(dump, w))],
    });
  }
  for (const cycle of cycles(edges)) {
    const gs = cycle.map((id) => dump.goroutines.find((g) => g.id === id)!);
    out.push({
      kind: 'deadlock', title: `Deadlock: goroutines ${cycle.join(' → ')} wait for each other`, severity: 'error', ...span(dump, gs),
      strength: 1, facts: { process: dump.process, goroutines: cycle.join(','), size: cycle.length }, evidence: gs.map((g) => ev(dump, g)),
    });
  }
  return out;
}

/** Strongly connected components with more than one node (Tarjan): cycles of the wait-for graph. */
export function cycles(edges: Map<number, Set<number>>): number[][] {
  let index = 0;
  const idx = new Map<number, number>();
  const low = new Map<number, number>();
  const stack: number[] = [];
  const on = new Set<number>();
  const out: number[][] = [];
  const visit = (v: number): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: number[] = [];
      for (let w = stack.pop()!; ; w = stack.pop()!) {
        on.delete(w);
        comp.push(w);
        if (w === v) break;
      }
      if (comp.length > 1) out.push(comp.reverse());
    }
  };
  for (const v of edges.keys()) if (!idx.has(v)) visit(v);
  return out;
}

function short(fn: string): string {
  return fn.slice(fn.lastIndexOf('/') + 1);
}
