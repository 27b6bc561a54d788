import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeInputs } from '../src/core/analyze';
import { inputsFromPath } from '../src/core/bundle/node-inputs';
import { writeScenarioToDir } from '../src/core/scenarios/write-node';
import type { Summary } from '../src/core/summary';
import { dropFiles, expect, summary, test } from './fixtures';

// Two nodes in different zones, each in its folder of one archive: every file lands where the same
// node's files land when analysed alone (own zone, own boot), not at the bundle's one vote.

let dir = '';
test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'causeway-zones-'));
  await writeScenarioToDir({ scenario: 'io-storm-umount-bbolt', seed: 717, targetBytes: 1_500_000, zoneOffsetMin: 330 }, join(dir, 'nodes', 'node-a'));
  await writeScenarioToDir({ scenario: 'healthy', seed: 718, targetBytes: 1_500_000, zoneOffsetMin: -300 }, join(dir, 'nodes', 'node-b'));
  execFileSync('tar', ['czf', join(dir, 'two-nodes.tar.gz'), '-C', join(dir, 'nodes'), 'node-a', 'node-b']);
});

/** What the Node core finds in one node's folder alone, keyed by the path below `nodes/`. */
async function alone(node: string): Promise<Map<string, Summary['files'][number]>> {
  const inputs = await inputsFromPath(join(dir, 'nodes', node));
  const s = await analyzeInputs(inputs);
  return new Map(s.files.map((f) => [`${f.path.slice(f.path.indexOf(node))}|${f.origin}`, f]));
}

test('an archive of two nodes in two zones: each node\'s files are placed as when analysed alone', async ({ page }) => {
  await page.goto('/');
  await dropFiles(page, [join(dir, 'two-nodes.tar.gz')]);
  const got = await summary(page);
  const truth = new Map([...await alone('node-a'), ...await alone('node-b')]);
  const timed = got.files.filter((f) => f.firstTs !== null);
  expect(timed.length).toBeGreaterThan(15);
  for (const f of timed) {
    const want = truth.get(`${f.path.slice(f.path.indexOf('!/') + 2)}|${f.origin}`);
    expect(want, f.path).toBeDefined();
    expect([f.path, f.firstTs, f.lastTs, f.zone]).toEqual([f.path, want!.firstTs, want!.lastTs, want!.zone]);
  }
  // The file list says where a zone that is not the bundle's came from.
  await page.getByRole('tab', { name: 'Files' }).click();
  await expect(page.getByTestId('file-table')).toContainText(/read from (this file's lines|files in the same folder)/);
  expect(readdirSync(join(dir, 'nodes'))).toEqual(['node-a', 'node-b']);
});
