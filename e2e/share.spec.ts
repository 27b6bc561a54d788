import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateScenario } from '../src/core/scenarios';
import { writeScenarioToDir } from '../src/core/scenarios/write-node';
import { dropFiles, expect, idle, test } from './fixtures';

const opts = { scenario: 'io-storm-umount-bbolt' as const, seed: 7311, targetBytes: 2_500_000, zoneOffsetMin: -420 };
let dir = '';
let files: string[] = [];
let hostname = '';
let podRef = '';

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'causeway-share-'));
  await writeScenarioToDir(opts, join(dir, 'node'));
  files = readdirSync(join(dir, 'node'), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
  hostname = generateScenario(opts).truth.hostname;
  const kubelet = files.find((f) => /kubelet/.test(f) && !/stacks/.test(f))!;
  podRef = /pod="([a-z0-9-]+\/[a-z0-9.-]+)"/.exec(readFileSync(kubelet, 'utf8'))![1]!;
});

test('share an analysis with a note: snapshot elsewhere, full view once the bundle is dropped, passphrase links', async ({ page, browser, baseURL }) => {
  await page.goto('/');
  await idle(page);
  await dropFiles(page, files);
  await expect(page.getByTestId('chain')).toHaveAttribute('data-pattern', 'io-storm-umount-bbolt', { timeout: 30_000 });

  // A note on the first chain step.
  await page.getByTestId('chain-step-0').click();
  await page.getByLabel('New note').fill(`kubelet stalls start here on ${hostname}, first pod="${podRef}"`);
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByTestId('notes-panel')).toContainText('kubelet stalls start here');
  const sharedHash = await page.evaluate(() => location.hash);

  // Share: without excerpts the link is small; with them, the preview is redacted (no host or pod names).
  await page.getByRole('button', { name: 'Share…' }).click();
  const dialog = page.getByTestId('share-dialog');
  await expect(dialog.getByTestId('share-link')).toHaveValue(/#\/s\/1\./);
  expect((await dialog.getByTestId('share-link').inputValue()).length).toBeLessThan(4096);
  await dialog.getByLabel('Include a few evidence lines per step').check();
  await expect(dialog.getByTestId('share-preview').locator('.excerpts').first()).toBeVisible();
  await expect(dialog.getByTestId('redaction-preview')).toContainText(hostname);
  const [ns, pod] = podRef.split('/') as [string, string];
  await expect(dialog.getByTestId('redaction-preview')).toContainText(pod);
  await expect(dialog.getByTestId('share-preview')).toContainText('kubelet stalls start here on <host-');
  for (const secret of [hostname, pod, `${ns}/`]) await expect(dialog.getByTestId('share-preview')).not.toContainText(secret);
  await expect(dialog.getByTestId('share-link')).toHaveValue(/#\/s\/1\./);
  const link = await dialog.getByTestId('share-link').inputValue();
  expect(link).not.toContain(hostname);

  // A fresh browser (empty storage): read-only snapshot with chain and note.
  const other = await browser.newContext();
  const p2 = await other.newPage();
  await p2.goto(link.replace(/^https?:\/\/[^/]+/, baseURL!));
  await expect(p2.getByTestId('snapshot')).toBeVisible();
  await expect(p2.getByTestId('snapshot-chain')).toHaveAttribute('data-pattern', 'io-storm-umount-bbolt');
  await expect(p2.getByTestId('snapshot-notes')).toContainText('kubelet stalls start here');
  // Dropping the same files there restores the full view at the shared window and selection.
  await p2.getByTestId('file-input').setInputFiles(files);
  await p2.waitForFunction(() => location.hash.startsWith('#/bundle/'), undefined, { timeout: 60_000 });
  await idle(p2);
  const restored = new URLSearchParams((await p2.evaluate(() => location.hash)).split('?')[1]);
  const original = new URLSearchParams(sharedHash.split('?')[1]);
  expect(restored.get('sel')).toBe(original.get('sel'));
  await expect(p2.getByTestId('notes-panel')).toContainText('kubelet stalls start here');
  await other.close();

  // A passphrase-protected link asks for it, refuses a wrong one, accepts the right one.
  await dialog.getByLabel('Share passphrase').fill('night shift 42');
  await expect(dialog.getByTestId('share-link')).toHaveValue(/#\/s\/1e\./, { timeout: 20_000 });
  const locked = await dialog.getByTestId('share-link').inputValue();
  const third = await browser.newContext();
  const p3 = await third.newPage();
  await p3.goto(locked.replace(/^https?:\/\/[^/]+/, baseURL!));
  await p3.getByLabel('Passphrase').fill('wrong');
  await p3.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(p3.getByRole('alert')).toContainText('Wrong passphrase');
  await p3.getByLabel('Passphrase').fill('night shift 42');
  await p3.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(p3.getByTestId('snapshot-chain')).toBeVisible({ timeout: 20_000 });
  await third.close();
});

test('broken links say what is wrong', async ({ page }) => {
  for (const [hash, text] of [['#/s/hello', 'not a Causeway share link'], ['#/s/1.AAAA_', 'cut when copied'], ['#/s/7.abc', 'newer Causeway']] as const) {
    await page.goto(`/${hash}`);
    await expect(page.getByTestId('share-error')).toContainText(text);
  }
});
