import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeScenarioToDir } from '../src/core/scenarios/write-node';
import { dropFiles, expect, idle, summary, test } from './fixtures';

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
}

let incident: string[] = [];
let shimHung: string[] = [];
let healthy: string[] = [];
test.beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'causeway-chain-'));
  await writeScenarioToDir({ scenario: 'healthy', seed: 8, targetBytes: 3_000_000, zoneOffsetMin: 60, noise: 1 }, join(dir, 'healthy'));
  healthy = listFiles(join(dir, 'healthy'));
  await writeScenarioToDir({ scenario: 'io-storm-umount-bbolt', seed: 913, targetBytes: 3_000_000, zoneOffsetMin: 480, skewUs: -45_000_000 }, join(dir, 'incident'));
  await writeScenarioToDir({ scenario: 'shim-umount-hung', seed: 55, targetBytes: 2_000_000, zoneOffsetMin: 0 }, join(dir, 'shim'));
  incident = listFiles(join(dir, 'incident'));
  shimHung = listFiles(join(dir, 'shim'));
});

test('the incident bundle shows its chain; each step highlights its evidence in the timeline and the log view', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/');
  await idle(page);
  await dropFiles(page, incident);
  const chain = page.getByTestId('chain');
  await expect(chain).toHaveAttribute('data-pattern', 'io-storm-umount-bbolt', { timeout: 30_000 });
  const s = await summary(page);
  expect(s.chains[0]!.patternId).toBe('io-storm-umount-bbolt');
  expect(s.chains[0]!.confidence).toBeGreaterThanOrEqual(0.8);
  await expect(page.getByTestId('remedy')).toContainText('volatile');

  const steps = chain.locator('[data-testid^="chain-step-"]');
  const n = await steps.count();
  expect(n).toBeGreaterThanOrEqual(5);
  for (let i = 0; i < n; i++) {
    const step = page.getByTestId(`chain-step-${i}`);
    if (await step.isDisabled()) continue; // a step without evidence in this bundle
    await step.click();
    await expect(step).toHaveAttribute('aria-pressed', 'true');
    expect(await page.evaluate(() => location.hash)).toContain(`sel=step~io-storm-umount-bbolt~${i}`);
    const hl = page.getByTestId('workspace');
    const count = Number(await hl.getAttribute('data-highlight-count'));
    expect(count).toBeGreaterThan(0);
    // The symptom's evidence is the relist line before the gap: the log view goes to it.
    if (i === 0) await expect(page.getByTestId('log-view')).toHaveAttribute('data-cursor-text', /GenericPLEG: Relisting/, { timeout: 15_000 });
  }
});

test('a different fault gets a different chain, and a user pattern runs live', async ({ page }) => {
  await page.goto('/');
  await idle(page);
  await dropFiles(page, shimHung);
  await expect(page.getByTestId('chain')).toHaveAttribute('data-pattern', 'shim-umount-hung', { timeout: 30_000 });

  await page.getByRole('button', { name: 'Patterns… (write your own)' }).click();
  const editor = page.getByTestId('pattern-editor');
  await expect(editor.getByTestId('pattern-monaco').locator('.monaco-editor')).toBeVisible({ timeout: 20_000 });
  // The template (a copy of a built-in) validates and is scored against this bundle.
  await expect(editor.getByTestId('pattern-result')).toContainText('Valid pattern.');
  await expect(editor.getByTestId('pattern-live')).toBeVisible();
  // Break it: the result panel says what is wrong instead of scoring.
  await editor.getByTestId('pattern-monaco').locator('.monaco-editor').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('{"id": 1');
  await expect(editor.getByTestId('pattern-result').locator('.problems')).toBeVisible();
  await expect(editor.getByTestId('pattern-live')).toHaveCount(0);
});

test('a bundle no pattern explains lists its findings open, however many there are', async ({ page }) => {
  await page.goto('/');
  await idle(page);
  await dropFiles(page, healthy);
  await expect(page.getByTestId('no-chain')).toBeVisible({ timeout: 30_000 });
  const findings = page.getByTestId('findings');
  // More than the dozen a chain's panel shows open: without a chain, the findings are the answer.
  const count = (await summary(page)).findings.length;
  expect(count).toBeGreaterThan(12);
  await expect(findings.locator('summary')).toHaveText(`Findings (${count})`);
  await expect(findings).toHaveAttribute('open', '');
  await expect(findings.locator('li').first()).toBeVisible();
});
