import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeScenarioToDir } from '../src/core/scenarios/write-node';
import { dropFiles, expect, idle, test } from './fixtures';

// E2E_PORT=4261 E2E_OUT=dist-handover npx vite build && E2E_PORT=4261 E2E_OUT=dist-handover npx playwright test e2e/handover.spec.ts
const opts = { scenario: 'io-storm-umount-bbolt' as const, seed: 5023, targetBytes: 2_000_000, zoneOffsetMin: 330 };
let dir = '';
let files: string[] = [];

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'causeway-handover-'));
  await writeScenarioToDir(opts, join(dir, 'node'));
  files = readdirSync(join(dir, 'node'), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
});

const params = (hash: string) => new URLSearchParams(hash.split('?')[1]);

test('hand-over archive: logs + analysis in one file open in a fresh browser at the shared view, notes on the timeline', async ({ page, browser }) => {
  await page.goto('/');
  await idle(page);
  await dropFiles(page, files);
  await expect(page.getByTestId('chain')).toHaveAttribute('data-pattern', 'io-storm-umount-bbolt', { timeout: 30_000 });

  // A note on a window of the timeline (no selection), then one on the first chain step.
  await page.waitForFunction(() => !!window.causeway?.timeline);
  const extent = await page.evaluate(() => window.causeway!.timeline!.range());
  const from = Math.round(extent.from + (extent.to - extent.from) * 0.3);
  const to = Math.round(extent.from + (extent.to - extent.from) * 0.6);
  await page.evaluate(([f, t]) => window.causeway!.timeline!.zoomTo(f!, t!), [from, to]);
  await page.waitForFunction(() => location.hash.includes('from='));
  await page.getByLabel('New note').fill('the storm window');
  await page.getByRole('button', { name: 'Add note' }).click();
  // A note on a line: zoomed around an error, its marker clicked on the timeline selects it.
  await page.getByTestId('timeline-chart').scrollIntoViewIfNeeded();
  const first = (await page.evaluate(() => window.causeway!.timeline!.errorMarkers()))[0]!;
  await page.evaluate((ts) => window.causeway!.timeline!.zoomTo(ts - 30e6, ts + 30e6), first.ts);
  await expect.poll(() => page.evaluate(() => { const r = window.causeway!.timeline!.axisRange(0); return r.to - r.from; })).toBeLessThan(61e6);
  await idle(page);
  const target = (await page.evaluate(() => window.causeway!.timeline!.errorMarkers())).find((m) => m.ts === first.ts)!;
  await page.mouse.click(target.x, target.y);
  await expect.poll(() => decodeURIComponent(new URL(page.url()).hash)).toContain('sel=line~');
  const selectedTs = Number(/sel=line~[^~&]+~\d+~(\d+)/.exec(decodeURIComponent(new URL(page.url()).hash))![1]);
  await page.getByLabel('New note').fill('this error line');
  await page.getByRole('button', { name: 'Add note' }).click();
  await page.getByTestId('chain-step-0').click();
  await page.getByLabel('New note').fill('stalls start at this step');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByTestId('notes-panel')).toContainText('stalls start at this step');
  await expect(page.getByTestId('step-notes')).toContainText('stalls start at this step');
  const band = await page.evaluate(() => window.causeway!.timeline!.notes().filter((m) => m.kind === 'range'));
  expect(band).toEqual([expect.objectContaining({ kind: 'range', text: 'the storm window' })]);
  const pin = { kind: 'line', text: 'this error line', from: selectedTs, row: expect.any(Number) };
  await expect.poll(() => page.evaluate(() => window.causeway!.timeline!.notes().filter((m) => m.kind === 'line'))).toEqual([expect.objectContaining(pin)]);
  const noted = { from: band[0]!.from, to: band[0]!.to };
  const sharedHash = await page.evaluate(() => location.hash);

  // Download the archive (the dialog says the files are not redacted).
  await page.getByRole('button', { name: 'Share…' }).click();
  const dialog = page.getByTestId('share-dialog');
  await expect(dialog.getByTestId('handover')).toContainText('not redacted');
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download hand-over archive' }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.causeway\.zip$/);
  const archive = join(dir, download.suggestedFilename());
  await download.saveAs(archive);
  const logBytes = files.reduce((n, f) => n + statSync(f).size, 0);
  expect(statSync(archive).size).toBeLessThan(logBytes); // deflated

  // A fresh browser: dropping the archive alone opens the full workspace at the shared view.
  const other = await browser.newContext();
  const p2 = await other.newPage();
  await p2.goto('/');
  await idle(p2);
  await p2.getByTestId('file-input').setInputFiles(archive);
  await p2.waitForFunction(() => location.hash.startsWith('#/bundle/') && location.hash.includes('sel='), undefined, { timeout: 60_000 });
  await idle(p2);
  await expect(p2.getByTestId('file-problem')).toHaveCount(0);
  const restored = params(await p2.evaluate(() => location.hash));
  const original = params(sharedHash);
  for (const k of ['sel', 'from', 'to']) expect(restored.get(k), k).toBe(original.get(k));
  await expect(p2.getByTestId('notes-panel')).toContainText('the storm window');
  await expect(p2.getByTestId('notes-panel')).toContainText('stalls start at this step');
  await expect(p2.getByTestId('chain')).toHaveAttribute('data-pattern', 'io-storm-umount-bbolt', { timeout: 30_000 });
  await expect(p2.getByTestId('step-notes')).toContainText('stalls start at this step');

  // The window note is on the timeline; clicking its handle (zoomed out first) sets the window to it.
  await p2.waitForFunction(() => (window.causeway?.timeline?.notes().length ?? 0) > 1);
  const marks = await p2.evaluate(() => window.causeway!.timeline!.notes());
  expect(marks).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'range', text: 'the storm window', ...noted }), expect.objectContaining(pin)]));
  await p2.evaluate(([f, t]) => window.causeway!.timeline!.zoomTo(f!, t!), [extent.from, extent.to]);
  // The zoom must have settled into the URL first, or the click would prove nothing.
  await p2.waitForFunction(() => !location.hash.includes('from='));
  const [mark] = await p2.evaluate(() => window.causeway!.timeline!.notes().filter((m) => m.kind === 'range'));
  await p2.mouse.click(mark!.x, mark!.y);
  await p2.waitForFunction(([f, t]) => {
    const q = new URLSearchParams(location.hash.split('?')[1]);
    return Math.abs(Number(q.get('from')) - f!) < 2 && Math.abs(Number(q.get('to')) - t!) < 2;
  }, [noted.from, noted.to], { timeout: 10_000 });
  await other.close();
});

test('an archive that is not a hand-over archive says why', async ({ page }) => {
  const bogus = join(mkdtempSync(join(tmpdir(), 'causeway-handover-bad-')), 'not-really.causeway.zip');
  writeFileSync(bogus, 'plain text, not a zip');
  await page.goto('/');
  await idle(page);
  await page.getByTestId('file-input').setInputFiles(bogus);
  await expect(page.getByTestId('file-problem')).toContainText('not a hand-over archive');
});
