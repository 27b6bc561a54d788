import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Level } from '../model';
import { US_PER_MIN, US_PER_SEC } from '../time/civil';
import { dmesgFormat } from './dmesg';
import { detectFormat } from './registry';
import { syslogFormat } from './syslog';
import { run, splitLines } from './dmesg-test-helpers';
import { isoToUs, showTs } from './test-helpers';
import type { ParsedLine, ParserExtras } from './types';

const fixture = (name: string): string[] => splitLines(readFileSync(new URL(`./__fixtures__/dmesg/${name}`, import.meta.url), 'utf8'));

function onlyEvent(extras: ParserExtras) {
  expect(extras.events).toHaveLength(1);
  return extras.events![0]!;
}

/** The lines of a report after its head are continuations at the head's time; the rest are not. */
function expectReportLines(parsed: ParsedLine[], first: number, count: number): void {
  parsed.forEach((p, n) => {
    const inside = n > first && n < first + count;
    expect(p.continuation, `line ${n}`).toBe(inside);
    if (inside) expect(p.ts, `line ${n}`).toBe(parsed[first]!.ts);
  });
  expect(parsed[first]!.level).toBe(Level.error);
}

describe('dmesg fixtures', () => {
  it('5.10 raw stamps: one report (FORMATS.md §5), relative time, a boot anchor from the RTC line', () => {
    const lines = fixture('hung-5.10-raw.log');
    expect(detectFormat({ path: 'node-1/dmesg.log', lines }).format.id).toBe('dmesg');
    expect(detectFormat({ path: 'x', lines }).score).toBeGreaterThan(0.95);
    const { parsed, extras } = run(dmesgFormat, lines);
    expect(parsed.every((p) => p.relative && !p.local)).toBe(true);
    const ev = onlyEvent(extras);
    expect(ev).toMatchObject({
      kind: 'hung-task', basis: 'relative', ts: 8235_831133, line: 5, lineCount: 28,
      title: 'task containerd-shim:42379 blocked for more than 120 seconds',
      fields: { task: 'containerd-shim', pid: 42379, blockedSeconds: 120, state: 'D', ppid: 1, kernel: '5.10.220-206.864.amzn2.x86_64' },
    });
    expect(ev.stack).toHaveLength(16);
    expect(ev.stack.slice(0, 4)).toEqual(['__schedule+0x1f9/0x660', 'schedule+0x46/0xb0', 'wb_wait_for_completion+0x56/0x90', '? finish_wait+0x80/0x80']);
    expect(ev.stack).toContain('ovl_sync_fs+0x59/0x90 [overlay]');
    expect(ev.stack.at(-1)).toBe('entry_SYSCALL_64_after_hwframe+0x61/0xc6');
    expectReportLines(parsed, 5, 28);
    const bootUs = 1715068931 * US_PER_SEC + 500_000 - 633_021;
    expect(extras.anchors).toEqual([{ utcUs: 1715068931 * US_PER_SEC, localAsUtcUs: null, bootUs }]);
    expect(dmesgFormat.anchors?.({ path: 'dmesg.log', lines })).toEqual(extras.anchors);
  });

  it('5.4 layout: two reports back to back, a kworker with its workqueue', () => {
    const lines = fixture('hung-5.4-raw.log');
    const { parsed, extras } = run(dmesgFormat, lines);
    expect(extras.events).toHaveLength(2);
    const [docker, kworker] = extras.events!;
    expect(docker).toMatchObject({
      ts: 449328_013688, line: 1, lineCount: 24,
      fields: { task: 'dockerd', pid: 1037, ppid: 1, state: 'D', blockedSeconds: 120, kernel: '5.4.0-1045-aws' },
    });
    expect(docker!.stack).toEqual([
      '__schedule+0x2e3/0x740', '? __switch_to_asm+0x40/0x70', 'schedule+0x42/0xb0', 'rwsem_down_write_slowpath+0x244/0x4d0',
      '? __switch_to_asm+0x34/0x70', 'down_write+0x41/0x50', 'do_umount+0x10e/0x340', 'ksys_umount+0xad/0x110',
      '__x64_sys_umount+0x12/0x20', 'do_syscall_64+0x57/0x190', 'entry_SYSCALL_64_after_hwframe+0x44/0xa9',
    ]);
    expect(kworker).toMatchObject({
      line: 25, lineCount: 28, title: 'task kworker/u8:2:2310 blocked for more than 120 seconds',
      fields: { task: 'kworker/u8:2', pid: 2310, ppid: 2, state: 'D', workqueue: 'writeback wb_workfn (flush-259:0)' },
    });
    expect(kworker!.stack).toHaveLength(22);
    expect(parsed[25]!.continuation).toBe(false);
    expect(parsed[53]!.continuation).toBe(false);
    expect(parsed[52]!.continuation).toBe(true);
  });

  it('6.1 with --time-format iso: absolute time, <TASK> markers, zone and boot anchors', () => {
    const lines = fixture('hung-6.1-iso.log');
    expect(detectFormat({ path: 'x', lines }).format.id).toBe('dmesg');
    const { parsed, extras } = run(dmesgFormat, lines);
    expect(showTs(parsed[3]!.ts)).toBe('2024-02-11T13:03:51.208114Z');
    expect(parsed.every((p) => !p.relative && !p.local)).toBe(true);
    const ev = onlyEvent(extras);
    expect(ev).toMatchObject({
      basis: 'utc', ts: isoToUs('2024-02-11T13:03:51.208114Z'), line: 3, lineCount: 22,
      fields: { task: 'jbd2/sdc1-8', pid: 18734, ppid: 2, state: 'D', kernel: '6.1.0-18-amd64' },
    });
    expect(ev.stack).toHaveLength(15);
    expect(ev.stack).not.toContain('<TASK>');
    expect(ev.stack).toContain('? __pfx_kjournald2+0x10/0x10 [jbd2]');
    expectReportLines(parsed, 3, 22);
    const anchors = extras.anchors ?? [];
    expect(anchors.filter((a) => a.localAsUtcUs !== null).every((a) => a.localAsUtcUs! - a.utcUs === 60 * US_PER_MIN)).toBe(true);
    expect(anchors.find((a) => a.bootUs !== undefined)?.bootUs).toBe(isoToUs('2024-02-11T09:12:07Z'));
  });

  it('3.10 with -T: local time, stack words and [<address>] frames', () => {
    const lines = fixture('hung-3.10-ctime.log');
    expect(detectFormat({ path: 'x', lines }).format.id).toBe('dmesg');
    const { parsed, extras } = run(dmesgFormat, lines, { zoneOffsetMin: -300 });
    expect(parsed[0]!.local).toBe(true);
    expect(showTs(parsed[0]!.ts)).toBe('2017-03-07T08:11:58.000000Z');
    const ev = onlyEvent(extras);
    expect(ev).toMatchObject({ basis: 'local', line: 1, lineCount: 20, fields: { task: 'docker', pid: 27090, ppid: 3047, state: 'D' } });
    expect(ev.fields.kernel).toBeUndefined();
    expect(ev.stack[0]).toBe('schedule+0x29/0x70');
    expect(ev.stack[2]).toBe('? try_to_wake_up+0x1b6/0x300');
    expect(ev.stack).toHaveLength(14);
    expectReportLines(parsed, 1, 20);
  });

  it('journalctl -k: dmesg when the file is a kernel log, syslog otherwise; both yield the event', () => {
    const lines = fixture('journal-kernel.log');
    expect(detectFormat({ path: 'node-1/journal/kernel.log', lines }).format.id).toBe('dmesg');
    expect(detectFormat({ path: 'node-1/journal/all.log', lines }).format.id).toBe('syslog');
    const dm = run(dmesgFormat, lines);
    const sys = run(syslogFormat, lines);
    const ev = onlyEvent(dm.extras);
    expect(ev).toMatchObject({
      basis: 'local', ts: isoToUs('2024-05-07T10:28:23.142118Z'), line: 2, lineCount: 23,
      fields: { task: 'containerd-shim', pid: 28325, ppid: 1, state: 'D', kernel: '5.10.215-203.850.amzn2.x86_64' },
    });
    expect(ev.stack).toContain('ovl_sync_fs+0x59/0x90 [overlay]');
    expect(onlyEvent(sys.extras)).toEqual(ev);
    expect(dm.parsed[0]!.continuation).toBe(true); // `-- Logs begin … --`
    expect(dm.parsed.slice(1).every((p) => p.origin === 'kernel' || p.continuation)).toBe(true);
    expectReportLines(dm.parsed.slice(1), 1, 23);
  });

  it('dmesg -x --color: levels from the decode prefix, colour stripped', () => {
    const lines = fixture('decode-color.log');
    expect(detectFormat({ path: 'x', lines }).format.id).toBe('dmesg');
    const { parsed, extras } = run(dmesgFormat, lines);
    expect(parsed.map((p) => p.level).filter((_, n) => n < 4 || n > 15)).toEqual([Level.info, Level.info, Level.info, Level.info, Level.warn, Level.info]);
    const ev = onlyEvent(extras);
    expect(ev).toMatchObject({ ts: 152_007571, line: 4, lineCount: 12, fields: { pid: 2792, state: 'D', kernel: '5.15.0-1039-aws' } });
    expect(ev.stack).toEqual(['__schedule+0x2cd/0x890', 'schedule+0x69/0x110', '? wait_woken+0x60/0x60', 'ovl_sync_fs+0x59/0x90 [overlay]', 'cleanup_mnt+0x12d/0x190']);
    expect(extras.anchors?.[0]?.bootUs).toBe(1685684401 * US_PER_SEC + 500_000 - 612_345);
  });

  it('a report cut at the end of the file still makes its event', () => {
    const lines = fixture('truncated.log');
    const { parsed, extras } = run(dmesgFormat, lines);
    const ev = onlyEvent(extras);
    expect(ev).toMatchObject({ line: 2, lineCount: 13, fields: { task: 'containerd-shim', pid: 42379 } });
    expect(ev.stack.at(-1)).toBe('sync_filesystem.part.0+0x68/0x80');
    // The cut frame is not a frame: it is a line of its own, still timed.
    expect(parsed.at(-1)!.continuation).toBe(false);
    expect(parsed.at(-1)!.ts).toBe(8236_179595);
  });
});

describe('dmesg lines and detection', () => {
  it('kern.log with RFC 3339 prefixes: the prefix time, and the boot time from the raw stamp inside', () => {
    const lines = [
      '2024-05-07T10:28:23.142118+00:00 ip-10-0-3-7 kernel: [ 8235.831133] INFO: task containerd-shim:42379 blocked for more than 120 seconds.',
      '2024-05-07T10:28:23.142151+00:00 ip-10-0-3-7 kernel: [ 8235.866877]       Tainted: G           OE     5.10.220-206.864.amzn2.x86_64 #1',
      '2024-05-07T10:28:23.142190+00:00 ip-10-0-3-7 kernel: [ 8235.979660] Call Trace:',
    ];
    expect(detectFormat({ path: 'var/log/syslog', lines }).format.id).toBe('dmesg');
    const { parsed, extras } = run(dmesgFormat, lines);
    expect(showTs(parsed[0]!.ts)).toBe('2024-05-07T10:28:23.142118Z');
    expect(parsed[2]!.continuation).toBe(true);
    expect(extras.anchors).toEqual([{ utcUs: parsed[0]!.ts, localAsUtcUs: null, bootUs: parsed[0]!.ts - 8235_831133 }]);
    expect(onlyEvent(extras).fields.kernel).toBe('5.10.220-206.864.amzn2.x86_64');
  });

  it('places raw stamps itself when the boot time is known', () => {
    const bootTimeUs = isoToUs('2023-06-02T05:40:00Z');
    const { parsed, extras } = run(dmesgFormat, fixture('hung-5.10-raw.log'), { bootTimeUs });
    expect(parsed.every((p) => !p.relative)).toBe(true);
    expect(onlyEvent(extras)).toMatchObject({ basis: 'utc', ts: bootTimeUs + 8235_831133 });
  });

  it('reads -d deltas, <N> priorities, delta-only and notime forms', () => {
    const { parsed } = run(dmesgFormat, [
      '[ 8235.831133 <    0.000123>] sd 0:0:0:0: [sda] tag#12 timing out command, waited 180s',
      '[Sun Jul 12 00:22:31 2020 <    0.000123>] scsi 7:0:0:0: Direct-Access',
      '<4>[  449.013688] overlayfs: upper fs does not support RENAME_WHITEOUT.',
      '[<    0.000123>] NET: Registered PF_INET protocol family',
      'daemon:notice: systemd[1]: Started Journal Service.',
      'Out of memory: Killed process 4242 (java) total-vm:8123456kB, anon-rss:4012345kB',
    ]);
    expect(parsed.map((p) => showTs(p.ts))).toEqual([
      '1970-01-01T02:17:15.831133Z', '2020-07-12T00:22:31.000000Z', '1970-01-01T00:07:29.013688Z', 'NaN', 'NaN', 'NaN',
    ]);
    expect(parsed.map((p) => p.level)).toEqual([Level.info, Level.info, Level.warn, Level.info, Level.info, Level.error]);
    expect(parsed.every((p) => !p.continuation)).toBe(true);
  });

  it('leaves kernel lines among other units, and other formats, alone', () => {
    const lines = [
      'Jun 02 05:48:06 h kernel: INFO: task containerd-shim:42379 blocked for more than 120 seconds.',
      'Jun 02 05:48:06 h kubelet[1]: I0602 05:48:06.350695       1 a.go:1] "x"',
    ];
    expect(dmesgFormat.detect({ path: 'kern.log', lines })).toBe(0);
    expect(dmesgFormat.detect({ path: 'x', lines: ['I0602 05:48:06.350695       1 a.go:1] "x"', 'time="2024-06-02T05:48:06Z" level=info msg="[1.5] x"'] })).toBe(0);
    expect(dmesgFormat.detect({ path: 'x', lines: ['2024-05-07T10:26:23.142118+00:00 lnx69631 dockerd[52789]: x'] })).toBe(0);
  });
});

describe('forwarded syslog keeps its <PRI>: no dmesg -r record', () => {
  it('RFC 5424 and RFC 3164 lines after a priority are syslog, while dmesg -r stays dmesg', () => {
    const forwarded = [
      '<30>1 2024-06-02T05:44:57.124356+02:00 node-4.prod.example.com containerd 2206 - - time="2024-06-02T05:44:57.123456698+02:00" level=info msg="starting containerd"',
      '<30>1 2024-06-02T05:45:00.123999+02:00 node-4.prod.example.com kubelet 1679 - - I0602 05:45:00.123456    1679 server.go:487] "Kubelet version" kubeletVersion="v1.29.4"',
      '<6>1 2024-06-02T05:50:10.353336+02:00 node-4.prod.example.com kernel - - - INFO: task containerd-shim:4242 blocked for more than 120 seconds.',
      '<29>Jun  2 05:47:00 node-4 systemd[1]: Started kubepods-burstable.slice.',
    ];
    const detected = detectFormat({ path: 'var/log/remote/node-4.log', lines: forwarded });
    expect(detected.format.id).toBe('syslog');
    const raw = ['<6>[    0.000000] Linux version 6.1.0-18-cloud-amd64', '<4>[ 6141.921740] INFO: task containerd-shim:4242 blocked for more than 120 seconds.', '<30>[ 6150.000001] systemd[1]: Started Journal Service.'];
    expect(detectFormat({ path: 'dmesg.txt', lines: raw }).format.id).toBe('dmesg');
  });
});

describe('journalctl -o short-monotonic of the whole journal', () => {
  const pad = (us: number) => `[${String(Math.floor(us / US_PER_SEC)).padStart(5)}.${String(us % US_PER_SEC).padStart(6, '0')}]`;

  it('reads the level of kubelet and containerd lines, and the boot time from an absolute producer stamp', () => {
    const variants = [
      { host: 'ip-10-1-2-3', boot: '2025-01-01T05:29:47.601010+05:30', zone: '+05:30' },
      { host: 'stjohns-w1', boot: '2024-12-31T20:29:50.000001-03:30', zone: '-03:30' },
      { host: 'node-b7', boot: '2019-06-19T21:50:00.250000-07:00', zone: '-07:00' },
    ];
    for (const v of variants) {
      const bootUs = isoToUs(v.boot);
      // containerd's stamp (ms here, as Date prints it) at a given uptime.
      const ctrIso = (upUs: number) => new Date((bootUs + upUs) / 1000).toISOString().replace('Z', '000000Z');
      const lines = [
        `${pad(0)} ${v.host} kernel: Linux version 6.1.0-18-cloud-amd64`,
        `${pad(5_123_456)} ${v.host} systemd[1]: Started Journal Service.`,
        `${pad(12_500_000)} ${v.host} containerd[901]: time="${ctrIso(12_500_000)}" level=warning msg="cleaning up after shim disconnected" id=4f2a namespace=k8s.io`,
        `${pad(14_000_001)} ${v.host} kubelet[1877]: E0101 05:30:01.400001    1877 kubelet.go:2361] "Skipping pod synchronization" err="PLEG is not healthy"`,
        `${pad(14_500_000)} ${v.host} containerd[901]: time="${ctrIso(14_500_000)}" level=info msg="starting signal loop" namespace=k8s.io path=/run/containerd/io.containerd.runtime.v2.task/k8s.io/4f2a pid=5512 runtime=io.containerd.runc.v2`,
        `${pad(15_000_000)} ${v.host} kernel: IPVS: Registered protocols (TCP, UDP, SCTP, AH, ESP)`,
      ];
      expect(detectFormat({ path: `journal-${v.host}.txt`, lines }).format.id).toBe('dmesg');
      const { parsed, extras } = run(dmesgFormat, lines);
      expect(parsed.map((p) => [p.origin, p.level])).toEqual([
        ['kernel', Level.info], ['systemd', Level.unknown], ['containerd', Level.warn], ['kubelet', Level.error], ['shim', Level.info], ['kernel', Level.info],
      ]);
      expect(parsed.every((p) => p.relative)).toBe(true);
      expect(extras.anchors).toHaveLength(1);
      expect(extras.anchors![0]!.bootUs).toBe(bootUs - (bootUs % 1000));
    }
  });
});
