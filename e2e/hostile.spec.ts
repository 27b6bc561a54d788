import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, zipSync } from 'fflate';
import { tarBytes } from '../src/core/bundle/test-helpers';
import { dropFiles, expect, idle, summary, test } from './fixtures';

// Hostile files dropped through the file input: markup, ANSI, bidi and NUL in log lines and in
// names, a 1 MB JSON value, 20 nested archives, traversal and 10 KB member names. Nothing may
// execute, the text must be shown as text, the bundle must load and problems must name files.

const PWN = 'window.__pwned=1';
const HOSTILE_TEXT = [
  `<img src=x onerror="${PWN};alert(1)">`,
  `<script>${PWN}</script>`,
  `"><svg onload="${PWN}">`,
  '\u001b[31mERROR\u001b[0m \u001b]0;title\u0007 colours',
  'reversed \u202Egol.exe\u202C done',
];
const IMG_NAME = '<img src=x onerror=alert(1)>.log';
const BIDI_NAME = 'kubelet\u202Egol.txt';
const ANSI_NAME = '\u001b[31mred\u001b[0m.log';

const klog = (s: number, text: string) => `I0602 05:48:${String(s % 60).padStart(2, '0')}.350695    4567 kubelet.go:1] ${text}`;

let dir = '';
let paths: string[] = [];
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'causeway-hostile-'));
  const file = (name: string, bytes: Uint8Array | string) => {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };
  const lines = Array.from({ length: 50 }, (_, i) => klog(i, i % 5 === 0 ? HOSTILE_TEXT[(i / 5) % HOSTILE_TEXT.length]! : `ordinary line ${i}`));
  let nested: Uint8Array = new TextEncoder().encode(`${klog(1, 'deep')}\n`);
  let nestedName = 'deep.log';
  for (let level = 0; level < 20; level++) {
    if (level % 3 === 0) { nested = tarBytes([{ name: nestedName, data: nested }]); nestedName = `l${level}.tar`; }
    else if (level % 3 === 1) { nested = gzipSync(nested); nestedName = `${nestedName}.gz`; }
    else { nested = zipSync({ [nestedName]: [nested, { level: 0 }] }); nestedName = `l${level}.zip`; }
  }
  const longName = `${'d'.repeat(100)}/`.repeat(100) + 'long.log';
  const json = (value: string) => JSON.stringify({ __REALTIME_TIMESTAMP: '1717307286350695', _SYSTEMD_UNIT: 'kubelet.service', PRIORITY: '6', MESSAGE: value });
  paths = [
    file(IMG_NAME, lines.join('\n') + '\n'),
    file(BIDI_NAME, lines.slice(0, 10).join('\n') + '\n'),
    file(ANSI_NAME, lines.slice(10, 15).join('\n') + '\n'),
    file('nul.log', `${klog(2, 'before')}\nnul\u0000inside\n`),
    // Fixed-size binary records: NULs scattered among other bytes, not a zero-filled block.
    file('records.bin', Uint8Array.from({ length: 4096 }, (_, i) => [i & 0x7f, 0, 0, 0, 0x41, 0x42, 0, 0x10][i % 8]!)),
    file('big.jsonl', `${json(`<img src=x onerror="${PWN}">${'x'.repeat(1_000_000)}`)}\n${json('after the big value')}\n`),
    file('deep.bin', nested),
    file('traversal.tar', tarBytes([
      { name: '../../escape.log', data: `${klog(3, 'escaped?')}\n` },
      { name: '/etc/passwd', data: `${klog(4, 'absolute')}\n` },
      { name: 'C:\\windows.log', data: `${klog(5, 'drive')}\n` },
      { name: '././@LongLink', type: 'L', data: `${longName}\u0000` },
      { name: 'cut', data: `${klog(6, 'long name')}\n` },
      { name: `logs/${IMG_NAME}`, data: `${klog(7, HOSTILE_TEXT[0]!)}\n` },
    ])),
  ];
});

test('hostile names and lines are shown as inert text, nothing executes, problems name their files', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/');
  await idle(page);
  await dropFiles(page, paths);
  await expect(page.getByTestId('bundle-status')).toHaveText('ready');

  const s = await summary(page);
  const byPath = (p: string) => s.files.find((f) => f.path === p);
  expect(byPath(IMG_NAME)).toMatchObject({ format: 'klog', events: 50 });
  expect(byPath(BIDI_NAME)).toMatchObject({ format: 'klog', events: 10 });
  expect(byPath('big.jsonl')).toMatchObject({ format: 'journal-json', events: 2 });
  expect(byPath('nul.log')?.errors.join('\n')).toMatch(/^nul\.log: binary file \(contains NUL bytes\)/);
  expect(byPath('records.bin')?.errors.join('\n')).toMatch(/^records\.bin: binary file \(contains NUL bytes/);
  // Member names stay inside their archive; the 10 KB name is kept.
  const members = s.files.filter((f) => f.path.startsWith('traversal.tar!/')).map((f) => f.path.slice('traversal.tar!/'.length));
  expect(members.sort()).toEqual(['C:\\windows.log', 'escape.log', 'etc/passwd', `logs/${IMG_NAME}`, `${'d'.repeat(100)}/`.repeat(100) + 'long.log'].sort());
  // The 20-deep archive stops at the depth cap, saying so against its own name.
  const deep = s.files.find((f) => f.path.startsWith('deep.bin!/'));
  expect(deep?.errors.join('\n')).toMatch(/^deep\.bin!\/.* was not expanded: archives nested more than \d+ deep/m);
  // Every problem names the file it is about.
  for (const f of s.files) for (const e of f.errors) expect(e.includes(f.path) || paths.some((p) => e.includes(p.slice(dir.length + 1))), `${f.path}: ${e}`).toBe(true);
  const shownProblems = await page.getByTestId('ingest-outcome').locator('li').allTextContents();
  expect(shownProblems.length).toBeGreaterThan(0);
  for (const li of shownProblems) {
    expect(paths.some((p) => li.includes(p.slice(dir.length + 1))), li).toBe(true);
  }

  // The log view shows the markup as text.
  await expect(page.getByTestId('log-view')).toHaveAttribute('data-loading', '0', { timeout: 30_000 });
  await page.getByTestId('search-input').fill('onerror');
  await page.getByTestId('search-input').press('Enter');
  await expect(page.getByTestId('search-count')).toHaveAttribute('data-busy', '0');
  await page.getByTestId('search-input').blur();
  await page.keyboard.press('n');
  await expect(page.getByTestId('log-view')).toHaveAttribute('data-selected-text', /<img src=x onerror=/);
  await expect(page.locator('[data-testid="log-view"] .view-line', { hasText: '<img src=x onerror=' }).first()).toBeVisible();

  // The file table shows hostile names as text, bidi overrides made visible.
  await page.getByRole('tab', { name: 'Files' }).click();
  const table = page.getByTestId('file-table');
  await expect(table.locator(`tr[data-path="${IMG_NAME}"] td.path`)).toContainText(IMG_NAME);
  await expect(table.locator('td.path', { hasText: 'kubelet⟦U+202E⟧gol.txt' })).toHaveCount(1);
  await expect(table.locator('td.path', { hasText: `traversal.tar!/logs/${IMG_NAME}` })).toHaveCount(1);
  await expect(table.locator('td.path', { hasText: '␛[31mred␛[0m.log' })).toHaveCount(1);
  // The 10 KB member name is shortened in the middle for display; its full text stays in the tooltip.
  const long = table.locator('td.path', { hasText: 'long.log' });
  expect((await long.innerText()).length).toBeLessThan(400);
  expect((await long.getAttribute('title'))!.length).toBeGreaterThan(10_000);
  // eslint-disable-next-line no-control-regex
  expect(await table.locator('td.path').evaluateAll((tds) => tds.filter((td) => /[\u202a-\u202e\u2066-\u2069\u0000-\u0008\u001b]/.test(td.textContent ?? '')).length)).toBe(0);

  // Nothing ran: no dialog, no flag, no element made from log or name text.
  expect(dialogs).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  expect(await page.locator('img[src="x"], svg[onload], [onerror], [onload]').count()).toBe(0);
  expect(await page.evaluate(() => [...document.scripts].filter((s) => !s.src).map((s) => s.textContent).filter((t) => t?.includes('__pwned')))).toEqual([]);
});
