import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeScenarioToDir } from '../src/core/scenarios/write-node';
import { dropFiles, expect, idle, test } from './fixtures';

/**
 * The whole journey in one browser, every request watched: load, drop, analyse, search, share, open the
 * link, train. The `offOrigin` fixture (e2e/fixtures.ts) fails the test on any request that leaves the
 * page's origin; this test also counts what stayed on it.
 */
test('the whole journey never sends a request off the page origin', async ({ page, browser, baseURL, offOrigin }) => {
  const dir = mkdtempSync(join(tmpdir(), 'causeway-journey-'));
  await writeScenarioToDir({ scenario: 'io-storm-umount-bbolt', seed: 2718, targetBytes: 2_000_000, zoneOffsetMin: 60 }, dir);
  const files = readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  const origin = new URL(baseURL!).origin;
  const seen: string[] = [];
  page.on('request', (r) => seen.push(r.url()));

  await page.goto('/');
  await idle(page);
  await dropFiles(page, files);
  await expect(page.getByTestId('chain')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('chain-step-0').click();

  // Search (worker scan of the stored bytes).
  await page.keyboard.press('/');
  await page.keyboard.type('deadline');
  await page.keyboard.press('Enter');
  await idle(page);
  await page.getByRole('tab', { name: 'Goroutines' }).click();
  await idle(page);

  // Share, then open the link in another browser.
  await page.getByRole('button', { name: 'Share…' }).click();
  await expect(page.getByTestId('share-link')).toHaveValue(/#\/s\/1\./);
  const link = await page.getByTestId('share-link').inputValue();
  const other = await browser.newContext();
  const p2 = await other.newPage();
  const seen2: string[] = [];
  p2.on('request', (r) => seen2.push(r.url()));
  await p2.goto(link);
  await expect(p2.getByTestId('snapshot-chain')).toBeVisible();
  await other.close();
  await page.keyboard.press('Escape');

  // A training exercise.
  await page.goto('/#/train/io-storm-umount-bbolt?seed=5&hints=on');
  await idle(page);
  await expect(page.getByRole('button', { name: /Submit/ })).toBeVisible({ timeout: 60_000 });

  const leaving = [...seen, ...seen2].filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin);
  expect(leaving).toEqual([]);
  expect(offOrigin).toEqual([]);
  expect(seen.length).toBeGreaterThan(5); // the watch saw the app's own requests
});
