// A trainer's custom scenario: export an open bundle (raw bytes from OPFS + its answer key) as a
// *.causeway-scenario.zip, redacted by default without moving a byte offset (core/share/redact-bytes);
// import one (ingest its files, start the exercise with its key).

import type { QueryClient } from '@tanstack/react-query';
import { analyzeBundleData } from '../../core/analysis/run';
import type { RedactionOptions, Replacement } from '../../core/share/redact';
import { redactBundleFiles } from '../../core/share/redact-bytes';
import { deriveAnswerKey, keyEvidence, type AnswerKey, type KeyEvidence } from '../../core/training/answer-key';
import { keyWithMarks, packScenario, redactKey, roleOfNote, unpackScenario, type ScenarioFile } from '../../core/training/scenario-file';
import type { StepRole } from '../../core/chains/types';
import { loadAnalysisInput } from '../../store/analysis-queries';
import { db } from '../../store/db';
import { bundleDetail } from '../../store/queries';
import { readRaw } from '../../store/raw-store';
import { ingestFiles } from '../ingest-service';
import { knownValues } from '../share/excerpts';
import { exerciseStore } from './exercise-store';

/**
 * The bundle's top chain (confidence ≥ 0.5) as the key, with the trainer's role notes taking precedence;
 * and the hosts, pods and images the analysis names (redaction catches them where no rule would).
 */
async function keyOfBundle(bundleId: string): Promise<{ key: AnswerKey; known: RedactionOptions['known'] }> {
  const input = await loadAnalysisInput(bundleId);
  const result = analyzeBundleData(input);
  const top = result.chains[0] && result.chains[0].confidence >= 0.5 ? result.chains[0] : null;
  const base = deriveAnswerKey('custom', top?.patternId ?? null, input, result);
  const marks: { role: StepRole; text: string; evidence: KeyEvidence }[] = [];
  for (const n of await db().notes.where('bundleId').equals(bundleId).sortBy('createdAt')) {
    const role = roleOfNote(n.text);
    const t = n.target;
    if (!role) continue;
    const fileId = t.kind === 'line' ? input.files.find((f) => t.sourceId.startsWith(`${f.id}:`))?.id
      : t.kind === 'goroutine' ? input.dumps.find((d) => d.id === t.dumpId)?.fileId : undefined;
    const e = t.kind === 'line' && fileId ? keyEvidence({ kind: 'line', fileId, sourceId: t.sourceId, line: 0, offset: t.offset, ts: t.ts }, input)
      : t.kind === 'goroutine' && fileId ? keyEvidence({ kind: 'goroutine', fileId, dumpId: t.dumpId, goroutine: t.goroutine, line: 0 }, input)
      : t.kind === 'range' ? { kind: 'window' as const, path: '', series: '', from: t.from, to: t.to } : null;
    if (e) marks.push({ role, text: n.text, evidence: e });
  }
  const known = knownValues(input.signals.slice(0, 5000).map((x) => x.text), result.findings.map((f) => f.facts));
  return { key: keyWithMarks(base, marks), known };
}

/** A scenario ready to download, with what its redaction replaced (empty when not redacted). */
export interface PreparedScenario {
  name: string;
  scenario: ScenarioFile;
  replacements: Replacement[];
}

export async function prepareScenario(bundleId: string, briefing: string, redact: boolean): Promise<PreparedScenario> {
  const detail = await bundleDetail(bundleId);
  if (!detail) throw new Error('the bundle is not stored in this browser');
  const { key, known } = await keyOfBundle(bundleId);
  const raw = [];
  for (const f of detail.files) {
    if (f.rawBytes > 0) raw.push({ path: f.path, bytes: await readRaw(bundleId, f.rawKey, f.rawOffset, f.rawBytes) });
  }
  let scenario: ScenarioFile = { title: detail.bundle.name, briefing, key, files: raw };
  let replacements: Replacement[] = [];
  if (redact) {
    const { files, redactor } = redactBundleFiles(raw, { known });
    const t = (s: string) => redactor.text(s);
    scenario = { title: t(scenario.title), briefing: t(briefing), key: redactKey(key, t), files };
    replacements = redactor.replacements();
  }
  const safe = scenario.title.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'scenario';
  return { name: `${safe}.causeway-scenario.zip`, scenario, replacements };
}

export function scenarioBlob(p: PreparedScenario): Blob {
  return new Blob([packScenario(p.scenario) as BlobPart], { type: 'application/zip' });
}

/** What the export note says was replaced: "12 host, 40 pod, 3 image values". */
export function replacedSummary(replacements: Replacement[]): string {
  if (replacements.length === 0) return 'nothing redacted';
  const byKind = new Map<string, number>();
  for (const r of replacements) byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
  return `redacted ${[...byKind].map(([k, n]) => `${n} ${k}`).join(', ')} value${replacements.length === 1 ? '' : 's'} (same length, every offset kept)`;
}

/** Ingests a scenario file's bundle and opens it in exercise mode with the file's key. */
export async function importScenario(file: Blob, qc: QueryClient): Promise<string> {
  const s = unpackScenario(new Uint8Array(await file.arrayBuffer()));
  const picked = s.files.map((f) => ({ path: f.path, file: new File([f.bytes as BlobPart], f.path.slice(f.path.lastIndexOf('/') + 1)) }));
  const outcome = await ingestFiles(picked, qc);
  if (!outcome?.bundleId) throw new Error('another ingest is running: try again when it ends');
  exerciseStore.start({
    bundleId: outcome.bundleId, scenario: 'custom', title: s.title, seed: null, hints: true, minutes: null,
    briefing: s.briefing, startedAt: Date.now(), pins: [], remedy: null, hintsUsed: [], customKey: s.key,
  });
  location.hash = `#/bundle/${outcome.bundleId}`;
  return outcome.bundleId;
}

export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
