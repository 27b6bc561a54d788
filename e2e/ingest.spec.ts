import { execFileSync } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDigester } from '../src/core/bundle/fingerprint';
import { writeScenarioToDir } from '../src/core/scenarios/write-node';
import { analyzePaths } from './node-summary';
import { dropFiles, expect, idle, summary, test } from './fixtures';

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

let sampleDir = '';
test.beforeAll(async () => {
  sampleDir = mkdtempSync(join(tmpdir(), 'causeway-e2e-'));
  await writeScenarioToDir({ scenario: 'io-storm-umount-bbolt', seed: 4242, targetBytes: 3_000_000, zoneOffsetMin: 330 }, join(sampleDir, 'node-a'));
});

test('the generated incident bundle dropped through the file input lists what the Node core finds', async ({ page }) => {
  await page.goto('/');
  await idle(page);
  const files = listFiles(join(sampleDir, 'node-a'));
  await dropFiles(page, files);
  const got = await summary(page);
  const want = await analyzePaths(files);
  // Same formats, origins, event counts and time ranges as the CLI computes from the same files.
  const key = (f: { path: string; origin: string }) => `${f.path.split('/').pop()}|${f.origin}`;
  const norm = (s: typeof got) => s.files
    .map((f) => ({ k: key(f), format: f.format, events: f.events, firstTs: f.firstTs, lastTs: f.lastTs, zone: f.zone, goroutines: f.goroutines, metrics: [...f.metrics].sort() }))
    .sort((a, b) => a.k.localeCompare(b.k));
  expect(norm(got)).toEqual(norm(want));
  // Every kind of file of the bundle was read: dumps, PSI, iostat, vmstat, dmesg.
  const byName = (n: string) => got.files.filter((f) => f.path.includes(n));
  expect(byName('containerd.').find((f) => f.format === 'goroutines')!.goroutines).toBeGreaterThan(100);
  expect(byName('shim-').find((f) => f.format === 'goroutines')!.goroutines).toBeGreaterThan(5);
  expect(byName('pressure-io')[0]!.metrics).toEqual(expect.arrayContaining(['psi.io.full.avg10', 'psi.io.some.avg10', 'psi.io.full.stall']));
  expect(byName('iostat')[0]!.metrics.some((m) => /^iostat\.\w+\.util$/.test(m))).toBe(true);
  expect(byName('vmstat')[0]!.metrics).toEqual(expect.arrayContaining(['vmstat.wa', 'vmstat.b']));
  expect(byName('dmesg')[0]).toMatchObject({ format: 'dmesg', origin: 'kernel' });
  expect(byName('dmesg')[0]!.firstTs).not.toBeNull();
  const kubelet = got.files.find((f) => f.origin === 'kubelet');
  expect(['klog', 'syslog']).toContain(kubelet?.format);
  expect(kubelet?.zone).toBe('+05:30');
  expect(got.files.some((f) => f.origin === 'containerd' && f.events > 100)).toBe(true);
  await page.getByRole('tab', { name: 'Files' }).click();
  await expect(page.getByTestId('file-table').locator('tbody tr')).not.toHaveCount(0);
  await expect(page.getByTestId('bundle-status')).toHaveText('ready');

  // Reload keeps the bundle.
  await page.reload();
  await idle(page);
  await expect(page.getByTestId('file-table')).toBeVisible();
  expect((await summary(page)).files).toEqual(got.files);

  // The duplicate key is computed beside the ingest (not before it) and lands in the bundle's row.
  const keys = (await storedRows<{ probeKey: string }>(page, 'bundles')).map((b) => b.probeKey);
  expect(keys).toHaveLength(1);
  expect(keys[0]).toMatch(/^[0-9a-f]{64}$/);
  // Files of 1 MiB and more are kept whole as blobs, the rest in packs: both held this bundle's bytes.
  const big = files.filter((f) => statSync(f).size >= 1 << 20).length;
  expect(big).toBeGreaterThan(0);
  expect(big).toBeLessThan(files.length);
  expect(await rawBlobCount(page)).toBe(big);

  // The same files again are recognised by fingerprint, not stored twice.
  await dropFiles(page, files);
  await expect(page.getByTestId('ingest-outcome')).toContainText('already stored');
  await expect(page.getByTestId('bundle-list').locator('li')).toHaveCount(1);
  expect(await rawBlobCount(page)).toBe(big);

  // Deleting the bundle deletes its blobs too.
  page.once('dialog', (d) => d.accept());
  await page.getByTestId('bundle-list').getByRole('button', { name: 'Delete' }).click();
  await idle(page);
  await expect(page.getByTestId('bundle-list').locator('li')).toHaveCount(0);
  expect(await rawBlobCount(page)).toBe(0);
});

test('files of several read slices are read whole: counts, times and digests as the Node core finds them', async ({ page }) => {
  // A file of more than 16 MiB is read in slices, several in flight at once: a slice lost, repeated
  // or overwritten while a stage still used it would change what is counted, or the file's SHA-256.
  const dir = join(sampleDir, 'node-big');
  await writeScenarioToDir({ scenario: 'io-storm-umount-bbolt', seed: 77, targetBytes: 90_000_000, zoneOffsetMin: -240 }, dir);
  const files = listFiles(dir);
  expect(files.filter((f) => statSync(f).size > 2 * (16 << 20)).length).toBeGreaterThan(0);
  await page.goto('/');
  await idle(page);
  await dropFiles(page, files);
  const got = await summary(page);
  const want = await analyzePaths(files);
  const norm = (s: typeof got) => s.files
    .map((f) => ({ k: `${f.path.split('/').pop()}|${f.origin}`, format: f.format, events: f.events, firstTs: f.firstTs, lastTs: f.lastTs }))
    .sort((a, b) => a.k.localeCompare(b.k));
  expect(norm(got)).toEqual(norm(want));
  const digests = Object.fromEntries((await storedRows<{ path: string; digest: string }>(page, 'files')).map((f) => [f.path.split('/').pop()!, f.digest]));
  for (const f of files) expect(digests[f.split('/').pop()!], f).toBe(await fileDigest(f));
  // The big sources were outlined while indexed: the timeline draws them from their outlines.
  expect(await storedCount(page, 'outlines')).toBeGreaterThan(0);
  await expect(page.getByTestId('timeline')).toBeVisible();
});

/** The page's digest of a file (a SHA-256 tree of its pieces), computed by the core in Node. */
async function fileDigest(path: string): Promise<string> {
  const d = createDigester();
  for await (const chunk of createReadStream(path, { highWaterMark: 3 << 20 })) await d.update(chunk as Uint8Array);
  return d.digest();
}

/** Rows of the raw blob store. */
function rawBlobCount(page: import('@playwright/test').Page): Promise<number> {
  return storedCount(page, 'rawBlobs');
}

/** Every row of one of the app's stores, read straight from IndexedDB (not through the app's code). */
function storedRows<T>(page: import('@playwright/test').Page, store: string): Promise<T[]> {
  return readStore(page, store, 'getAll') as Promise<T[]>;
}

function storedCount(page: import('@playwright/test').Page, store: string): Promise<number> {
  return readStore(page, store, 'count') as Promise<number>;
}

function readStore(page: import('@playwright/test').Page, store: string, op: 'getAll' | 'count'): Promise<unknown> {
  return page.evaluate(([name, how]) => new Promise<unknown>((resolve, reject) => {
    const open = indexedDB.open('causeway');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const objects = open.result.transaction(name!).objectStore(name!);
      const req = how === 'count' ? objects.count() : objects.getAll();
      req.onerror = () => reject(req.error);
      req.onsuccess = () => { resolve(req.result); open.result.close(); };
    };
  }), [store, op] as const);
}

test('a big archive is parsed by every worker at once and lists what its files list', async ({ page }) => {
  // Over 8 MB: one worker expands it and hands big members to the other through their raw files.
  const dir = join(sampleDir, 'big-tar');
  await writeScenarioToDir({ scenario: 'io-storm-umount-bbolt', seed: 77, targetBytes: 10_000_000, zoneOffsetMin: -420 }, join(dir, 'node-b'));
  const archive = join(sampleDir, 'node-b.tar');
  execFileSync('tar', ['-cf', archive, '-C', dir, 'node-b']);
  await page.goto('/');
  await idle(page);
  await dropFiles(page, [archive]);
  await expect(page.getByTestId('bundle-status')).toHaveText('ready');
  const got = await summary(page);
  const want = await analyzePaths(listFiles(join(dir, 'node-b')));
  const norm = (s: typeof got) => s.files
    .map((f) => ({ k: `${f.path.split('/').pop()}|${f.origin}`, format: f.format, events: f.events, firstTs: f.firstTs, lastTs: f.lastTs, goroutines: f.goroutines, errors: f.errors.length }))
    .sort((a, b) => a.k.localeCompare(b.k));
  expect(norm(got)).toEqual(norm(want));
  expect(got.files.every((f) => f.path.startsWith('node-b.tar!/'))).toBe(true);
  // Some member went to the other worker: it was stored as a raw file of its own.
  const handedOver = await page.evaluate(async () => {
    type Dir = FileSystemDirectoryHandle & { values(): AsyncIterable<FileSystemHandle & { keys?: () => AsyncIterable<string> }> };
    let n = 0;
    for await (const h of (await navigator.storage.getDirectory() as Dir).values()) {
      if (h.kind !== 'directory') continue;
      for await (const name of (h as unknown as { keys(): AsyncIterable<string> }).keys()) if (name.startsWith('member-')) n++;
    }
    return n;
  });
  expect(handedOver).toBeGreaterThan(0);
});

test('Load sample incident, then delete it', async ({ page }) => {
  await page.goto('/');
  await idle(page);
  await page.getByRole('button', { name: 'Load sample incident' }).click();
  await idle(page);
  const s = await summary(page);
  const origins = new Set(s.files.map((f) => f.origin));
  for (const o of ['kubelet', 'containerd']) expect(origins).toContain(o);
  await expect(page.getByTestId('bundle-status')).toHaveText('ready');
  page.once('dialog', (d) => d.accept());
  await page.getByTestId('bundle-list').getByRole('button', { name: 'Delete' }).click();
  await idle(page);
  await expect(page.getByTestId('bundle-list').locator('li')).toHaveCount(0);
});

test('the public real samples are detected and placed in time', async ({ page }) => {
  const real = join(process.cwd(), '..', 'shared', 'samples', 'real');
  const files = readdirSync(real).filter((f) => f !== 'SOURCES.md').map((f) => join(real, f));
  await page.goto('/');
  await idle(page);
  await dropFiles(page, files);
  const s = await summary(page);
  const sonobuoy = s.files.filter((f) => f.path.includes('sonobuoy'));
  expect(new Set(sonobuoy.map((f) => f.format))).toEqual(new Set(['journal-json']));
  expect(sonobuoy.map((f) => f.origin)).toEqual(expect.arrayContaining(['kubelet', 'kernel']));
  expect(sonobuoy.reduce((n, f) => n + f.events, 0)).toBe(50);
  for (const f of sonobuoy) expect(f.firstTs!.startsWith('2017-12-21')).toBe(true);
  const faasd = s.files.find((f) => f.path.includes('faasd'));
  expect(faasd?.events).toBe(1);
  const formatOf = (n: string) => s.files.find((f) => f.path.includes(n))!;
  expect(formatOf('iostat-x-sysstat')).toMatchObject({ format: 'iostat', origin: 'metrics' });
  expect(formatOf('iostat-x-sysstat').metrics).toEqual(expect.arrayContaining(['iostat.cpu.iowait']));
  expect(formatOf('iostat-ct')).toMatchObject({ format: 'iostat' });
  expect(formatOf('iostat-ct').firstTs).toMatch(/^2020-06-01T12:53:20/);
  for (const v of ['vmstat-tw-procps3', 'vmstat-tw-procps4']) {
    expect(formatOf(v)).toMatchObject({ format: 'vmstat' });
    expect(formatOf(v).metrics).toEqual(expect.arrayContaining(['vmstat.wa', 'vmstat.us']));
  }
  expect(formatOf('vmstat-tw-procps4').firstTs).toMatch(/^2026-06-01T01:43:00/);
  // Files years apart: the timeline names each period it falls in, and a click shows that one.
  const periods = page.getByTestId('timeline-periods').getByRole('button');
  await expect(periods).toHaveCount(4);
  await periods.first().click();
  await expect(page.getByTestId('timeline-window')).toContainText('2017-12-21 16:11:01.759 → 2017-12-21 20:42');
});

test('an archive with nested members and bad files: every problem named, the rest loads', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'causeway-bad-'));
  const inner = join(dir, 'inner');
  mkdirSync(join(inner, 'logs'), { recursive: true });
  execFileSync('cp', ['-r', join(sampleDir, 'node-a'), join(inner, 'logs')]);
  execFileSync('sh', ['-c', `cd ${inner}/logs && gzip -k node-a/*/kubelet.log 2>/dev/null || find . -name 'kubelet*.log' -exec gzip -k {} \\;`]);
  const tgz = join(dir, 'bundle.tar.gz');
  execFileSync('tar', ['czf', tgz, '-C', inner, 'logs']);
  writeFileSync(join(dir, 'empty.log'), '');
  writeFileSync(join(dir, 'binary.bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...new Array(2000).fill(0)]));
  writeFileSync(join(dir, 'latin1.log'), Buffer.concat([Buffer.from('I0602 05:48:06.350695    1679 generic.go:191] "caf'), Buffer.from([0xe9]), Buffer.from('"\n')]));
  writeFileSync(join(dir, 'notime.txt'), 'just some words\nno stamps here\n');
  writeFileSync(join(dir, 'crlf.log'), 'I0602 05:48:06.350695    1679 generic.go:191] "GenericPLEG: Relisting"\r\nI0602 05:48:07.352436    1679 generic.go:191] "GenericPLEG: Relisting"\r\n');
  writeFileSync(join(dir, 'huge-line.log'), `I0602 05:48:06.350695    1679 a.go:1] "big" v="${'x'.repeat(20 << 20)}"\nI0602 05:48:07.350695    1679 a.go:1] "after"\n`);
  const gz = readFileSync0(tgz);
  writeFileSync(join(dir, 'truncated.tar.gz'), gz.subarray(0, Math.floor(gz.length / 2)));

  await page.goto('/');
  await idle(page);
  await dropFiles(page, readdirSync(dir).filter((f) => f !== 'inner').map((f) => join(dir, f)));
  const s = await summary(page);
  const byName = (n: string) => s.files.filter((f) => f.path.endsWith(n) || f.path.includes(`${n}!/`));
  expect(byName('empty.log')[0]!.errors.join()).toMatch(/empty.log: empty file/);
  expect(byName('binary.bin')[0]!.errors.join()).toMatch(/binary.bin: binary file/);
  expect(byName('latin1.log')[0]!.errors.join()).toMatch(/invalid UTF-8/);
  expect(byName('latin1.log')[0]!.events).toBe(1);
  expect(byName('crlf.log')[0]).toMatchObject({ format: 'klog', events: 2 });
  expect(byName('huge-line.log')[0]).toMatchObject({ events: 2 });
  expect(byName('huge-line.log')[0]!.errors.join()).toMatch(/truncated for parsing/);
  expect(byName('notime.txt')[0]).toMatchObject({ format: 'plain', firstTs: null });
  // Nested: a .gz inside the .tar.gz.
  // Nested: kubelet.log and its gzipped copy inside the .tar.gz both yield the kubelet lane.
  const nested = s.files.filter((f) => f.path.startsWith('bundle.tar.gz!/') && f.origin === 'kubelet');
  expect(nested).toHaveLength(2);
  expect(nested[0]!.events).toBeGreaterThan(100);
  expect(nested[1]!.events).toBe(nested[0]!.events);
  // The truncated copy keeps what was readable and says so.
  const truncated = s.files.filter((f) => f.path.startsWith('truncated.tar.gz'));
  expect(truncated.length).toBeGreaterThan(0);
  const bundleErrors = await page.getByTestId('ingest-outcome').textContent();
  expect(`${truncated.flatMap((f) => f.errors).join()} ${bundleErrors}`).toMatch(/truncated/i);
  await expect(page.getByTestId('bundle-status')).toHaveText('ready');
});

function readFileSync0(p: string): Buffer {
  return execFileSync('cat', [p]);
}
