// Reads the ```text example blocks of the grammar reference (FORMATS.md) for tests (not imported
// by production code). The file lives beside the project, not in it: the tests that use it skip
// themselves when it cannot be found.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ExampleBlock {
  /** 1-based line of the opening fence in FORMATS.md. */
  line: number;
  /** The block's lines, with the fence's indentation removed (TABs and trailing spaces kept). */
  lines: string[];
  /** The first 40 characters of the block's first line: its key in expectation tables. */
  key: string;
}

/** Where FORMATS.md is looked for: $FORMATS_MD, the shared folder beside the project, the project's docs. */
export function formatsMdPath(): string | null {
  const candidates = [
    process.env.FORMATS_MD,
    fileURLToPath(new URL('../../../../shared/FORMATS.md', import.meta.url)),
    fileURLToPath(new URL('../../../docs/FORMATS.md', import.meta.url)),
  ];
  for (const c of candidates) if (c && existsSync(c)) return c;
  return null;
}

export function exampleBlocks(text: string): ExampleBlock[] {
  const md = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const blocks: ExampleBlock[] = [];
  for (let i = 0; i < md.length; i++) {
    const open = /^(\s*)```text\s*$/.exec(md[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const start = i;
    const lines: string[] = [];
    for (i++; i < md.length && !/^\s*```\s*$/.test(md[i]!); i++) {
      const l = md[i]!;
      lines.push(l.slice(0, indent).trim() === '' ? l.slice(indent) : l);
    }
    blocks.push({ line: start + 1, lines, key: (lines[0] ?? '').slice(0, 40) });
  }
  return blocks;
}
