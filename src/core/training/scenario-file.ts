// A custom training scenario as one file (`*.causeway-scenario.zip`): the bundle's files under
// files/, and scenario.json with the title, briefing and answer key. Keys name evidence by path and
// byte offset, so the files are either byte for byte or redacted without changing any length
// (core/share/redact-bytes), with the key's names redacted the same way (redactKey).

import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { z } from 'zod';
import type { StepRole } from '../chains/types';
import { roleLabel, roles, type AnswerKey, type KeyEvidence, type KeyStep } from './answer-key';

import { SCENARIO_FILE_SUFFIX } from './file-names';

export { SCENARIO_FILE_SUFFIX };
const FILES = 'files/';

const us = z.number().finite();
const evidence = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('line'), path: z.string(), origin: z.string(), offset: z.number().int().nonnegative(), ts: us, signal: z.string().optional() }),
  z.object({ kind: z.literal('goroutine'), path: z.string(), process: z.string(), goroutine: z.number().int().nonnegative() }),
  z.object({ kind: z.literal('window'), path: z.string(), series: z.string(), from: us, to: us }),
  z.object({ kind: z.literal('event'), path: z.string(), ts: us, line: z.number().int() }),
]);
const role = z.enum(roles as [StepRole, ...StepRole[]]);
const scenarioJson = z.object({
  v: z.literal(1),
  title: z.string().max(500),
  briefing: z.string().max(10_000),
  key: z.object({
    scenario: z.string(),
    patternId: z.string().nullable(),
    title: z.string(),
    remedy: z.string(),
    steps: z.array(z.object({
      id: z.string(), role, title: z.string(), evidence: z.array(evidence),
      window: z.object({ from: us, to: us }).nullable(), lineKinds: z.array(z.string()),
    })),
  }),
});

export interface ScenarioFile {
  title: string;
  briefing: string;
  key: AnswerKey;
  files: { path: string; bytes: Uint8Array }[];
}

export function packScenario(s: ScenarioFile): Uint8Array {
  const tree: Zippable = { 'scenario.json': strToU8(JSON.stringify({ v: 1, title: s.title, briefing: s.briefing, key: s.key })) };
  for (const f of s.files) tree[FILES + f.path] = f.bytes;
  return zipSync(tree, { level: 6 });
}

/** Throws with a readable message when the file is not a scenario (or was tampered with). */
export function unpackScenario(zip: Uint8Array): ScenarioFile {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip);
  } catch {
    throw new Error('not a zip file');
  }
  const meta = entries['scenario.json'];
  if (!meta) throw new Error('no scenario.json in the file: not a Causeway training scenario');
  const parsed = scenarioJson.safeParse(JSON.parse(strFromU8(meta)));
  if (!parsed.success) throw new Error(`scenario.json is not valid: ${parsed.error.issues[0]?.message ?? 'unknown problem'}`);
  const files = Object.entries(entries)
    .filter(([p]) => p.startsWith(FILES) && !p.endsWith('/'))
    .map(([p, bytes]) => ({ path: p.slice(FILES.length), bytes }));
  if (files.length === 0) throw new Error('the scenario holds no files');
  return { title: parsed.data.title, briefing: parsed.data.briefing, key: parsed.data.key as AnswerKey, files };
}

/** A note naming a role ("root cause: the disk is full") marks that role's evidence for a custom key. */
export function roleOfNote(text: string): StepRole | null {
  const head = /^\s*([a-z -]+?)\s*:/i.exec(text)?.[1]?.toLowerCase().replace(/-/g, ' ');
  return roles.find((r) => roleLabel[r] === head) ?? null;
}

/** The key with the trainer's marked evidence replacing the chain's steps of those roles. */
export function keyWithMarks(base: AnswerKey, marks: { role: StepRole; text: string; evidence: KeyEvidence }[]): AnswerKey {
  if (marks.length === 0) return base;
  const marked = new Set(marks.map((m) => m.role));
  const steps: KeyStep[] = base.steps.filter((s) => !marked.has(s.role));
  for (const m of marks) {
    const t = m.evidence.kind === 'goroutine' ? null : m.evidence.kind === 'window' ? { from: m.evidence.from, to: m.evidence.to } : { from: m.evidence.ts, to: m.evidence.ts };
    steps.push({ id: `mark-${steps.length}`, role: m.role, title: m.text.replace(/^[^:]*:\s*/, ''), evidence: [m.evidence], window: t, lineKinds: m.evidence.kind === 'line' && m.evidence.signal ? [m.evidence.signal] : [] });
  }
  steps.sort((a, b) => roles.indexOf(a.role) - roles.indexOf(b.role));
  return { ...base, steps };
}

/** The key with every name a redaction may change (paths, processes, titles) passed through `t`. */
export function redactKey(key: AnswerKey, t: (s: string) => string): AnswerKey {
  const evidence = (e: KeyEvidence): KeyEvidence => (e.kind === 'goroutine' ? { ...e, path: t(e.path), process: t(e.process) } : e.path ? { ...e, path: t(e.path) } : e);
  return { ...key, title: t(key.title), steps: key.steps.map((s) => ({ ...s, title: t(s.title), evidence: s.evidence.map(evidence) })) };
}
