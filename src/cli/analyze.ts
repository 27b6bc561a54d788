/**
 * `npm run analyze -- <folder|archive|file>... [--json]`: the same core as the page, in Node.
 * Parses every file (raw bytes are not kept), aligns time and prints the bundle summary.
 */
import { analyzeInputs } from '../core/analyze';
import { inputsFromPath } from '../core/bundle/node-inputs';

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const paths = argv.filter((a) => !a.startsWith('--'));
  if (paths.length === 0) {
    process.stderr.write('usage: npm run analyze -- <folder|archive|file>... [--json]\n');
    return 2;
  }
  const inputs = (await Promise.all(paths.map((p) => inputsFromPath(p)))).flat();
  const summary = await analyzeInputs(inputs);
  if (json) {
    await print(`${JSON.stringify(summary, null, 2)}\n`);
    return 0;
  }
  const out: string[] = [];
  for (const f of summary.files) {
    out.push(`${f.path}\n  ${f.format} · ${f.origin} · ${f.events} events · ${f.firstTs ?? '—'} → ${f.lastTs ?? '—'} · zone ${f.zone ?? '—'}\n`);
    for (const e of f.errors) out.push(`  ! ${e}\n`);
  }
  for (const p of summary.problems) out.push(`! ${p}\n`);
  const notable = summary.findings.filter((f) => f.severity !== 'info');
  if (notable.length) out.push(`\nfindings (${notable.length} of ${summary.findings.length}, info omitted):\n`);
  for (const f of notable) out.push(`  ${f.severity.padEnd(5)} ${f.from ?? '—'}  ${f.detector}/${f.kind}: ${f.title}\n`);
  for (const c of summary.chains) out.push(`\nchain ${c.patternId} (${Math.round(c.confidence * 100)} %): ${c.title}\n${c.steps.map((s) => `  ${s.role}: ${s.title}`).join('\n')}\n`);
  await print(out.join(''));
  return 0;
}

/**
 * Writes to stdout and waits until it is handed over: into a pipe, stdout is asynchronous, and
 * process.exit() right after a large write cut the JSON short.
 */
function print(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`analyze: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
