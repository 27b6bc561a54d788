import { readFileSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { generateScenario } from '../src/core/scenarios';
import { trainingOptions } from '../src/core/training/library';
import { expect, idle, summary, test } from './fixtures';

const LINK = '#/train/io-storm-umount-bbolt?seed=4242&hints=on&minutes=30';
const roles = ['symptom', 'blocked-call', 'lock-holder', 'resource', 'root-cause'] as const;

type LocalSel =
  | { kind: 'line'; sourceId: string; offset: number; ts: number }
  | { kind: 'goroutine'; dumpId: string; goroutine: number }
  | { kind: 'window'; from: number; to: number }
  | null;
interface LocalKey { patternId: string | null; remedy: string; steps: { role: string; title: string; local: LocalSel[] }[] }

/** A fresh browser (empty storage) whose requests must stay on the page's origin, like the fixture's. */
async function freshContext(browser: Browser, baseURL: string) {
  const ctx = await browser.newContext({ baseURL });
  const offOrigin: string[] = [];
  ctx.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== new URL(baseURL).origin) offOrigin.push(url);
  });
  return { ctx, close: async () => { await ctx.close(); expect(offOrigin, 'requests that left the page origin').toEqual([]); } };
}

async function openExercise(page: Page, link: string): Promise<string> {
  await page.goto(`/${link}`);
  await expect(page.getByTestId('pin-panel')).toBeVisible({ timeout: 90_000 });
  await idle(page);
  return (await page.evaluate(() => window.causeway!.bundleId()))!;
}

async function answerKey(page: Page): Promise<LocalKey> {
  const h = await page.waitForFunction(() => window.causeway?.training.answerKey() ?? null);
  return (await h.jsonValue()) as LocalKey;
}

/** The fragment that selects a piece of evidence in the workspace, the way a link or a click does. */
function hashFor(bundleId: string, s: NonNullable<LocalSel>): string {
  switch (s.kind) {
    case 'line': return `#/bundle/${bundleId}?sel=line~${s.sourceId}~${s.offset}~${s.ts}`;
    case 'goroutine': return `#/bundle/${bundleId}?sel=goroutine~${s.dumpId}~${s.goroutine}&tab=goroutines`;
    case 'window': return `#/bundle/${bundleId}?from=${Math.floor(s.from)}&to=${Math.ceil(s.to)}`;
  }
}

async function pin(page: Page, bundleId: string, role: string, s: NonNullable<LocalSel>): Promise<void> {
  await page.evaluate((h) => { location.hash = h; }, hashFor(bundleId, s));
  const button = page.getByTestId(s.kind === 'window' ? `pin-window-${role}` : `pin-selection-${role}`);
  await expect(button).toBeEnabled();
  await button.click();
  await expect(page.getByTestId(`pin-value-${role}`)).not.toContainText('nothing pinned');
}

/** For every role of the key, its first piece of evidence that can be selected. */
function rightEvidence(key: LocalKey): { role: string; sel: NonNullable<LocalSel> }[] {
  return roles.flatMap((role) => {
    const sel = key.steps.filter((s) => s.role === role).flatMap((s) => s.local).find((l): l is NonNullable<LocalSel> => l !== null);
    return sel ? [{ role, sel }] : [];
  });
}

async function pinAllRight(page: Page, bundleId: string, key: LocalKey): Promise<void> {
  for (const { role, sel } of rightEvidence(key)) await pin(page, bundleId, role, sel);
  await page.getByTestId('remedy-select').selectOption(key.remedy);
}

test('a training link opens the reference scenario; the right evidence for every role scores 100 and reveals the chain', async ({ page }) => {
  const bundleId = await openExercise(page, LINK);
  await expect(page.getByTestId('briefing')).toContainText('rebooted');
  await expect(page.getByTestId('timer')).toContainText('of 30:00');
  await expect(page.getByTestId('chain-panel')).toHaveCount(0);
  const key = await answerKey(page);
  expect(key.patternId).toBe('io-storm-umount-bbolt');
  expect(rightEvidence(key).map((r) => r.role)).toEqual([...roles]);
  await pinAllRight(page, bundleId, key);
  await page.getByTestId('submit-exercise').click();
  await expect(page.getByTestId('score-total')).toHaveText('100');
  for (const r of roles) await expect(page.getByTestId(`score-${r}`)).toHaveAttribute('data-verdict', 'right');
  // The reveal: the chain panel is back and its first step is selected.
  await expect(page.getByTestId('chain')).toHaveAttribute('data-pattern', 'io-storm-umount-bbolt');
  await expect(page.getByTestId('chain-step-0')).toHaveAttribute('aria-pressed', 'true');
  // The attempt is stored and exportable.
  await page.goto('/#/train');
  await expect(page.getByTestId('attempts')).toContainText('Your attempts (1)');
  const download = page.waitForEvent('download');
  await page.getByTestId('export-attempts').click();
  const exported = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as { attempts: { scenario: string; seed: number; score: { total: number } }[] };
  expect(exported.attempts[0]).toMatchObject({ scenario: 'io-storm-umount-bbolt', seed: 4242, score: { total: 100 } });
});

test('a wrong pin gets partial credit with feedback; a hint costs points', async ({ page }) => {
  const bundleId = await openExercise(page, LINK);
  const key = await answerKey(page);
  const right = rightEvidence(key);
  const holder = right.find((r) => r.role === 'lock-holder')!.sel;
  for (const { role, sel } of right) await pin(page, bundleId, role, role === 'blocked-call' ? holder : sel);
  await page.getByTestId('hint-root-cause').click();
  await expect(page.getByTestId('hint-text-root-cause')).toContainText('Look at');
  await page.getByTestId('remedy-select').selectOption(key.remedy);
  await page.getByTestId('submit-exercise').click();
  const blocked = page.getByTestId('score-blocked-call');
  await expect(blocked).toHaveAttribute('data-verdict', 'wrong-role');
  await expect(blocked).toContainText('lock holder');
  await expect(blocked).toContainText('not the blocked call');
  // 16 points per role: half of one role lost, and 5 for the hint.
  await expect(page.getByTestId('score-total')).toHaveText('87');
});

test('the same seed gives the same bundle on two runs, another seed a different one', async ({ browser, baseURL }) => {
  const run = async (link: string) => {
    const { ctx, close } = await freshContext(browser, baseURL!);
    const page = await ctx.newPage();
    await openExercise(page, link);
    const s = await summary(page);
    await close();
    return s.files.map((f) => ({ path: f.path, format: f.format, events: f.events, firstTs: f.firstTs, lastTs: f.lastTs }));
  };
  const a = await run(LINK);
  expect(a.length).toBeGreaterThan(5);
  expect(await run(LINK)).toEqual(a);
  expect(await run(LINK.replace('seed=4242', 'seed=4243'))).not.toEqual(a);
});

test('a custom scenario exported from a bundle and imported in a fresh browser scores the same', async ({ page, browser, baseURL }) => {
  const bundleId = await openExercise(page, LINK);
  const original = await answerKey(page);
  await page.goto('/#/train');
  await page.getByLabel('Bundle to export').selectOption(bundleId);
  await expect(page.getByTestId('redact-scenario')).toBeChecked();
  await page.getByTestId('export-scenario').click();
  // The preview names what will be replaced before anything is downloaded.
  const host = generateScenario(trainingOptions('io-storm-umount-bbolt', 4242)).truth.hostname;
  await expect(page.getByTestId('redaction-preview')).toContainText(host, { timeout: 60_000 });
  const download = page.waitForEvent('download');
  await page.getByTestId('download-scenario').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.causeway-scenario\.zip$/);
  await expect(page.getByTestId('custom-status')).toContainText('host');
  const zip = readFileSync(await file.path());
  const members = Object.entries(unzipSync(new Uint8Array(zip)));
  expect(members.length).toBeGreaterThan(5);
  for (const [path, bytes] of members) {
    expect(path).not.toContain(host);
    expect(Buffer.from(bytes).toString('latin1').includes(host), `${host} in ${path}`).toBe(false);
  }

  // A trainee's browser: nothing stored, the scenario file imported from the library page.
  const { ctx, close } = await freshContext(browser, baseURL!);
  const trainee = await ctx.newPage();
  await trainee.goto('/#/train');
  await idle(trainee);
  await trainee.getByTestId('import-scenario').setInputFiles({ name: file.suggestedFilename(), mimeType: 'application/zip', buffer: zip });
  await expect(trainee.getByTestId('pin-panel')).toBeVisible({ timeout: 90_000 });
  await idle(trainee);
  const importedId = (await trainee.evaluate(() => window.causeway!.bundleId()))!;
  const key = await answerKey(trainee);
  const strip = (k: LocalKey) => k.steps.map((s) => ({ role: s.role, title: s.title, n: s.local.length }));
  expect(strip(key)).toEqual(strip(original));
  expect(key.remedy).toBe(original.remedy);
  await pinAllRight(trainee, importedId, key);
  await trainee.getByTestId('submit-exercise').click();
  await expect(trainee.getByTestId('score-total')).toHaveText('100');
  await close();
});
