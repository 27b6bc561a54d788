import type { Chain } from '../../core/chains/types';
import type { SourceFile } from '../../core/model';
import { readRaw } from '../../store/raw-store';
import type { Excerpts } from './convert';

const PER_STEP = 3;
const MAX_CHARS = 300;

/** A few evidence lines per step of the chain, read from the stored bytes (opt-in: they are the user's data). */
export async function readExcerpts(bundleId: string, files: SourceFile[], chain: Chain): Promise<Excerpts> {
  const out: Excerpts = new Map();
  const decoder = new TextDecoder();
  for (const [i, step] of chain.steps.entries()) {
    const lines = step.evidence.filter((e) => e.kind === 'line').slice(0, PER_STEP);
    const list: { path: string; line: number; ts: number | null; text: string }[] = [];
    for (const e of lines) {
      const f = files.find((x) => x.id === e.fileId);
      if (!f || !f.rawKey) continue;
      const bytes = await readRaw(bundleId, f.rawKey, f.rawOffset + e.offset, Math.min(2048, Math.max(0, f.rawBytes - e.offset)));
      const text = decoder.decode(bytes).split(/\r?\n/, 1)[0] ?? '';
      list.push({ path: f.path, line: e.line, ts: e.ts, text: text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}…` : text });
    }
    if (list.length) out.set(i, list);
  }
  return out;
}

/** Hostnames, pods and images this bundle names, so redaction catches them even where no rule would. */
export function knownValues(texts: string[], facts: Record<string, string | number | boolean>[]): { host: string[]; pod: string[]; image: string[] } {
  const host = new Set<string>();
  const pod = new Set<string>();
  const image = new Set<string>();
  for (const t of texts) {
    const m = /^(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)?|\d{4}-\d\d-\d\dT\S+) (\S+) [\w.@-]+(?:\[\d+\])?:/.exec(t);
    if (m && !/^\d/.test(m[1]!)) host.add(m[1]!);
  }
  for (const f of facts) {
    for (const [k, v] of Object.entries(f)) {
      if (typeof v !== 'string') continue;
      if (/^(pod|podName)$/i.test(k)) pod.add(v.includes('/') ? v.split('/')[1]! : v);
      if (/^image$/i.test(k)) image.add(v);
      if (/^(host|hostname|node)$/i.test(k)) host.add(v);
    }
  }
  return { host: [...host], pod: [...pod], image: [...image] };
}
