// Key and pins are named by path / origin / offset and dump path / process / goroutine; the
// workspace speaks this browser's ids (source id, dump id). These convert between the two.

import type { AnalysisInput } from '../../core/analysis/types';
import type { AnswerKey, KeyEvidence } from '../../core/training/answer-key';
import type { PinEvidence } from '../../core/training/score';
import type { Selection } from '../workspace/view-state';

function fileOfSource(input: AnalysisInput, sourceId: string) {
  return input.files.find((f) => sourceId.startsWith(`${f.id}:`));
}

/** The pin a line or goroutine selection makes; null for other selections or unknown ids. */
export function pinFromSelection(sel: Selection | null, input: AnalysisInput): PinEvidence | null {
  if (sel?.kind === 'line') {
    const f = fileOfSource(input, sel.sourceId);
    if (!f) return null;
    const signal = input.signals.find((s) => s.sourceId === sel.sourceId && s.offset === sel.offset)?.kind;
    return { kind: 'line', path: f.path, origin: sel.sourceId.slice(f.id.length + 1), offset: sel.offset, ts: sel.ts, ...(signal ? { signal } : {}) };
  }
  if (sel?.kind === 'goroutine') {
    const d = input.dumps.find((x) => x.id === sel.dumpId);
    return d ? { kind: 'goroutine', path: d.path, process: d.process, goroutine: sel.goroutine } : null;
  }
  return null;
}

/** The selection that shows a piece of key evidence in this browser (the reveal, the test hook). */
export function selectionOf(e: KeyEvidence, input: AnalysisInput): Selection | { kind: 'window'; from: number; to: number } | null {
  switch (e.kind) {
    case 'line': {
      const f = input.files.find((x) => x.path === e.path);
      return f ? { kind: 'line', sourceId: `${f.id}:${e.origin}`, offset: e.offset, ts: e.ts } : null;
    }
    case 'goroutine': {
      const d = input.dumps.find((x) => x.path === e.path && x.process === e.process);
      return d ? { kind: 'goroutine', dumpId: d.id, goroutine: e.goroutine } : null;
    }
    case 'window': return { kind: 'window', from: e.from, to: e.to };
    case 'event': return null;
  }
}

/** The key with each step's evidence as local selections (exposed to tests only). */
export function localKey(key: AnswerKey, input: AnalysisInput) {
  return {
    ...key,
    steps: key.steps.map((s) => ({ ...s, local: s.evidence.map((e) => selectionOf(e, input)) })),
  };
}

const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);
const hms = (us: number) => new Date(us / 1000).toISOString().slice(11, 19);

export function describePin(p: PinEvidence): string {
  switch (p.kind) {
    case 'line': return `${basename(p.path)} line at ${hms(p.ts)}`;
    case 'goroutine': return `goroutine ${p.goroutine} (${p.process}, ${basename(p.path)})`;
    case 'window': return `window ${hms(p.from)}–${hms(p.to)} UTC`;
  }
}
