import { mkdtempSync, readdirSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeScenarioToDir } from '../src/core/scenarios/write-node';
import { analyzePaths } from './node-summary';
import { dropFiles, expect, summary, test } from './fixtures';

const listFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();

let dir = '';
test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'causeway-analysis-'));
  await writeScenarioToDir({ scenario: 'io-storm-umount-bbolt', seed: 9090, targetBytes: 3_000_000, zoneOffsetMin: -420, skewUs: 60e6 }, join(dir, 'node-b'));
  // Undated dumps take the file's mtime: whole seconds, so Node (µs mtime) and the page (ms) agree.
  const mtime = new Date(Math.floor(Date.now() / 1000) * 1000);
  for (const f of listFiles(join(dir, 'node-b'))) utimesSync(f, mtime, mtime);
});

test('the page finds what the CLI finds: signals from IndexedDB, stamps aligned, same findings', async ({ page }) => {
  await page.goto('/');
  const files = listFiles(join(dir, 'node-b'));
  await dropFiles(page, files);
  const got = await summary(page);
  const want = await analyzePaths(files);
  const norm = (s: typeof got) => s.findings.map((f) => ({ ...f, evidence: f.evidence.map((e) => ('file' in e ? { ...e, file: e.file.split('/').pop() } : e)) }));
  expect(norm(got)).toEqual(norm(want));
  const kinds = new Set(got.findings.map((f) => `${f.detector}/${f.kind}`));
  for (const k of ['pleg/relist-gap', 'goroutines/lock-link', 'goroutines/bbolt-fsync-holder', 'kernel/hung-task', 'io-pressure/io-window', 'image-pulls/pull-storm', 'runtime/taskexit-failed']) {
    expect(kinds, k).toContain(k);
  }
});
