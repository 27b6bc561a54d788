import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeScenarioToDir } from '../src/core/scenarios/write-node';
import { expect, idle, summary, test } from './fixtures';

let dir = '';
test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'causeway-folder-'));
  await writeScenarioToDir({ scenario: 'healthy', seed: 11, targetBytes: 1_000_000 }, join(dir, 'bundle'));
});

test('a folder picked with the folder picker keeps its paths', async ({ page }) => {
  await page.goto('/');
  await idle(page);
  await page.getByTestId('folder-input').setInputFiles(join(dir, 'bundle'));
  await idle(page);
  const s = await summary(page);
  expect(s.files.some((f) => /^bundle\/node-[^/]+\/journal\/kubelet\.log$/.test(f.path) && f.origin === 'kubelet')).toBe(true);
  expect(s.files.every((f) => f.path.startsWith('bundle/'))).toBe(true);
});

test('files dropped onto the page are ingested (drop event with a DataTransfer)', async ({ page }) => {
  await page.goto('/');
  await idle(page);
  const dataTransfer = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['I0602 05:48:06.350695    1679 generic.go:191] "GenericPLEG: Relisting"\n'], 'kubelet.log'));
    dt.items.add(new File(['time="2023-06-02T05:48:07.000000000Z" level=error msg="failed to handle container TaskExit event"\n'], 'containerd.log'));
    return dt;
  });
  await page.getByTestId('dropzone').dispatchEvent('dragover', { dataTransfer });
  await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer });
  await idle(page);
  const s = await summary(page);
  expect(s.files.map((f) => [f.path, f.format]).sort()).toEqual([['containerd.log', 'containerd'], ['kubelet.log', 'klog']]);
  // The kubelet line has no year or zone: it takes them from the containerd line (2023, UTC).
  expect(s.files.find((f) => f.path === 'kubelet.log')!.firstTs).toBe('2023-06-02T05:48:06.350695Z');
});
