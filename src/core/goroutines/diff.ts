// Two dumps of the same process: which stacks grew, shrank, appeared or vanished between them.
// Groups are matched by stack key; when a rebuild moved line numbers (or a goroutine now sits
// on another line of the same functions) the key changes, so the leftovers are matched by
// their function sequence instead.

import type { Goroutine } from '../formats/types';
import { groupGoroutines, type GoroutineGroup } from './group';

export type DiffStatus = 'appeared' | 'vanished' | 'grew' | 'shrank' | 'same';

export interface GroupDiff {
  status: DiffStatus;
  before: number;
  after: number;
  /** The group in the later dump, else in the earlier one (for its frames and top function). */
  group: GoroutineGroup;
  /** How the two sides were matched: identical stacks, or the same functions on moved lines. */
  matchedBy: 'stack' | 'functions' | null;
  /** Longest wait on either side (minutes). */
  waitMax: number;
}

/** Functions of every frame plus the creator, without file:line. */
export function functionKey(g: Goroutine): string {
  return `${g.frames.map((f) => f.fn).join('\n')}\ncreated by ${g.createdBy ?? ''}`;
}

function statusOf(before: number, after: number): DiffStatus {
  if (before === 0) return 'appeared';
  if (after === 0) return 'vanished';
  return after > before ? 'grew' : after < before ? 'shrank' : 'same';
}

function entry(before: GoroutineGroup[], after: GoroutineGroup[], matchedBy: GroupDiff['matchedBy']): GroupDiff {
  const nb = before.reduce((n, g) => n + g.goroutines.length, 0);
  const na = after.reduce((n, g) => n + g.goroutines.length, 0);
  const waitMax = Math.max(0, ...before.map((g) => g.waitMax), ...after.map((g) => g.waitMax));
  return { status: statusOf(nb, na), before: nb, after: na, group: (after[0] ?? before[0])!, matchedBy, waitMax };
}

function byFunctions(groups: GoroutineGroup[]): Map<string, GoroutineGroup[]> {
  const m = new Map<string, GoroutineGroup[]>();
  for (const g of groups) {
    const k = functionKey(g.goroutines[0]!);
    const list = m.get(k);
    if (list) list.push(g);
    else m.set(k, [g]);
  }
  return m;
}

const statusOrder: Record<DiffStatus, number> = { appeared: 0, grew: 1, vanished: 2, shrank: 3, same: 4 };

/**
 * The groups of `after` compared with `before` (the earlier dump): changes first (appeared,
 * grew, vanished, shrank), the biggest change first within each, unchanged groups last.
 */
export function diffDumps(before: readonly Goroutine[], after: readonly Goroutine[]): GroupDiff[] {
  const a = groupGoroutines(before);
  const b = groupGoroutines(after);
  const bByKey = new Map(b.map((g) => [g.key, g]));
  const out: GroupDiff[] = [];
  const leftBefore: GoroutineGroup[] = [];
  const matched = new Set<string>();
  for (const g of a) {
    const other = bByKey.get(g.key);
    if (other) {
      out.push(entry([g], [other], 'stack'));
      matched.add(g.key);
    } else {
      leftBefore.push(g);
    }
  }
  const leftAfter = byFunctions(b.filter((g) => !matched.has(g.key)));
  for (const [k, olds] of byFunctions(leftBefore)) {
    const news = leftAfter.get(k);
    if (news) {
      out.push(entry(olds, news, 'functions'));
      leftAfter.delete(k);
    } else {
      out.push(entry(olds, [], null));
    }
  }
  for (const news of leftAfter.values()) out.push(entry([], news, null));
  return out.sort((x, y) => statusOrder[x.status] - statusOrder[y.status]
    || Math.abs(y.after - y.before) - Math.abs(x.after - x.before)
    || y.waitMax - x.waitMax
    || (x.group.key < y.group.key ? -1 : x.group.key > y.group.key ? 1 : 0));
}

/** Totals of a diff: goroutines before and after, and how many groups changed each way. */
export function diffSummary(diff: readonly GroupDiff[]): Record<DiffStatus, number> & { before: number; after: number } {
  const s = { appeared: 0, vanished: 0, grew: 0, shrank: 0, same: 0, before: 0, after: 0 };
  for (const d of diff) {
    s[d.status]++;
    s.before += d.before;
    s.after += d.after;
  }
  return s;
}
