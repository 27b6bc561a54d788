/**
 * npm run bench [-- --1g] [--sizes=10,100] [--no-tgz] [--runs=1] [--ws-runs=3] [--no-build]: end-to-end ingest in headless Chromium with an
 * on-disk profile (incognito IndexedDB is in memory and flatters), plus parse-only speed in Node.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type CDPSession } from '@playwright/test';
import { chromiumArgs } from '../playwright.config';
import { writeScenarioToDir } from '../src/core/scenarios/write-node';
import { parseOnly } from './parse-only';

declare global {
  interface Window {
    /** The bench's drop time (the file input's change event), on the page's clock. */
    benchDropAt?: number;
  }
}

const MB = 1_000_000;
const args = process.argv.slice(2);
const sizes = (args.find((a) => a.startsWith('--sizes='))?.slice(8).split(',').map(Number) ?? [10, 100]).concat(args.includes('--1g') ? [1000] : []);
/** The largest bundle is also dropped as one .tar.gz (issue 2: ≥ 120 MB/s of uncompressed bytes); --no-tgz skips it. */
const tgz = !args.includes('--no-tgz');
/** Workspace figures are noisy on a shared 2-core VM: each is measured this many times (a reload each) and the median reported. */
const wsRuns = Number(args.find((a) => a.startsWith('--ws-runs='))?.slice(10) ?? 3);
/** Ingests are as noisy: each bundle is dropped this many times (a fresh profile each) and the median run reported. */
const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 1);
const port = 4317;

/**
 * When the files are dropped: on the idle home screen, once the workers have compiled their parsers
 * (a user takes seconds to drag files there), or as soon as the page is up (before that warm-up).
 */
type DropAt = 'idle' | 'load';

interface Row { atLoad?: Row; size: string; bytes: number; e2eMBs: number; parseMBs: number; heapMainMB: number; heapWorkersMB: number; rendererRssMB: number; idbMB: number; seconds: number; allSeconds?: number[]; ws: WorkspaceFigures | null; wsAll: WorkspaceFigures[] }

/** Issue 4's targets: first paint < 1.5 s, zoom redraw < 100 ms, 100k-line window query < 50 ms, log view at an event < 300 ms. */
interface WorkspaceFigures { firstPaintMs: number; redrawMedianMs: number; windowQueryMs: number; windowQueryLines: number; clickOpenMs: number; logOpenMs: number; searchMs: number[] }

/** Searches timed over the whole bundle (issue 4: < 1 s on 100 MB): two literals and a regex. */
const SEARCHES = [['deadline', false], ['metadata.(*DB)', false], ['context deadline exceeded|i/o timeout', true]] as const;

async function main(): Promise<void> {
  // Always the code as it is: a dist/ left from an earlier build would be measured instead.
  if (!args.includes('--no-build') || !existsSync('dist/index.html')) await run('npx', ['vite', 'build']);
  // Vite itself, not through npx: killing npx would leave the server running for the next bench to hit.
  const server = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { stdio: 'ignore' });
  try {
    await waitForServer(`http://127.0.0.1:${port}/`);
    const rows: Row[] = [];
    const both = async (size: number, archive: boolean) => {
      const row = await medianRun(() => benchOne(size, archive, 'idle'));
      row.atLoad = await medianRun(() => benchOne(size, archive, 'load'));
      rows.push(row);
    };
    for (const size of sizes) await both(size, false);
    if (tgz && sizes.length) await both(Math.max(...sizes), true);
    const secs = (r: Row) => `${r.seconds.toFixed(2)}${r.allSeconds ? ` [${r.allSeconds.map((x) => x.toFixed(2)).join(', ')}]` : ''}`;
    console.log('\nEnd to end: from the file input\'s change event to the bundle listed as ready. "Idle page": dropped on the home screen once');
    console.log('the workers have compiled their parsers (a user takes seconds to drag files there); "at page load": dropped as soon as the page is up.');
    console.log('\n| bundle | bytes | end-to-end MB/s, idle page | seconds, idle page | end-to-end MB/s, at page load | seconds, at page load | parse-only MB/s (Node, 1 core) | peak JS heap main / workers (MB) | peak renderer RSS (MB) | storage used (MB) |');
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    for (const r of rows) {
      const l = r.atLoad!;
      console.log(`| ${r.size} | ${r.bytes} | ${r.e2eMBs.toFixed(0)} | ${secs(r)} | ${l.e2eMBs.toFixed(0)} | ${secs(l)} | ${Number.isNaN(r.parseMBs) ? '—' : r.parseMBs.toFixed(0)} | ${r.heapMainMB.toFixed(0)} / ${r.heapWorkersMB.toFixed(0)} | ${r.rendererRssMB.toFixed(0)} | ${r.idbMB.toFixed(0)} |`);
    }
    console.log(`\nWorkspace figures: median of ${wsRuns} runs (each a reload of the stored bundle), all runs in brackets.`);
    console.log('\n| bundle | workspace first paint after ingest (ms) | zoom redraw median (ms) | window query (ms / lines) | log view at a clicked error marker (ms) | log view at a line selected by URL, whole-bundle view (ms) | search whole bundle, wall ms (deadline / metadata.(*DB) / regex) |');
    console.log('|---|---|---|---|---|---|---|');
    for (const r of rows) {
      const w = r.ws;
      if (!w) continue;
      const all = (f: (x: WorkspaceFigures) => number, digits = 0) => `${f(w).toFixed(digits)} [${r.wsAll.map((x) => f(x).toFixed(digits)).join(', ')}]`;
      console.log(`| ${r.size} | ${all((x) => x.firstPaintMs)} | ${all((x) => x.redrawMedianMs)} | ${all((x) => x.windowQueryMs, 1)} / ${w.windowQueryLines} | ${all((x) => x.clickOpenMs)} | ${all((x) => x.logOpenMs)} | ${w.searchMs.map((_, i) => all((x) => x.searchMs[i]!)).join(' / ')} |`);
    }
  } finally {
    server.kill();
  }
}

/** One bundle dropped through the file input: its files, or (archive) one .tar.gz of them; MB/s counts uncompressed bytes. */
async function benchOne(sizeMB: number, archive: boolean, dropAt: DropAt): Promise<Row> {
  const dir = join('bench', 'out', `incident-${sizeMB}mb`);
  if (!existsSync(dir)) await writeScenarioToDir({ scenario: 'io-storm-umount-bbolt', seed: 7, targetBytes: sizeMB * MB, zoneOffsetMin: 120 }, dir);
  const logs = listFiles(dir);
  const bytes = logs.reduce((n, f) => n + statSync(f).size, 0);
  let files = logs;
  let parseMBs = NaN;
  if (archive) {
    const tgzPath = join('bench', 'out', `incident-${sizeMB}mb.tar.gz`);
    if (!existsSync(tgzPath)) await run('tar', ['-czf', tgzPath, '-C', dir, '.']);
    files = [tgzPath];
    console.log(`${sizeMB} MB bundle as .tar.gz: ${(statSync(tgzPath).size / MB).toFixed(1)} MB compressed`);
  } else if (dropAt === 'idle') {
    const parsed = await parseOnly(logs);
    parseMBs = bytes / MB / parsed.seconds;
    for (const [format, r] of [...parsed.byFormat].sort((a, b) => b[1].bytes - a[1].bytes)) {
      console.log(`${sizeMB} MB bundle, parse-only in Node: ${format.padEnd(12)} ${(r.bytes / MB).toFixed(1).padStart(7)} MB  ${(r.bytes / MB / r.seconds).toFixed(0).padStart(5)} MB/s`);
    }
  }

  const profile = mkdtempSync(join(tmpdir(), 'causeway-bench-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', args: chromiumArgs });
  const rss = startRssSampler();
  try {
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => !!window.causeway);
    if (dropAt === 'idle') await page.evaluate(() => Promise.race([window.causeway!.whenWarm(), new Promise((r) => setTimeout(r, 20_000))]));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const workerHeap = await workerHeapSampler(cdp);
    let heapMain = 0;
    let heapWorkers = 0;
    const sampler = setInterval(async () => {
      try {
        const m = await cdp.send('Performance.getMetrics');
        const used = m.metrics.find((x) => x.name === 'JSHeapUsedSize')?.value ?? 0;
        heapMain = Math.max(heapMain, used);
        heapWorkers = Math.max(heapWorkers, await workerHeap());
      } catch { /* page busy or closing */ }
    }, 100);
    // The drop is the input's change event, on the page's clock: Playwright's own hand-over of
    // the files before it (0.1-0.4 s of CDP round trips) is no part of what a user waits for.
    await page.evaluate(() => document.addEventListener('change', () => { window.benchDropAt = performance.now(); }, { capture: true, once: true }));
    const t0 = performance.now();
    await page.getByTestId('file-input').setInputFiles(files);
    // Drop → stored → listed: the bundle shows as ready (the workspace then loads on top: timed below).
    // Polled every frame: a locator's wait backs off to 500 ms polls, which would add up to half a second.
    const readyHandle = await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="bundle-status"]')].some((e) => e.textContent === 'ready')
      && performance.now() - (window.benchDropAt ?? NaN), undefined, { polling: 'raf', timeout: 600_000 });
    const handoverMs = performance.now() - t0;
    const seconds = Number(await readyHandle.jsonValue()) / 1000;
    await page.evaluate(() => window.causeway!.whenIdle());
    clearInterval(sampler);
    // The service worker installs once per app version, when no ingest runs (src/ui/offline.ts): the
    // workspace is measured after that, as a returning user sees it, not beside the one-off install.
    const workspace = !archive && dropAt === 'idle';
    if (workspace) await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    const wsAll: WorkspaceFigures[] = [];
    if (workspace) for (let i = 0; i < wsRuns; i++) wsAll.push(await workspaceFigures(page));
    const ws = wsAll.length ? medianOf(wsAll) : null;
    const s = await page.evaluate(() => window.causeway!.summary());
    const est = await page.evaluate(() => navigator.storage.estimate());
    const tm = await page.evaluate(() => window.causeway!.ingestTimings());
    console.log(`${sizeMB} MB${archive ? ' .tar.gz' : ''}, dropped ${dropAt === 'idle' ? 'on an idle page' : 'at page load'}: worker time read ${tm.readMs.toFixed(0)} ms, digest+store ${tm.storeMs.toFixed(0)} ms, split+parse+index ${tm.parseMs.toFixed(0)} ms; drop → ready ${(seconds * 1000).toFixed(0)} ms (${handoverMs.toFixed(0)} ms with Playwright's file hand-over)`);
    if (!s || s.files.length === 0) throw new Error('ingest produced no files');
    return { size: `${sizeMB} MB${archive ? ' .tar.gz' : ''}`, bytes, e2eMBs: bytes / MB / seconds, parseMBs, heapMainMB: heapMain / MB, heapWorkersMB: heapWorkers / MB, rendererRssMB: rss.peak() / MB, idbMB: (est.usage ?? 0) / MB, seconds, ws, wsAll };
  } finally {
    rss.stop();
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Each figure's median over the runs (figure by figure: the runs' medians may come from different runs). */
function medianOf(runs: WorkspaceFigures[]): WorkspaceFigures {
  const med = (f: (x: WorkspaceFigures) => number) => {
    const v = runs.map(f).sort((a, b) => a - b);
    return v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
  };
  return {
    firstPaintMs: med((x) => x.firstPaintMs), redrawMedianMs: med((x) => x.redrawMedianMs), windowQueryMs: med((x) => x.windowQueryMs),
    windowQueryLines: runs[0]!.windowQueryLines, clickOpenMs: med((x) => x.clickOpenMs), logOpenMs: med((x) => x.logOpenMs), searchMs: runs[0]!.searchMs.map((_, i) => med((x) => x.searchMs[i]!)),
  };
}

async function workspaceFigures(page: import('@playwright/test').Page): Promise<WorkspaceFigures> {
  // First paint of the stored bundle's workspace: from navigation start (a reload of its URL) to the
  // timeline's first rendered frame, polled every animation frame.
  // The bundle's plain view: a search or selection left in the URL by the last run would run again.
  await page.evaluate(() => history.replaceState(null, '', `${location.pathname}${location.search}${location.hash.split('?')[0]}`));
  await page.reload();
  // (A string: tsx would wrap a named inner function in a helper the page does not have.)
  const firstPaintMs = await page.evaluate<number>(`new Promise((resolve) => {
    const poll = () => ((window.causeway?.perf()['timeline.paint']?.count ?? 0) > 0 ? resolve(performance.now()) : requestAnimationFrame(poll));
    poll();
  })`);
  await page.evaluate(() => window.causeway!.whenIdle());
  // Zoom steps through the timeline: the page records each redraw (dataZoom → rendered frame).
  const range = await page.evaluate(() => window.causeway!.timeline!.range());
  for (let i = 1; i <= 8; i++) {
    const span = (range.to - range.from) / (i + 1);
    const from = range.from + span * (i % 3) * 0.3;
    await page.evaluate(([f, t]) => window.causeway!.timeline!.zoomTo(f!, t!), [from, from + span]);
    await page.waitForTimeout(250);
  }
  // Let the last zoom settle into the URL window before reading and selecting.
  await page.waitForTimeout(800);
  await page.evaluate(() => window.causeway!.whenIdle());
  const redraw = await page.evaluate(() => window.causeway!.perf()['timeline.redraw']);
  const redrawMedianMs = redraw?.median ?? NaN;
  // The whole range capped at 100k lines: the merged index of the first 100k lines of the widest window.
  const q = await page.evaluate(([f, t]) => window.causeway!.timedWindowQuery(f!, t!, 100_000), [range.from, range.to]);
  // A user's way to an event: click an error marker the zoomed timeline shows (the window stays).
  let clickOpenMs = NaN;
  const markers = await page.evaluate(() => window.causeway!.timeline!.errorMarkers());
  const target = markers[Math.floor(markers.length / 2)];
  if (target) {
    const start = performance.now();
    await page.mouse.click(target.x, target.y);
    try {
      await page.waitForFunction(() => (document.querySelector('[data-testid="log-view"]')?.getAttribute('data-selected-text') ?? '') !== '', undefined, { timeout: 30_000, polling: 'raf' });
      clickOpenMs = performance.now() - start;
    } catch {
      console.log('log view did not show the clicked marker\'s line');
    }
    // Esc clears the selection (as a user would), so the next figure starts from none.
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => (document.querySelector('[data-testid="log-view"]')?.getAttribute('data-selected-text') ?? '') === '', undefined, { timeout: 10_000 });
    await page.evaluate(() => window.causeway!.whenIdle());
  } else {
    console.log('no error marker in the zoomed window: clicked-marker figure skipped');
  }
  // Open the log view at the whole range's 100,000th line, selected through the URL (the timeline zooms out to the whole bundle).
  let logOpenMs = NaN;
  if (q.sample) {
    const sel = `line~${q.sample.sourceId}~${q.sample.offset}~${q.sample.ts}`;
    const start = performance.now();
    // In the whole-bundle view (a line outside the URL window is not shown).
    await page.evaluate((s) => { location.hash = `${location.hash.split('?')[0]}?sel=${s}`; }, sel);
    try {
      await page.waitForFunction(() => (document.querySelector('[data-testid="log-view"]')?.getAttribute('data-selected-text') ?? '') !== '', undefined, { timeout: 30_000, polling: 'raf' });
      logOpenMs = performance.now() - start;
    } catch {
      const state = await page.evaluate(() => [location.hash, document.querySelector('[data-testid="log-view"]')?.outerHTML.slice(0, 300)]);
      console.log(`log view did not show the selected line ${sel}: ${JSON.stringify(state)}`);
    }
  }
  const searchMs: number[] = [];
  for (const [text, regex] of SEARCHES) {
    const start = performance.now();
    await page.evaluate(([t, r]) => {
      const p = new URLSearchParams({ q: String(t) });
      if (r) p.set('re', '1');
      location.hash = `${location.hash.split('?')[0]}?${p.toString()}`;
    }, [text, regex] as const);
    await page.waitForFunction((t) => {
      const el = document.querySelector('[data-testid="search-count"]');
      const input = document.querySelector<HTMLInputElement>('[data-testid="search-input"]');
      return !!el && el.getAttribute('data-busy') === '0' && el.hasAttribute('data-elapsed-ms') && input?.value === t;
    }, text, { timeout: 60_000 });
    searchMs.push(performance.now() - start);
  }
  return { firstPaintMs, redrawMedianMs, windowQueryMs: q.ms, windowQueryLines: q.lines, clickOpenMs, logOpenMs, searchMs };
}

/**
 * Used JS heap summed over the page's dedicated workers, read through CDP sessions attached to
 * them (workers have no performance.memory).
 */
async function workerHeapSampler(cdp: CDPSession): Promise<() => Promise<number>> {
  const sessions = new Set<string>();
  const waiting = new Map<number, (bytes: number) => void>();
  let nextId = 1;
  cdp.on('Target.attachedToTarget', (e) => { if (e.targetInfo.type === 'worker') sessions.add(e.sessionId); });
  cdp.on('Target.detachedFromTarget', (e) => { if (e.sessionId) sessions.delete(e.sessionId); });
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const m = JSON.parse(e.message) as { id?: number; result?: { usedSize?: number } };
    const done = m.id !== undefined ? waiting.get(m.id) : undefined;
    if (done) {
      waiting.delete(m.id!);
      done(m.result?.usedSize ?? 0);
    }
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  const heapOf = (sessionId: string) => new Promise<number>((resolve) => {
    const id = nextId++;
    waiting.set(id, resolve);
    cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) }).catch(() => resolve(0));
    setTimeout(() => { if (waiting.delete(id)) resolve(0); }, 2000);
  });
  return async () => (await Promise.all([...sessions].map(heapOf))).reduce((a, b) => a + b, 0);
}

/** Peak resident memory of the largest Chromium renderer process (the page and its workers live there). */
function startRssSampler(): { peak(): number; stop(): void } {
  let peak = 0;
  const t = setInterval(() => {
    let largest = 0;
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        if (!cmd.includes('--type=renderer')) continue;
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (m) largest = Math.max(largest, Number(m[1]) * 1024);
      } catch { /* process ended */ }
    }
    peak = Math.max(peak, largest);
  }, 100);
  return { peak: () => peak, stop: () => clearInterval(t) };
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out.sort();
}

/** The run with the median time of `runs` runs, listing every run's seconds (the machine's noise is ±30%). */
async function medianRun(one: () => Promise<Row>): Promise<Row> {
  const all: Row[] = [];
  for (let i = 0; i < runs; i++) all.push(await one());
  if (all.length === 1) return all[0]!;
  const sorted = [...all].sort((a, b) => a.seconds - b.seconds);
  return { ...sorted[(sorted.length - 1) >> 1]!, allSeconds: all.map((r) => r.seconds) };
}

function run(cmd: string, a: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const c: ChildProcess = spawn(cmd, a, { stdio: 'inherit' });
    c.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}`))));
  });
}

async function waitForServer(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not start at ${url}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
