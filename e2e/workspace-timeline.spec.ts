import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Page } from '@playwright/test';
import { writeScenarioToDir } from '../src/core/scenarios/write-node';
import type { TimelineTestApi } from '../src/ui/workspace/timeline/test-hook';
import { dropFiles, expect, idle, summary, test } from './fixtures';

// Run with its own port and build folder:
//   E2E_PORT=4211 E2E_OUT=dist-timeline npx vite build && E2E_PORT=4211 E2E_OUT=dist-timeline npx playwright test e2e/workspace-timeline.spec.ts

let files: string[] = [];
test.beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'causeway-timeline-'));
  await writeScenarioToDir({ scenario: 'io-storm-umount-bbolt', seed: 9311, targetBytes: 4_000_000, zoneOffsetMin: 120 }, dir);
  files = readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
});

type Hook = { timeline?: TimelineTestApi };

async function painted(page: Page): Promise<void> {
  await expect(page.getByTestId('timeline-chart')).toHaveAttribute('data-painted', '1', { timeout: 30_000 });
  await page.waitForFunction(() => !!(window.causeway as Hook | undefined)?.timeline);
}

async function xRange(page: Page): Promise<{ from: number; to: number }> {
  const chart = page.getByTestId('timeline-chart');
  return { from: Number(await chart.getAttribute('data-x-from')), to: Number(await chart.getAttribute('data-x-to')) };
}

test('timeline: a lane per source, PSI and iostat panels sharing the zoom, error markers select their line', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/');
  await idle(page);
  await dropFiles(page, files);
  await painted(page);

  // One lane per log source with placed lines, labelled origin · file name (metric files are charts).
  const s = await summary(page);
  const want = s.files.filter((f) => f.firstTs !== null && f.events > 0 && !['psi', 'iostat', 'vmstat', 'goroutines'].includes(f.format)).map((f) => `${f.origin} · ${basename(f.path)}`).sort();
  const lanes = (await page.getByTestId('timeline-lane').allTextContents()).sort();
  expect(lanes).toEqual(want);
  expect(lanes.some((l) => l.startsWith('kubelet'))).toBe(true);
  await expect(page.locator('[data-kind="dumps"]')).toHaveCount(1);

  // PSI and iostat panels are drawn from the bundle's series; nothing is missing, so no hint.
  await expect(page.locator('[data-panel="psi"] [data-series="psi.io.full.avg10"]')).toHaveCount(1);
  await expect(page.locator('[data-panel="util"] li')).not.toHaveCount(0);
  await expect(page.getByTestId('timeline-hints')).toHaveCount(0);

  // Wheel over the timeline zooms every grid to the same narrower range.
  const whole = await xRange(page);
  const box = (await page.getByTestId('timeline-chart').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.6, box.y + 60);
  for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -300);
  await expect.poll(async () => { const r = await xRange(page); return r.to - r.from; }).toBeLessThan((whole.to - whole.from) * 0.8);
  const zoomed = await xRange(page);
  const panels = await page.locator('[data-testid="timeline-panel"]').count();
  for (let i = 1; i <= panels; i++) {
    const r = await page.evaluate((k) => (window.causeway as Hook).timeline!.axisRange(k), i);
    expect(Math.abs(r.from - zoomed.from)).toBeLessThan((zoomed.to - zoomed.from) * 0.01);
    expect(Math.abs(r.to - zoomed.to)).toBeLessThan((zoomed.to - zoomed.from) * 0.01);
  }
  // The settled zoom becomes the URL's window; a reload restores it.
  await expect.poll(() => new URL(page.url()).hash).toMatch(/from=\d+&to=\d+/);
  const hash = new URL(page.url()).hash;
  const [from, to] = [Number(/from=(\d+)/.exec(hash)![1]), Number(/to=(\d+)/.exec(hash)![1])];
  await page.reload();
  await idle(page);
  await painted(page);
  const restored = await xRange(page);
  expect(Math.abs(restored.from - from)).toBeLessThan((to - from) * 0.001 + 2);
  expect(Math.abs(restored.to - to)).toBeLessThan((to - from) * 0.001 + 2);

  // Hovering moves the shared crosshair: the panels' legends show values at the cursor.
  await page.mouse.move(box.x + box.width * 0.5, box.y + 40);
  await expect(page.locator('[data-panel="psi"] li b').first()).toBeVisible();

  // Zoom around one error line, then click its marker: the selection is that line.
  const first = (await page.evaluate(() => (window.causeway as Hook).timeline!.errorMarkers()))[0]!;
  expect(first).toBeTruthy();
  await page.evaluate((ts) => (window.causeway as Hook).timeline!.zoomTo(ts - 30e6, ts + 30e6), first.ts);
  await expect.poll(async () => (await xRange(page)).to - (await xRange(page)).from).toBeLessThan(61e6);
  await idle(page);
  const markers = await page.evaluate(() => (window.causeway as Hook).timeline!.errorMarkers());
  const target = markers.find((m) => m.ts === first.ts && m.offset === first.offset)!;
  await page.mouse.click(target.x, target.y);
  await expect.poll(() => decodeURIComponent(new URL(page.url()).hash)).toContain('sel=line~');
  const sel = /sel=line~([^~&]+)~(\d+)~(\d+)/.exec(decodeURIComponent(new URL(page.url()).hash))!;
  // Markers closer than a few pixels are one target for the mouse: the pick must be one of them.
  const near = markers.filter((m) => Math.hypot(m.x - target.x, m.y - target.y) < 5);
  expect(near.some((m) => m.sourceId === sel[1] && m.offset === Number(sel[2]) && m.ts === Number(sel[3]))).toBe(true);

  // Perf figures are recorded by the page itself.
  const perf = await page.evaluate(() => (window.causeway as Hook).timeline!.perf());
  expect(perf['timeline.paint']?.count).toBeGreaterThan(0);
  expect(perf['timeline.redraw']?.count).toBeGreaterThan(0);
});

test('timeline: the Select window button turns a drag into the URL window', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/');
  await idle(page);
  await dropFiles(page, files);
  await painted(page);
  const before = await xRange(page);
  await page.getByRole('button', { name: 'Select window' }).click();
  const box = (await page.getByTestId('timeline-chart').boundingBox())!;
  const y = box.y + 60;
  await page.mouse.move(box.x + 400, y);
  await page.mouse.down();
  await page.mouse.move(box.x + 600, y, { steps: 5 });
  await page.mouse.up();
  await expect.poll(() => new URL(page.url()).hash).toMatch(/from=\d+&to=\d+/);
  const after = await xRange(page);
  expect(after.to - after.from).toBeLessThan((before.to - before.from) * 0.5);
});
