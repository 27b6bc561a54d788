/**
 * `npm run analyze -- <folder|archive|file> [--json]`: the same core as the page, in Node.
 * Parses every file (raw bytes are not kept), aligns time and prints the bundle summary.
 */
import { assembleBundle, type ParsedEntry } from '../core/assemble';
import { inputsFromPath } from '../core/bundle/node-inputs';
import { walkInputs } from '../core/bundle/walk';
import { ingestEntry } from '../core/ingest';
import { buildSummary } from '../core/summary';

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const paths = argv.filter((a) => !a.startsWith('--'));
  if (paths.length === 0) {
    process.stderr.write('usage: npm run analyze -- <folder|archive|file>... [--json]\n');
    return 2;
  }
  const entries: ParsedEntry[] = [];
  const problems: string[] = [];
  const year = new Date().getUTCFullYear();
  let n = 0;
  for (const p of paths) {
    const inputs = await inputsFromPath(p);
    for await (const entry of walkInputs(inputs, {}, (pr) => problems.push(`${pr.path}: ${pr.message}`))) {
      const fileId = `f${++n}`;
      const fileYear = entry.lastModified ? new Date(entry.lastModified).getUTCFullYear() : year;
      const result = await ingestEntry(entry, { fileId, year: fileYear, sink: { raw: () => undefined, block: () => undefined } });
      entries.push({
        fileId, result, rawKey: '', rawOffset: 0, size: entry.size, archive: entry.archive, lastModified: entry.lastModified,
        formatChosenByUser: false, yearSource: entry.lastModified ? 'file-date' : 'assumed-current',
      });
    }
  }
  const { files, sources } = assembleBundle('cli', entries);
  const summary = buildSummary(files, sources);
  if (json) {
    process.stdout.write(`${JSON.stringify({ ...summary, problems }, null, 2)}\n`);
    return 0;
  }
  for (const f of summary.files) {
    process.stdout.write(`${f.path}\n  ${f.format} · ${f.origin} · ${f.events} events · ${f.firstTs ?? '—'} → ${f.lastTs ?? '—'} · zone ${f.zone ?? '—'}\n`);
    for (const e of f.errors) process.stdout.write(`  ! ${e}\n`);
  }
  for (const p of problems) process.stdout.write(`! ${p}\n`);
  return 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`analyze: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
