// Every ```text example of the grammar reference (FORMATS.md) is detected as a sensible format
// and, through the real pipeline, gets a time on the lines that carry one. The expectations are
// a table keyed by the first 40 characters of each block's first line; a block missing from the
// table fails, so a new example gets an expectation when it is added.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exampleBlocks, formatsMdPath } from './formats-md-blocks';
import { ingestBytes, utf8 } from './property-helpers';
import { EXPECTED } from './formats-md-expected';
import { detectFormat } from './registry';

const mdPath = formatsMdPath();

if (mdPath === null) {
  // The spec lives beside the project (../shared), not in it: a checkout without it cannot check
  // the examples, and says so instead of passing silently. CI has it, so there it always runs.
  describe('FORMATS.md examples', () => {
    it.skip('FORMATS.md not found (looked at $FORMATS_MD, ../shared/FORMATS.md, docs/FORMATS.md): examples not checked', () => {});
  });
} else {
  const blocks = exampleBlocks(readFileSync(mdPath, 'utf8'));

  describe(`FORMATS.md examples (${mdPath})`, () => {
    it('has example blocks, each with an expectation', () => {
      expect(blocks.length).toBeGreaterThan(20);
      const missing = blocks.filter((b) => EXPECTED[b.key] === undefined).map((b) => `line ${b.line}: ${JSON.stringify(b.key)}`);
      expect(missing, 'add these blocks to EXPECTED').toEqual([]);
    });

    it.each(blocks.map((b) => [b.line, b.key, b] as const))('block at line %i (%j)', async (_line, key, block) => {
      const want = EXPECTED[key];
      if (!want) return; // reported by the test above
      const path = want.path ?? 'example.log';
      const sniff = { path, lines: block.lines.filter((l) => l.length > 0) };
      const detected = detectFormat(sniff).format.id;
      const allowed = Array.isArray(want.format) ? want.format : [want.format];
      expect(allowed, `detected ${detected}`).toContain(detected);
      expect(detected).not.toBe('plain');

      const bytes = utf8(`${block.lines.join('\n')}\n`);
      const { result } = await ingestBytes(path, bytes);
      expect(result.status).toBe('done');
      expect(result.format).toBe(detected);
      expect(result.lines).toBe(block.lines.length);
      const timed = result.sources.reduce((n, s) => n + s.localStamped + s.absoluteStamped + s.relativeStamped, 0);
      const records = result.sources.reduce((n, s) => n + s.records, 0);
      expect(timed, want.why ?? 'every record carries a time').toBe(want.timed);
      if (want.why === undefined) expect(timed, 'every record timed').toBe(records);
      if (want.timed > 0) expect(result.errors.filter((e) => e.includes('no parsable timestamp'))).toEqual([]);
    });
  });
}
