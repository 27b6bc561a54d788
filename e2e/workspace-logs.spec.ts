import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Page } from '@playwright/test';
import { writeScenarioToDir } from '../src/core/scenarios/write-node';
import { dropFiles, expect, idle, test } from './fixtures';

// The regex searched, and the same regex applied in Node to the generated files' lines.
const PATTERN = 'context deadline exceeded|i/o timeout';

let files: string[] = [];
test.beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'causeway-logs-'));
  files = (await writeScenarioToDir({ scenario: 'io-storm-umount-bbolt', seed: 9001, targetBytes: 4_000_000, zoneOffsetMin: 330 }, join(dir, 'node-l'))).files;
});

function fileLines(): Map<string, string[]> {
  return new Map(files.map((f) => [f, readFileSync(f, 'utf8').split('\n').map((l) => l.replace(/\r$/, ''))]));
}

/** The text of the line starting at a byte offset of a generated file. */
function lineAt(path: string, offset: number): string {
  const bytes = readFileSync(files.find((f) => basename(f) === basename(path))!);
  const end = bytes.indexOf(10, offset);
  return bytes.subarray(offset, end < 0 ? bytes.length : end).toString('utf8').replace(/\r$/, '');
}

async function logsReady(page: Page): Promise<void> {
  await expect(page.getByTestId('log-view')).toHaveAttribute('data-loading', '0', { timeout: 30_000 });
  await expect(page.getByTestId('log-view')).not.toHaveAttribute('data-total', '');
}

function selectionOf(url: string): { sourceId: string; offset: number; ts: number } | null {
  const m = /[?&]sel=line~([^~&]+)~(\d+)~(\d+)/.exec(decodeURIComponent(url));
  return m ? { sourceId: m[1]!, offset: Number(m[2]), ts: Number(m[3]) } : null;
}

async function pathOfSource(page: Page, sourceId: string): Promise<string> {
  return (await page.locator(`.lv-legend li[data-source-id="${sourceId}"]`).getAttribute('data-path'))!;
}

test('log view: lines with their text, regex search count, n, a selection from the URL, reload', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/');
  await idle(page);
  await dropFiles(page, files);
  await logsReady(page);

  // The editor shows whole lines of the dropped files, not bytes cut at wrong offsets.
  // Monaco draws tabs as spaces: compare with whitespace runs collapsed.
  const squash = (t: string) => t.replace(/[\s\u00a0]+/g, ' ').trim();
  const all = new Set([...fileLines().values()].flat().map(squash));
  const shown = (await page.locator('[data-testid="log-view"] .view-line').allTextContents()).map(squash).filter(Boolean);
  expect(shown.length).toBeGreaterThan(10);
  for (const t of shown) expect(all.has(t), `shown line is a line of a file: ${t}`).toBe(true);

  // Regex search: the count equals Node's count of matching lines.
  const re = new RegExp(PATTERN, 'i');
  const expected = [...fileLines().values()].flat().filter((l) => re.test(l)).length;
  expect(expected).toBeGreaterThan(2);
  await page.getByRole('button', { name: '.*' }).click();
  await page.getByTestId('search-input').fill(PATTERN);
  await page.getByTestId('search-input').press('Enter');
  const count = page.getByTestId('search-count');
  await expect(count).toHaveAttribute('data-busy', '0');
  await expect(count).toHaveAttribute('data-total', String(expected));
  await expect(count).toContainText(`${expected} matches in`);

  // n selects the first match, n again a later one; each is shown and marked in the log view.
  await page.getByTestId('search-input').blur();
  await page.keyboard.press('n');
  await expect.poll(() => selectionOf(page.url())).not.toBeNull();
  const first = selectionOf(page.url())!;
  await expect(page.getByTestId('log-view')).toHaveAttribute('data-selected-text', re);
  await page.keyboard.press('n');
  await expect.poll(() => selectionOf(page.url())?.offset !== first.offset || selectionOf(page.url())?.sourceId !== first.sourceId).toBe(true);
  const second = selectionOf(page.url())!;
  expect(second.ts).toBeGreaterThanOrEqual(first.ts);
  await expect(page.getByTestId('log-view')).toHaveAttribute('data-selected-text', re);
  expect(lineAt(await pathOfSource(page, second.sourceId), second.offset)).toMatch(re);

  // Back to the first, then the last match (N wraps around), then the first again: the view pages away and back.
  await page.keyboard.press('N');
  await expect.poll(() => selectionOf(page.url())?.offset).toBe(first.offset);
  await page.keyboard.press('N');
  await expect.poll(() => selectionOf(page.url())?.ts ?? 0).toBeGreaterThan(second.ts);
  const last = selectionOf(page.url())!;
  await page.keyboard.press('n');
  await expect.poll(() => selectionOf(page.url())?.offset).toBe(first.offset);

  // A selection set in the URL scrolls the view to that exact line.
  const want = lineAt(await pathOfSource(page, last.sourceId), last.offset);
  await page.evaluate((sel) => {
    location.hash = location.hash.replace(/sel=[^&]*/, `sel=line~${sel.sourceId}~${sel.offset}~${sel.ts}`);
  }, last);
  await logsReady(page);
  await expect(page.getByTestId('log-view')).toHaveAttribute('data-selected-text', want);
  await expect(page.getByTestId('log-view')).toHaveAttribute('data-cursor-text', want);
  await expect.poll(async () => (await page.locator('[data-testid="log-view"] .view-line').allTextContents()).map(squash)).toContain(squash(want));
  await expect(page.getByTestId('log-status')).toContainText(new Date(last.ts / 1000).toISOString().slice(11, 23));

  // Reload restores the search, its mode and the selection.
  await page.reload();
  await idle(page);
  await logsReady(page);
  await expect(page.getByTestId('search-input')).toHaveValue(PATTERN);
  await expect(page.getByRole('button', { name: '.*' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('search-count')).toHaveAttribute('data-total', String(expected));
  await expect(page.getByTestId('log-view')).toHaveAttribute('data-selected-text', want);

  // Esc clears the selection; back brings it back.
  await page.keyboard.press('Escape');
  await expect.poll(() => selectionOf(page.url())).toBeNull();
  await page.goBack();
  await expect.poll(() => selectionOf(page.url())?.offset).toBe(last.offset);
  await page.screenshot({ path: 'test-results/workspace-logs.png' });
});
