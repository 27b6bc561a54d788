// The kernel ring buffer (FORMATS.md §5): `dmesg` in its default, -T, --time-format iso, -d, -x
// and --raw forms, and kernel-only journal exports (`journalctl -k`, kern.log). Raw stamps are
// seconds since boot (`relative`), placed by the bundle with a boot time from an anchor or the
// user. Hung-task reports become one event each (see dmesg-parser.ts and hung-task.ts).
import { Level } from '../model';
import { YearTracker } from '../time/civil';
import { DmesgParser, findKernelStamp } from './dmesg-parser';
import { StampKind, newKernelStamp, readKernelStamp, stripAnsi } from './dmesg-line';
import { isJournalNote } from './layered-parser';
import { PrefixKind, lineEnd, newLinePrefix, peelPrefix } from './prefix';
import { newParsedLine, resetParsedLine, type FormatDef, type Sniff, type TimeAnchor } from './types';

interface KernelSniff {
  /** Lines that could start a record (not empty, not indented, not journalctl notes). */
  heads: number;
  /** Lines with a dmesg stamp or `-x`/`<N>` prefix. */
  stamped: number;
  /** journald/syslog lines of the `kernel` identifier, and of any other one. */
  kernel: number;
  other: number;
  /** Kernel lines that keep the raw `[ 123.456789]` stamp in the message (kern.log). */
  kernelUptime: number;
}

/** A file named for the kernel log: its kernel-only journal lines are dmesg's, not syslog's. */
const KERNEL_FILE = /(?:^|[/\\])[^/\\]*(?:dmesg|kern)[^/\\]*$/i;

function sniffKernel(sniff: Sniff): KernelSniff {
  const res: KernelSniff = { heads: 0, stamped: 0, kernel: 0, other: 0, kernelUptime: 0 };
  const st = newKernelStamp();
  const p = newLinePrefix();
  const years = new YearTracker(2000);
  for (const raw of sniff.lines) {
    let line = raw;
    let end = lineEnd(raw);
    if (raw.indexOf('\u001b') >= 0) {
      line = stripAnsi(raw, end);
      end = line.length;
    }
    if (findKernelStamp(line, end, st, p)) {
      res.heads++;
      res.stamped++;
      continue;
    }
    peelPrefix(line, p, years);
    if (p.kind !== PrefixKind.none) {
      res.heads++;
      if (p.identEnd - p.identStart === 6 && line.startsWith('kernel', p.identStart)) {
        res.kernel++;
        if (line.charCodeAt(p.start) === 91 && readKernelStamp(line, p.start, end, st) && st.kind === StampKind.uptime) res.kernelUptime++;
      } else if (p.identStart >= 0) {
        res.other++;
      }
      continue;
    }
    const c = line.charCodeAt(0);
    if (end > 0 && c !== 32 && c !== 9 && !isJournalNote(line, 0, end)) res.heads++;
  }
  return res;
}

export const dmesgFormat: FormatDef = {
  id: 'dmesg',
  title: 'Kernel ring buffer (dmesg, journalctl -k)',
  origin: 'kernel',
  detect(sniff) {
    const s = sniffKernel(sniff);
    if (s.heads === 0) return 0;
    // dmesg stamps are unlike any other format's: a few of them make the file dmesg.
    if (s.stamped > 0) return 0.6 + 0.39 * Math.min(1, (s.stamped + s.kernel) / s.heads);
    if (s.kernel === 0 || s.other > 0) return 0;
    // Kernel-only journal lines are syslog's (one unit) unless the file is a kernel log: named
    // so (kern.log, dmesg.txt, kernel.log), or keeping dmesg's stamps in its messages. Then
    // this scores above syslog's one-unit score (at most 0.85).
    const kernelLog = KERNEL_FILE.test(sniff.path) || s.kernelUptime * 2 >= s.kernel;
    return kernelLog ? 0.55 + 0.4 * (s.kernel / s.heads) : 0;
  },
  createParser: (ctx) => new DmesgParser(ctx),
  anchors(sniff): TimeAnchor[] {
    const parser = new DmesgParser({ year: 2000, zoneOffsetMin: 0, bootTimeUs: null });
    const out = newParsedLine();
    for (const line of sniff.lines) {
      resetParsedLine(out);
      parser.parse(line, out);
    }
    return parser.finish().anchors ?? [];
  },
  samples: [
    {
      line: '[ 8235.831133] INFO: task containerd-shim:42379 blocked for more than 120 seconds.',
      iso: '1970-01-01T02:17:15.831133Z', level: Level.error, origin: 'kernel',
    },
    { line: '[ 8236.137921]  ovl_sync_fs+0x59/0x90 [overlay]', iso: '1970-01-01T02:17:16.137921Z', level: Level.info },
    {
      line: '[ 8235.940591] task:containerd-shim state:D stack:    0 pid:42379 ppid:     1 flags:0x00004080',
      iso: '1970-01-01T02:17:15.940591Z', level: Level.info,
    },
    {
      line: '[Sun Jul 12 00:22:31 2020] scsi 7:0:0:0: Direct-Access     HITACHI  DK23AA-51             PQ: 0 ANSI: 5',
      iso: '2020-07-12T00:22:31.000000Z', level: Level.info,
    },
    {
      // -T is the node's local time (space-padded day): placed with the assumed zone.
      line: '[Sat Aug  5 07:27:14 2023] EXT4-fs (nvme0n1p1): mounted filesystem with ordered data mode. Opts: (null). Quota mode: none.',
      iso: '2023-08-05T05:27:14.000000Z', ctx: { zoneOffsetMin: 120 },
    },
    {
      line: '[dim. juil. 12 00:22:31 2020] usb 1-1: new high-speed USB device number 2 using xhci_hcd',
      iso: '2020-07-12T00:22:31.000000Z',
    },
    {
      line: '2020-07-12T00:22:31,123456+02:00 scsi 7:0:0:0: Direct-Access     HITACHI  DK23AA-51             PQ: 0 ANSI: 5',
      iso: '2020-07-11T22:22:31.123456Z', level: Level.info,
    },
    {
      line: '[ 8235.831133 <    0.000123>] sd 0:0:0:0: [sda] tag#12 timing out command, waited 180s',
      iso: '1970-01-01T02:17:15.831133Z',
    },
    {
      line: 'kern  :warn  : [  449.013688] WARNING: CPU: 3 PID: 1037 at fs/overlayfs/super.c:277 ovl_sync_fs+0x59/0x90 [overlay]',
      iso: '1970-01-01T00:07:29.013688Z', level: Level.warn,
    },
    { line: 'kern  :info  : IPVS: Registered protocols (TCP, UDP, SCTP, AH, ESP)', iso: null, level: Level.info },
    {
      line: '<3>[  449.100000] blk_update_request: I/O error, dev nvme0n1, sector 2048 op 0x1:(WRITE) flags 0x800 phys_seg 1 prio class 0',
      iso: '1970-01-01T00:07:29.100000Z', level: Level.error,
    },
    {
      line: '<5>[    0.000000] Linux version 5.15.0-1039-aws (buildd@lcy02-amd64-050) (gcc (Ubuntu 9.4.0-1ubuntu1~20.04.1) 9.4.0, GNU ld (GNU Binutils for Ubuntu) 2.34) #44~20.04.1-Ubuntu SMP Thu Jun 22 12:21:12 UTC 2023',
      iso: '1970-01-01T00:00:00.000000Z', level: Level.info,
    },
    {
      line: '\u001b[32m[    1.234567] \u001b[0m\u001b[33mEXT4-fs (nvme0n1p1): \u001b[0mmounted filesystem with ordered data mode. Opts: (null)',
      iso: '1970-01-01T00:00:01.234567Z', level: Level.info,
    },
    { line: '[  240.100000] Kernel panic - not syncing: hung_task: blocked tasks', iso: '1970-01-01T00:04:00.100000Z', level: Level.fatal },
    {
      // With the boot time known, raw stamps are placed at once.
      line: '[  120.000000] IPv6: ADDRCONF(NETDEV_CHANGE): cali1a2b3c4d5e6: link becomes ready',
      iso: '2023-06-02T05:42:00.000000Z', ctx: { bootTimeUs: 1_685_684_400_000_000 },
    },
    {
      line: 'Jul 12 00:22:31 node-3 kernel: INFO: task containerd-shim:42379 blocked for more than 120 seconds.',
      iso: '2024-07-12T00:22:31.000000Z', level: Level.error, origin: 'kernel',
    },
    {
      // kern.log: the syslog stamp is the time; the raw one stays in the message.
      line: 'Jun 10 10:15:23 node-3 kernel: [ 6141.921740] INFO: task kworker/u8:0:5 blocked for more than 120 seconds.',
      iso: '2024-06-10T10:15:23.000000Z', level: Level.error, origin: 'kernel',
    },
    {
      // journalctl -o short-monotonic
      line: '[    5.123456] node-3 kernel: EXT4-fs (nvme0n1p1): re-mounted. Opts: (null)',
      iso: '1970-01-01T00:00:05.123456Z', origin: 'kernel',
    },
    { line: '  Intel GenuineIntel', iso: null, continuation: true },
  ],
};
