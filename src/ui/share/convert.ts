// Local state (ids of this browser) ⇄ shared state (paths and origins, which survive re-ingesting the
// same files elsewhere). Unmatched references are reported, never guessed.

import { fingerprintPath } from '../../core/bundle/fingerprint';
import type { Chain } from '../../core/chains/types';
import type { Source, SourceFile } from '../../core/model';
import { SHARE_VERSION, type NoteTarget, type SharedState } from '../../core/share/state';
import type { LocalNoteTarget, StoredNote } from '../../store/db';
import type { DumpInfo } from '../../store/queries';
import type { ViewState } from '../workspace/view-state';

export interface LocalContext {
  bundle: { fingerprint: string; name: string };
  files: SourceFile[];
  sources: Source[];
  dumps: DumpInfo[];
}

export type Excerpts = Map<number, { path: string; line: number; ts: number | null; text: string }[]>;

function toShared(t: LocalNoteTarget, ctx: LocalContext): NoteTarget | null {
  switch (t.kind) {
    case 'range':
    case 'step':
      return t;
    case 'line': {
      const s = ctx.sources.find((x) => x.id === t.sourceId);
      return s ? { kind: 'line', lane: { path: s.path, origin: s.origin }, offset: t.offset, ts: t.ts } : null;
    }
    case 'goroutine': {
      const d = ctx.dumps.find((x) => x.id === t.dumpId);
      const f = d && ctx.files.find((x) => x.id === d.fileId);
      return d && f ? { kind: 'goroutine', path: f.path, process: d.process, goroutine: t.goroutine } : null;
    }
  }
}

/**
 * The local file a shared path names: the same path, else the same path inside another outermost
 * archive (the same files dropped as a folder, as an archive or as a hand-over archive).
 */
function findByPath<T extends { path: string }>(items: T[], path: string, also: (x: T) => boolean = () => true): T | undefined {
  return items.find((x) => x.path === path && also(x)) ?? items.find((x) => fingerprintPath(x.path) === fingerprintPath(path) && also(x));
}

function toLocal(t: NoteTarget, ctx: LocalContext): LocalNoteTarget | null {
  switch (t.kind) {
    case 'range':
    case 'step':
      return t;
    case 'line': {
      const s = findByPath(ctx.sources, t.lane.path, (x) => x.origin === t.lane.origin);
      return s ? { kind: 'line', sourceId: s.id, offset: t.offset, ts: t.ts } : null;
    }
    case 'goroutine': {
      const f = findByPath(ctx.files, t.path);
      const d = f && ctx.dumps.find((x) => x.fileId === f.id && x.process === t.process);
      return d ? { kind: 'goroutine', dumpId: d.id, goroutine: t.goroutine } : null;
    }
  }
}

export function toSharedState(ctx: LocalContext, view: ViewState, chains: Chain[], notes: StoredNote[], excerpts: Excerpts | null): SharedState {
  const lanes = view.filters.sources
    .map((id) => ctx.sources.find((s) => s.id === id))
    .filter((s): s is Source => !!s)
    .map((s) => ({ path: s.path, origin: s.origin }));
  // A finding id is local to one analysis run: it is not carried.
  const sel = view.selection && view.selection.kind !== 'finding' ? view.selection : null;
  const selection = sel ? toShared(sel, ctx) : null;
  return {
    v: SHARE_VERSION,
    createdAt: Date.now() * 1000,
    bundle: ctx.bundle,
    view: {
      window: view.window,
      filters: { text: view.filters.text, regex: view.filters.regex, lanes, minLevel: view.filters.minLevel },
      selection,
      tab: view.tab,
    },
    chains: chains.filter((c) => c.confidence >= 0.5).slice(0, 3).map((c, ci) => ({
      patternId: c.patternId,
      title: c.title,
      confidence: Math.round(c.confidence * 1000) / 1000,
      from: c.from,
      to: c.to,
      steps: c.steps.map((s, si) => ({
        role: s.role,
        title: s.title,
        explanation: s.explanation,
        evidenceCount: s.evidence.length,
        ...(s.missing ? { missing: s.missing } : {}),
        ...(ci === 0 && excerpts?.get(si)?.length ? { excerpts: excerpts.get(si) } : {}),
      })),
      remedy: c.remedy,
    })),
    notes: notes.flatMap((n) => {
      const target = toShared(n.target, ctx);
      return target ? [{ id: n.id, target, text: n.text, createdAt: n.createdAt }] : [];
    }),
    redacted: [],
  };
}

/** The view and notes of a shared state in this browser's ids, plus what could not be matched. */
export function fromSharedState(state: SharedState, ctx: LocalContext): { view: ViewState; notes: Omit<StoredNote, 'bundleId'>[]; unmatched: string[] } {
  const unmatched: string[] = [];
  const sources: string[] = [];
  for (const lane of state.view.filters.lanes) {
    const s = findByPath(ctx.sources, lane.path, (x) => x.origin === lane.origin);
    if (s) sources.push(s.id);
    else unmatched.push(`lane ${lane.origin} of ${lane.path}`);
  }
  const selection = state.view.selection ? toLocal(state.view.selection, ctx) : null;
  if (state.view.selection && !selection) unmatched.push('the shared selection');
  const notes: Omit<StoredNote, 'bundleId'>[] = [];
  for (const n of state.notes) {
    const target = toLocal(n.target, ctx);
    if (target) notes.push({ id: n.id, target, text: n.text, createdAt: n.createdAt });
    else unmatched.push(`note "${n.text.slice(0, 40)}"`);
  }
  const view: ViewState = {
    bundleId: null,
    window: state.view.window,
    filters: { text: state.view.filters.text, regex: state.view.filters.regex, sources, minLevel: state.view.filters.minLevel },
    selection: selection && selection.kind !== 'range' ? selection : null,
    tab: state.view.tab,
  };
  return { view, notes, unmatched };
}
