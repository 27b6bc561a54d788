import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeScenarioToDir } from '../src/core/scenarios/write-node';
import { dropFiles, expect, idle, summary, test } from './fixtures';

const files = (dir: string) => readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();

let big = '';
let small = '';
test.beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'causeway-rob-'));
  big = join(root, 'big');
  small = join(root, 'small');
  await writeScenarioToDir({ scenario: 'io-storm-umount-bbolt', seed: 99, targetBytes: 120_000_000 }, big);
  // kubelet.log over 1 MiB (kept as a blob), the metric files in a pack: a re-parse reads either.
  await writeScenarioToDir({ scenario: 'healthy', seed: 5, targetBytes: 3_000_000, zoneOffsetMin: -300 }, small);
});

async function startThenWaitForProgress(page: import('@playwright/test').Page, paths: string[]) {
  await page.getByTestId('file-input').setInputFiles(paths);
  await expect(page.getByTestId('ingest-progress')).toBeVisible();
  await expect(page.getByTestId('ingest-progress')).toContainText('Ingesting');
}

test('Cancel stops an ingest and leaves an incomplete bundle that Resume completes', async ({ page }) => {
  await page.goto('/');
  await idle(page);
  await startThenWaitForProgress(page, files(big));
  await page.getByRole('button', { name: 'Cancel' }).click();
  await idle(page);
  const item = page.getByTestId('bundle-list').locator('li');
  await expect(item).toHaveCount(1);
  await expect(item).toHaveAttribute('data-status', 'incomplete');
  await expect(page.getByTestId('ingest-outcome')).toContainText('cancelled');
  // Resume: drop the same files again; finished inputs are skipped, the bundle becomes ready.
  await item.getByRole('button', { name: 'Resume' }).click();
  await dropFiles(page, files(big));
  await expect(item).toHaveAttribute('data-status', 'ready');
  const s = await summary(page);
  expect(s.files.find((f) => f.origin === 'kubelet')!.events).toBeGreaterThan(100_000);
  // What the cancelled run stored for unfinished files was replaced, not kept beside the new read.
  expect(new Set(s.files.map((f) => `${f.path} ${f.origin}`)).size).toBe(s.files.length);
});

test('a tab closed mid-ingest leaves the bundle incomplete with Resume and Delete', async ({ page, context }) => {
  await page.goto('/');
  await idle(page);
  await startThenWaitForProgress(page, files(big));
  await page.close();
  const again = await context.newPage();
  await again.goto('/');
  await idle(again);
  const item = again.getByTestId('bundle-list').locator('li');
  await expect(item).toHaveAttribute('data-status', 'incomplete');
  await expect(item.getByRole('button', { name: 'Resume' })).toBeVisible();
  again.once('dialog', (d) => d.accept());
  await item.getByRole('button', { name: 'Delete' }).click();
  await idle(again);
  await expect(item).toHaveCount(0);
});

test('storage running full marks only the new bundle incomplete; the stored one is untouched', async ({ page }) => {
  await page.goto('/');
  await idle(page);
  await dropFiles(page, files(small));
  const before = await summary(page);
  await page.goto('/?quota=400000');
  await idle(page);
  await dropFiles(page, files(big));
  await expect(page.getByTestId('ingest-outcome')).toContainText('storage full');
  const statuses = await page.getByTestId('bundle-list').locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
  expect(statuses.sort()).toEqual(['incomplete', 'ready']);
  await page.getByTestId('bundle-list').locator('li[data-status=ready] button.link').click();
  await idle(page);
  expect(await summary(page)).toEqual(before);
});

test('changing a file format re-parses it from the stored bytes; changing the zone re-aligns local stamps only', async ({ page }) => {
  await page.goto('/');
  await idle(page);
  await dropFiles(page, files(small));
  const s0 = await summary(page);
  const kubelet = s0.files.find((f) => f.origin === 'kubelet')!;
  const containerd = s0.files.find((f) => f.origin === 'containerd')!;
  expect(kubelet.zone).toBe('-05:00');

  await page.getByLabel('Node time zone').selectOption(String(60));
  await idle(page);
  const s1 = await summary(page);
  const k1 = s1.files.find((f) => f.origin === 'kubelet')!;
  // Wall-clock stamps move by the zone difference (6 h earlier); absolute stamps stay.
  expect(Date.parse(k1.firstTs!) - Date.parse(kubelet.firstTs!)).toBe(-6 * 3600 * 1000);
  expect(s1.files.find((f) => f.origin === 'containerd')!.firstTs).toBe(containerd.firstTs);

  const name = kubelet.path.split('/').pop()!;
  await page.getByRole('tab', { name: 'Files' }).click();
  await page.getByLabel(`Format of ${kubelet.path}`).selectOption('plain');
  await idle(page);
  const plain = (await summary(page)).files.filter((f) => f.path === kubelet.path);
  expect(plain).toHaveLength(1);
  expect(plain[0]).toMatchObject({ format: 'plain', firstTs: null });
  await expect(page.getByTestId('file-table')).toContainText(`chosen by you`);
  expect(name).toBe('kubelet.log');
  expect(statSync(files(small).find((f) => f.endsWith('/kubelet.log'))!).size).toBeGreaterThanOrEqual(1 << 20);

  // A small file (stored in a pack) re-parses from its bytes too.
  const dmesg = s0.files.find((f) => f.format === 'dmesg')!;
  expect(statSync(files(small).find((f) => f.endsWith('/dmesg.log'))!).size).toBeLessThan(1 << 20);
  await page.getByLabel(`Format of ${dmesg.path}`).selectOption('plain');
  await idle(page);
  const dmesgPlain = (await summary(page)).files.filter((f) => f.path === dmesg.path);
  expect(dmesgPlain).toHaveLength(1);
  expect(dmesgPlain[0]).toMatchObject({ format: 'plain', firstTs: null });
});

test('10,000 tiny files load in one bundle', async ({ page }) => {
  // Ten thousand file inputs through the page take 1.5-2 min on this 2-core machine: more than the default budget when anything else runs.
  test.setTimeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), 'causeway-tiny-'));
  for (let i = 0; i < 10_000; i++) {
    const d = join(dir, `d${Math.floor(i / 1000)}`);
    if (i % 1000 === 0) mkdirSync(d);
    writeFileSync(join(d, `pod-${i}.log`), `I0602 05:48:${String(i % 60).padStart(2, '0')}.000001    1679 generic.go:191] "tiny ${i}"\n`);
  }
  await page.goto('/');
  await idle(page);
  await dropFiles(page, files(dir));
  const s = await summary(page);
  expect(s.files).toHaveLength(10_000);
  expect(s.files.reduce((n, f) => n + f.events, 0)).toBe(10_000);
  await expect(page.getByTestId('bundle-status')).toHaveText('ready');
});

test('a decompression bomb is stopped with a message naming it', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'causeway-bomb-'));
  const bomb = join(dir, 'bomb.log.gz');
  execFileSync('sh', ['-c', `head -c 600000000 /dev/zero | gzip -1 > ${bomb}`]);
  writeFileSync(join(dir, 'ok.log'), 'I0602 05:48:06.350695    1679 generic.go:191] "fine"\n');
  await page.goto('/');
  await idle(page);
  await dropFiles(page, [bomb, join(dir, 'ok.log')]);
  const s = await summary(page);
  expect(s.files.find((f) => f.path === 'ok.log')!.events).toBe(1);
  const text = `${await page.getByTestId('ingest-outcome').textContent()} ${s.files.flatMap((f) => f.errors).join(' ')}`;
  expect(text).toMatch(/bomb\.log\.gz.*(ratio|stopped)/);
});
