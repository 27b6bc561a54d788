// Generated dmesg variants (every stamp form × every report layout) and the scenario generator's
// dmesg.log: the parse of each line and the hung-task events must match what was written.
import { describe, expect, it } from 'vitest';
import { Level } from '../model';
import { generateScenario } from '../scenarios';
import { US_PER_MIN, US_PER_SEC } from '../time/civil';
import { dmesgFormat } from './dmesg';
import { run, splitLines } from './dmesg-test-helpers';
import { detectFormat } from './registry';
import { pad, pick, rng, showTs } from './test-helpers';

const FORMS = ['raw', 'delta', 'decode', 'prio', 'ctime', 'iso', 'journal'] as const;
const LAYOUTS = ['3.10', '5.4', '5.10', '6.1'] as const;
const TASKS = ['containerd-shim', 'dockerd', 'kworker/u8:2', 'jbd2/sdc1-8', 'runc:[2:INIT]', 'java'];
const FRAMES = [
  '__schedule+0x2cd/0x890', 'schedule+0x69/0x110', 'io_schedule+0x16/0x40', 'rwsem_down_write_slowpath+0x244/0x4d0',
  'ovl_sync_fs+0x59/0x90 [overlay]', 'jbd2_journal_commit_transaction+0x1601/0x1a30 [jbd2]', 'sync_filesystem.part.0+0x68/0x80',
  'kthread+0xd7/0x100', 'ret_from_fork+0x2c/0x50', '__x64_sys_umount+0x12/0x20',
];
const NOISE = [
  'IPv6: ADDRCONF(NETDEV_CHANGE): cali5a7c1f0e2d3: link becomes ready', 'device cali5a7c1f0e2d3 left promiscuous mode',
  'EXT4-fs (nvme0n1p1): re-mounted. Opts: (null). Quota mode: none.', 'NET: Registered PF_INET protocol family',
];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

interface Report { task: string; pid: number; ppid: number; seconds: number; stack: string[]; line: number; lineCount: number }

function generate(seed: number) {
  const rand = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const form = pick(rand, FORMS);
  const layout = pick(rand, LAYOUTS);
  const zone = pick(rand, [-300, 0, 60, 330]);
  const colour = rand() < 0.3;
  const bootUtc = Date.UTC(2023, int(0, 10), int(1, 28), int(0, 23), int(0, 59), int(0, 59)) * 1000;
  let uptime = int(1, 900_000) * 1000;
  const lines: string[] = [];
  const expectedTs: number[] = [];
  const reports: Report[] = [];

  const stamp = (level: number): [string, number] => {
    const wall = bootUtc + uptime + zone * US_PER_MIN;
    const d = new Date(Math.floor(wall / 1000));
    const clock = `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
    const raw = `[${String(Math.floor(uptime / US_PER_SEC)).padStart(5)}.${pad(uptime % US_PER_SEC, 6)}]`;
    const sign = zone < 0 ? '-' : '+';
    const paint = (s: string) => (colour ? `\u001b[32m${s}\u001b[0m` : s);
    switch (form) {
      case 'raw': return [paint(raw) + ' ', uptime];
      case 'delta': return [paint(`${raw.slice(0, -1)} <${(int(0, 9_999_999) / 1e6).toFixed(6).padStart(12)}>]`) + ' ', uptime];
      case 'decode': return [`kern  :${['err   ', 'warn  ', 'info  '][level]}: ${paint(raw)} `, uptime];
      case 'prio': return [`<${[3, 4, 6][level]}>${raw} `, uptime];
      case 'ctime':
        return [paint(`[${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${clock} ${d.getUTCFullYear()}]`) + ' ',
          Math.floor(wall / US_PER_SEC) * US_PER_SEC - zone * US_PER_MIN];
      case 'iso':
        return [`${d.toISOString().slice(0, 19)},${pad(wall % US_PER_SEC, 6)}${sign}${pad(Math.floor(Math.abs(zone) / 60), 2)}:${pad(Math.abs(zone) % 60, 2)} `, bootUtc + uptime];
      case 'journal':
        return [`${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate(), 2)} ${clock}.${pad(wall % US_PER_SEC, 6)} node-3 kernel: `, bootUtc + uptime];
    }
  };
  const emit = (text: string, level: number, ts?: number) => {
    const [prefix, own] = stamp(level);
    lines.push(prefix + text);
    expectedTs.push(ts ?? own);
    uptime += int(1, 40_000);
  };

  for (let r = 0, count = int(1, 3); r < count; r++) {
    for (let n = int(1, 4); n > 0; n--) {
      emit(pick(rand, NOISE), 2);
      uptime += int(0, 60_000_000);
    }
    const task = pick(rand, TASKS);
    const pid = int(2, 4_000_000);
    const ppid = int(1, 30000);
    const seconds = pick(rand, [120, 122, 241, 480]);
    const line = lines.length;
    const headTs = stamp(0)[1];
    emit(`INFO: task ${task}:${pid} blocked for more than ${seconds} seconds.`, 0);
    if (layout !== '3.10') emit(rand() < 0.5 ? '      Not tainted 5.15.0-1039-aws #44~20.04.1-Ubuntu' : '      Tainted: G           OE     5.15.0-1039-aws #44', 0, headTs);
    emit('"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.', 0, headTs);
    const taskLine = {
      '3.10': `${task.padEnd(15)} D ffff88007a2dd140     0 ${String(pid).padStart(5)} ${String(ppid).padStart(6)} 0x00000080`,
      '5.4': `${task.padEnd(15)} D    0 ${String(pid).padStart(5)} ${String(ppid).padStart(6)} 0x00004080`,
      '5.10': `task:${task} state:D stack:    0 pid:${String(pid).padStart(5)} ppid:${String(ppid).padStart(6)} flags:0x00004080`,
      '6.1': `task:${task.padEnd(15)} state:D stack:0     pid:${String(pid).padEnd(5)} ppid:${String(ppid).padEnd(6)} flags:0x00004000`,
    }[layout];
    emit(taskLine, 2, headTs);
    if (layout === '3.10') emit(' ffff88007bb61d80 0000000000000086 ffff880230c8b980 ffff88007bb61fd8', 1, headTs);
    emit('Call Trace:', 1, headTs);
    if (layout === '6.1') emit(' <TASK>', 1, headTs);
    const stack: string[] = [];
    for (let n = int(2, 12); n > 0; n--) {
      const frame = (rand() < 0.25 ? '? ' : '') + pick(rand, FRAMES);
      stack.push(frame);
      emit(layout === '3.10' ? ` [<ffffffff8163a909>] ${frame}` : ` ${frame}`, 1, headTs);
    }
    if (layout === '6.1') emit(' </TASK>', 1, headTs);
    else if (layout !== '3.10' && rand() < 0.5) emit('RIP: 0033:0x4a4b6b', 1, headTs);
    reports.push({ task, pid, ppid, seconds, stack, line, lineCount: lines.length - line });
  }
  emit(pick(rand, NOISE), 2);
  const basis = form === 'ctime' || form === 'journal' ? 'local' : form === 'iso' ? 'utc' : 'relative';
  return { lines, expectedTs, reports, basis, ctx: { zoneOffsetMin: zone, year: 2023 }, form, layout };
}

describe('dmesg, generated variants', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const g = generate(seed);
    it(`seed ${seed} (${g.form}, ${g.layout}): line times, report records and events`, () => {
      expect(detectFormat({ path: 'node-3/kernel.log', lines: g.lines }).format.id).toBe('dmesg');
      const { parsed, extras } = run(dmesgFormat, g.lines, g.ctx);
      const inReport = new Set<number>();
      for (const r of g.reports) for (let n = r.line + 1; n < r.line + r.lineCount; n++) inReport.add(n);
      parsed.forEach((p, n) => {
        const where = `${n}: ${g.lines[n]}`;
        expect(showTs(p.ts), where).toBe(showTs(g.expectedTs[n]!));
        expect(p.continuation, where).toBe(inReport.has(n));
        expect(p.relative, where).toBe(g.basis === 'relative');
        if (!inReport.has(n)) expect(p.level, where).toBe(g.reports.some((r) => r.line === n) ? Level.error : Level.info);
      });
      expect(extras.events?.map((e) => ({
        task: e.fields.task, pid: e.fields.pid, ppid: e.fields.ppid, seconds: e.fields.blockedSeconds, stack: e.stack, line: e.line, lineCount: e.lineCount,
      }))).toEqual(g.reports);
      for (const e of extras.events ?? []) {
        expect(e.basis).toBe(g.basis);
        expect(e.ts).toBe(g.expectedTs[e.line]);
        expect(e.fields.state).toBe('D');
      }
    });
  }
});

describe('dmesg of the generated scenarios', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`io-storm seed ${seed}: one hung-task event of the stuck shim, and the boot time`, () => {
      const skewUs = seed === 6 ? 2_500_000 : 0;
      const g = generateScenario({ scenario: 'io-storm-umount-bbolt', seed, targetBytes: 2e6, skewUs });
      const file = g.files.find((f) => f.path === g.truth.paths.dmesg)!;
      const lines = splitLines([...file.chunks()].join(''));
      expect(detectFormat({ path: file.path, lines: lines.slice(0, 400) }).format.id).toBe('dmesg');
      const { parsed, extras } = run(dmesgFormat, lines);
      expect(parsed.every((p) => p.relative || p.continuation)).toBe(true);
      expect(extras.events).toHaveLength(1);
      const ev = extras.events![0]!;
      const truth = g.truth.hungTask!;
      expect(ev.fields).toMatchObject({ task: 'containerd-shim', pid: truth.pid, state: 'D', blockedSeconds: 120 });
      expect(ev.stack.some((f) => f.startsWith('ovl_sync_fs+'))).toBe(true);
      expect(ev.basis).toBe('relative');
      expect(ev.ts).toBe(Math.round(truth.uptimeSec * US_PER_SEC));
      const boots = (extras.anchors ?? []).map((a) => a.bootUs);
      expect(boots).toHaveLength(1);
      expect(Math.abs(boots[0]! - g.truth.bootUs)).toBeLessThan(US_PER_SEC);
      expect(dmesgFormat.anchors!({ path: file.path, lines: lines.slice(0, 400) })).toEqual(extras.anchors);
      expect(boots[0]! + ev.ts - truth.atUs).toBeLessThan(US_PER_SEC);
    });
  }

  for (const seed of [1, 2]) {
    it(`healthy seed ${seed}: no hung task`, () => {
      const g = generateScenario({ scenario: 'healthy', seed, targetBytes: 2e6 });
      const file = g.files.find((f) => f.path === g.truth.paths.dmesg)!;
      const lines = splitLines([...file.chunks()].join(''));
      expect(detectFormat({ path: file.path, lines: lines.slice(0, 400) }).format.id).toBe('dmesg');
      const { extras } = run(dmesgFormat, lines);
      expect(extras.events ?? []).toHaveLength(0);
      expect(extras.anchors).toHaveLength(1);
    });
  }
});
