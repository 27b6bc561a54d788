import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleBlocks } from '../src/core/formats/formats-md-blocks';
import { EXPECTED } from '../src/core/formats/formats-md-expected';
import { analyzePaths } from './node-summary';
import { dropFiles, expect, idle, summary, test } from './fixtures';

const RELATIVE_WITHOUT_BOOT = new Set(['dmesg', 'iostat', 'psi', 'vmstat']);
const formatsMd = join(process.cwd(), '..', 'shared', 'FORMATS.md');

test('every example of FORMATS.md dropped through the file input gets its format, counts and times', async ({ page }) => {
  // Only where the spec is missing (a checkout without ../shared); CI has it, so there it always runs.
  test.skip(!existsSync(formatsMd), 'FORMATS.md is not beside the project (../shared)');
  const dir = mkdtempSync(join(tmpdir(), 'causeway-formats-md-'));
  const blocks = exampleBlocks(readFileSync(formatsMd, 'utf8'));
  const files = blocks.map((b) => {
    const name = `L${b.line}-${EXPECTED[b.key]?.path ?? 'example.log'}`;
    const path = join(dir, name);
    writeFileSync(path, `${b.lines.join('\n')}\n`);
    return { path, name, want: EXPECTED[b.key] };
  });
  expect(files.filter((f) => !f.want).map((f) => f.name), 'examples without an expectation').toEqual([]);

  await page.goto('/');
  await idle(page);
  await dropFiles(page, files.map((f) => f.path));
  const got = await summary(page);
  const node = await analyzePaths(files.map((f) => f.path));
  for (const f of files) {
    const rows = got.files.filter((r) => r.path === f.name);
    expect(rows.length, f.name).toBeGreaterThan(0);
    const formats = Array.isArray(f.want!.format) ? f.want!.format : [f.want!.format];
    expect(formats, `${f.name} detected as ${rows[0]!.format}`).toContain(rows[0]!.format);
    // Seconds-since-boot stamps (raw dmesg, untimed metric samples) are placed only once the bundle
    // knows its boot time, which a lone example does not tell; every other timed example is placed.
    const relative = RELATIVE_WITHOUT_BOOT.has(f.name.replace(/^L\d+-/, '') === 'example.log' ? rows[0]!.format : '');
    if (f.want!.timed > 0 && !relative) expect(rows.some((r) => r.firstTs !== null), `${f.name} has timed lines`).toBe(true);
    // Same counts and times as the unit-tested core computes in Node.
    const strip = (r: (typeof rows)[number]) => ({ format: r.format, origin: r.origin, events: r.events, firstTs: r.firstTs, lastTs: r.lastTs, goroutines: r.goroutines });
    expect(rows.map(strip), f.name).toEqual(node.files.filter((r) => r.path === f.name).map(strip));
  }
});
