import { mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { writeScenarioToDir } from '../src/core/scenarios/write-node';
import type { ScenarioTruth } from '../src/core/scenarios/types';
import { dropFiles, expect, idle, test } from './fixtures';

// Expectations come from the dump text itself, read here without the app's parser: a goroutine
// is a blank-line separated block; its stack is its lines minus the header, argument values
// and PC offsets.
function blocks(text: string): string[] {
  return text.replace(/\n+$/, '').split('\n\n');
}
const idOf = (block: string) => Number(/^goroutine (\d+) \[/.exec(block)![1]);
function stackOf(block: string): string {
  return block.split('\n').slice(1).map((l) => l.replace(/\(.*\)$/, '').replace(/ \+0x[0-9a-f]+$/, '')).join('\n');
}

let files: string[] = [];
let truth: ScenarioTruth;
let dumpText = '';
let laterText = '';
let addedWaiters = 0;

test.beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'causeway-goroutines-'));
  const out = await writeScenarioToDir({ scenario: 'io-storm-umount-bbolt', seed: 4242, targetBytes: 3_000_000, zoneOffsetMin: 330 }, join(dir, 'node-a'));
  truth = out.truth;
  files = out.files;
  const stacks = files.find((f) => f.endsWith(truth.paths.containerdStacks))!;
  dumpText = readFileSync(stacks, 'utf8');
  // A second dump of the same containerd, taken later: the fsync finished (holder gone) and more
  // goroutines queued on the bbolt lock behind the same waiter stack.
  const bs = blocks(dumpText);
  const waiter = bs.find((b) => idOf(b) === truth.lockWaiterGoroutine)!;
  const maxId = Math.max(...bs.map(idOf));
  addedWaiters = 3;
  const extra = Array.from({ length: addedWaiters }, (_, i) => waiter.replace(/^goroutine \d+/, `goroutine ${maxId + 1 + i}`));
  laterText = `${[...bs.filter((b) => idOf(b) !== truth.lockHolderGoroutine), ...extra].join('\n\n')}\n`;
  // Another name (a file input flattens folders): the pid is not in it, the process is.
  const later = join(dir, 'containerd-later.stacks.log');
  writeFileSync(later, laterText);
  // Captured a minute after the first (the file time is the capture time of a dump without one).
  const first = statSync(stacks).mtime;
  utimesSync(later, first, new Date(first.getTime() + 60_000));
  files = [...files, later];
});

async function openGoroutines(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Goroutines' }).click();
  await expect(page.getByTestId('goroutine-summary')).toBeVisible();
}

async function pickDump(page: Page, file: string): Promise<void> {
  const picker = page.getByTestId('dump-picker');
  const value = await picker.locator('option').filter({ hasText: file }).first().getAttribute('value');
  await picker.selectOption(value!);
}

test('the goroutine view groups the containerd dump, follows the metadata.(*DB) pointer and diffs two dumps', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/');
  await idle(page);
  await dropFiles(page, files);
  await openGoroutines(page);
  await pickDump(page, `containerd.${truth.pids.containerd}.stacks.log`);

  // Grouped: as many goroutines as headers in the file, as many groups as distinct stacks.
  const bs = blocks(dumpText);
  const stacks = new Set(bs.map(stackOf));
  const summary = page.getByTestId('goroutine-summary');
  await expect(summary).toHaveAttribute('data-goroutines', String(bs.length));
  await expect(summary).toHaveAttribute('data-groups', String(stacks.size));
  expect(stacks.size).toBeLessThan(bs.length);
  // The longest wait of the dump leads.
  const maxWait = Math.max(...bs.map((b) => Number(/^goroutine \d+ \[[^\]]*?, (\d+) minutes/.exec(b)?.[1] ?? 0)));
  await expect(page.getByTestId('goroutine-group').first()).toHaveAttribute('data-wait-max', String(maxWait));
  await page.screenshot({ path: 'test-results/goroutines-groups.png' });

  // The pointer passed to metadata.(*DB).Update: every goroutine passing it, across groups.
  await page.getByTestId('goroutine-text-filter').fill('metadata.(*DB).Update');
  // The fsync holder's group: its top function (full name in the tooltip) is in content/local.
  const holderGroup = page.getByTestId('goroutine-group').filter({ has: page.locator('.gr-top [title*="/content/local."]') }).first();
  await holderGroup.getByRole('button').first().click();
  const updateFrame = holderGroup.getByTestId('goroutine-frame').filter({ hasText: 'metadata.(*DB).Update' }).first();
  await expect(updateFrame).toHaveAttribute('data-fn', /metadata\.\(\*DB\)\.Update$/);
  await updateFrame.getByTestId('pointer-name').first().click();
  const panel = page.getByTestId('pointer-panel');
  await expect(panel).toHaveAttribute('data-pointer', truth.dbPointer!);
  const want = new Set(bs.filter((b) => b.includes(truth.dbPointer!)).map(idOf));
  for (const id of [truth.lockHolderGoroutine!, truth.lockWaiterGoroutine!, ...truth.bboltWaiterGoroutines]) expect(want.has(id)).toBe(true);
  const rows = panel.getByTestId('pointer-use');
  const got = new Set((await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-goroutine')))).map(Number));
  expect(got).toEqual(want);
  await page.screenshot({ path: 'test-results/goroutines-pointer.png' });

  // Clicking a waiter selects it (URL), expands its group with it active; reload restores it.
  const waiterId = truth.bboltWaiterGoroutines[0]!;
  await panel.locator(`tr[data-goroutine="${waiterId}"]`).first().click();
  await expect.poll(() => decodeURIComponent(page.url())).toMatch(new RegExp(`sel=goroutine~[^&]+~${waiterId}(&|$)`));
  const active = page.locator(`[data-testid="goroutine-member"][data-goroutine="${waiterId}"]`);
  await expect(active).toHaveClass(/active/);
  await page.reload();
  await idle(page);
  await expect(page.locator(`[data-testid="goroutine-member"][data-goroutine="${waiterId}"]`)).toHaveClass(/active/);
  await expect(page.locator(`[data-testid="goroutine-frames"][data-goroutine="${waiterId}"]`)).toBeVisible();

  // Diff with the later dump of the same process: the holder's stack vanished, the waiters' grew.
  await pickDump(page, `containerd.${truth.pids.containerd}.stacks.log`);
  const diffSelect = page.getByTestId('goroutine-diff-select');
  const laterValue = await diffSelect.locator('option').filter({ hasText: 'containerd-later.stacks.log' }).getAttribute('value');
  await diffSelect.selectOption(laterValue!);
  const diff = page.getByTestId('goroutine-diff');
  await expect(diff).toBeVisible();
  const holderStack = stackOf(bs.find((b) => idOf(b) === truth.lockHolderGoroutine)!);
  const waiterStack = stackOf(bs.find((b) => idOf(b) === truth.lockWaiterGoroutine)!);
  const holderCount = bs.filter((b) => stackOf(b) === holderStack).length;
  const waiterCount = bs.filter((b) => stackOf(b) === waiterStack).length;
  const diffRows = await diff.getByTestId('diff-row').evaluateAll((trs) => trs.map((tr) => ({
    status: tr.getAttribute('data-status'), before: Number(tr.getAttribute('data-before')), after: Number(tr.getAttribute('data-after')),
  })));
  expect(diffRows).toContainEqual({ status: 'grew', before: waiterCount, after: waiterCount + addedWaiters });
  expect(diffRows).toContainEqual(holderCount === 1 ? { status: 'vanished', before: 1, after: 0 } : { status: 'shrank', before: holderCount, after: holderCount - 1 });
  const laterStacks = blocks(laterText);
  expect(diffRows).toHaveLength(2);
  expect(laterStacks.length).toBe(bs.length - 1 + addedWaiters);
  await diff.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/goroutines-diff.png' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'test-results/goroutines-diff-dark.png' });
});
