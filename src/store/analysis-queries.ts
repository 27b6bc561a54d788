import { buildAnalysisInput } from '../core/analysis/input';
import type { AnalysisInput } from '../core/analysis/types';
import type { Pattern } from '../core/chains/pattern';
import { validatePattern } from '../core/chains/validate';
import { db } from './db';
import { readDump } from './stored-dumps';

/**
 * Everything the detectors need about one bundle, read back from IndexedDB: the tapped signal
 * lines (stored with each file's parse result), metric series, dumps and events, with every
 * stamp moved by its source's current shift (zone, year, boot, clock offset) for its basis.
 */
export async function loadAnalysisInput(bundleId: string): Promise<AnalysisInput> {
  const d = db();
  const [files, sources, entries, metrics, dumps, events] = await Promise.all([
    d.files.where('bundleId').equals(bundleId).toArray(),
    d.sources.where('bundleId').equals(bundleId).toArray(),
    d.entries.where('bundleId').equals(bundleId).toArray(),
    d.metrics.where('bundleId').equals(bundleId).toArray(),
    d.dumps.where('bundleId').equals(bundleId).toArray(),
    d.events.where('bundleId').equals(bundleId).toArray(),
  ]);
  files.sort((a, b) => a.path.localeCompare(b.path));
  return buildAnalysisInput({ files, sources, entries, metrics, dumps: dumps.map(readDump), events });
}

/** The user's enabled patterns that still validate (a stored pattern never breaks the analysis). */
export async function enabledUserPatterns(): Promise<Pattern[]> {
  const stored = await db().patterns.toArray();
  const out: Pattern[] = [];
  for (const p of stored) {
    if (!p.enabled) continue;
    try {
      const v = validatePattern(JSON.parse(p.json));
      if (v.ok) out.push(v.pattern);
    } catch {
      // Unparsable JSON: the editor shows why; the analysis just skips it.
    }
  }
  return out;
}
