import { assembleBundle, type ParsedEntry } from './assemble';
import type { InputFile, WalkOptions } from './bundle/types';
import { walkInputs } from './bundle/walk';
import { ingestEntry } from './ingest';
import { buildSummary, type Summary } from './summary';

/**
 * Parses inputs without storing anything and summarises them: what the CLI prints, what the
 * benchmark times in Node, and what the end-to-end tests expect the page to show.
 */
export async function analyzeInputs(inputs: InputFile[], walk: WalkOptions = {}): Promise<Summary & { problems: string[] }> {
  const entries: ParsedEntry[] = [];
  const problems: string[] = [];
  const thisYear = new Date().getUTCFullYear();
  let n = 0;
  for await (const entry of walkInputs(inputs, walk, (p) => problems.push(`${p.path}: ${p.message}`))) {
    const fileId = `f${++n}`;
    const year = entry.lastModified ? new Date(entry.lastModified).getUTCFullYear() : thisYear;
    const result = await ingestEntry(entry, { fileId, year, sink: { raw: () => undefined, block: () => undefined } });
    entries.push({
      fileId, result, rawKey: '', rawOffset: 0, size: entry.size, archive: entry.archive, lastModified: entry.lastModified,
      formatChosenByUser: false, yearSource: entry.lastModified ? 'file-date' : 'assumed-current',
    });
  }
  const { files, sources } = assembleBundle('analysis', entries);
  return { ...buildSummary(files, sources), problems };
}
