import { describe, expect, it } from 'vitest';
import { Level, levelNames } from '../model';
import { US_PER_MIN } from '../time/civil';
import { detectFormat } from './registry';
import { syslogFormat } from './syslog';
import { pad, parseAll, pick, rng, showTs } from './test-helpers';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const FR = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'];

interface Expected { ts: number; level: Level; origin: string | null; continuation: boolean }

/** A journalctl export of several units: the time source differs per producer. */
const KERNEL: readonly (readonly [string, Level])[] = [
  ['INFO: task containerd-shim:PID blocked for more than 120 seconds.', Level.error],
  ['Memory cgroup out of memory: Killed process PID (python3) total-vm:1012345kB, anon-rss:512000kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:1100kB oom_score_adj:993', Level.error],
  ['Out of memory: Killed process PID (java) total-vm:8123456kB, anon-rss:4000000kB', Level.error],
  ['java invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=PID', Level.warn],
  ['EXT4-fs (nvme0n1p1): mounted filesystem with ordered data mode. Quota mode: none.', Level.info],
  ['IPv6: ADDRCONF(NETDEV_CHANGE): caliPID: link becomes ready', Level.info],
];

function generate(seed: number, count: number) {
  const rand = rng(seed);
  const zone = pick(rand, [-300, 0, 120, 480]);
  const names = rand() < 0.5 ? MONTHS : FR;
  const spaced = rand() < 0.5; // RFC 3164 `Aug  5` vs journalctl `Aug 05`
  let utc = Date.UTC(2023, Math.floor(rand() * 12), 1 + Math.floor(rand() * 27), 6) * 1000;
  const lines: string[] = [];
  const expected: Expected[] = [];
  lines.push('-- Logs begin at Tue 2022-09-06 18:34:56 UTC, end at Sun 2022-09-11 14:03:42 UTC. --');
  expected.push({ ts: NaN, level: Level.unknown, origin: null, continuation: true });
  for (let n = 0; n < count; n++) {
    utc += Math.floor(rand() * 2e6) * 1000;
    const wallUs = utc + zone * US_PER_MIN;
    const d = new Date(wallUs / 1000);
    const clock = `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
    const day = spaced ? String(d.getUTCDate()).padStart(2, ' ') : pad(d.getUTCDate(), 2);
    const head = `${names[d.getUTCMonth()]} ${day} ${clock} node-3`;
    const prefixTs = Math.floor(wallUs / 1e6) * 1e6 - zone * US_PER_MIN;
    const kind = Math.floor(rand() * 5);
    if (kind === 0) {
      // kubelet: the klog stamp (µs) is the time.
      const micros = pad(utc % 1e6, 6);
      lines.push(`${head} kubelet[811]: E${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)} ${clock}.${micros}     811 pod_workers.go:1301] "Error syncing pod"`);
      expected.push({ ts: utc, level: Level.error, origin: 'kubelet', continuation: false });
    } else if (kind === 1) {
      // containerd: its absolute time= (earlier than the journal's stamp) is the time.
      const own = utc - 1500;
      const iso = new Date(own / 1000).toISOString().slice(0, 19) + '.' + pad(own % 1e6, 6) + '123Z';
      lines.push(`${head} containerd[881]: time="${iso}" level=warning msg="cleaning up dead shim" namespace=k8s.io`);
      expected.push({ ts: own, level: Level.warn, origin: 'containerd', continuation: false });
    } else if (kind === 2) {
      // Kernel lines have no level in the journal: it is read from the message, as dmesg does.
      const [text, level] = pick(rand, KERNEL);
      lines.push(`${head} kernel: ${text.replace('PID', String(1000 + n))}`);
      expected.push({ ts: prefixTs, level, origin: 'kernel', continuation: false });
    } else if (kind === 3) {
      lines.push(`${head} systemd[1]: Started Kubernetes transient mount for /var/lib/kubelet/pods/${n}.`);
      expected.push({ ts: prefixTs, level: Level.unknown, origin: 'systemd', continuation: false });
    } else {
      lines.push(`${head} dockerd[1200]: time="${new Date(utc / 1000).toISOString()}" level=info msg="shim reaped"`);
      lines.push('                                            continued message text of a wrapped entry');
      expected.push({ ts: Math.floor(utc / 1000) * 1000, level: Level.info, origin: 'docker', continuation: false });
      expected.push({ ts: NaN, level: Level.unknown, origin: null, continuation: true });
    }
  }
  return { lines, expected, ctx: { year: 2023, zoneOffsetMin: zone } };
}

describe('syslog, generated multi-unit exports', () => {
  for (let seed = 1; seed <= 16; seed++) {
    it(`seed ${seed}: per-line origin and the best time of each line`, () => {
      const { lines, expected, ctx } = generate(seed, 200);
      const parsed = parseAll(syslogFormat, lines, ctx);
      parsed.forEach((p, n) => {
        const e = expected[n]!;
        const where = `${n}: ${lines[n]}`;
        expect(showTs(p.ts), where).toBe(showTs(e.ts));
        expect(levelNames[p.level], where).toBe(levelNames[e.level]);
        expect(p.origin, where).toBe(e.origin);
        expect(p.continuation, where).toBe(e.continuation);
      });
      expect(detectFormat({ path: 'journal.txt', lines: lines.slice(0, 200) }).format.id).toBe('syslog');
    });
  }
});

describe('syslog detection', () => {
  const k = 'Jun 02 05:48:06 h kubelet[1]: I0602 05:48:06.350695       1 a.go:1] "x"';
  const c = 'Jun 02 05:48:06 h containerd[2]: time="2024-06-02T05:48:06.000000000Z" level=info msg="x"';
  const kern = 'Jun 02 05:48:06 h kernel: EXT4-fs (sda1): mounted filesystem';
  const detect = (lines: string[]) => detectFormat({ path: 'x', lines }).format.id;

  it('leaves one producer unit to its own format', () => {
    expect(detect([k, k, k])).toBe('klog');
    expect(detect([c, c, c])).toBe('containerd');
    expect(detect([c, c.replace('containerd[2]', 'dockerd[3]'), c.replace('containerd[2]', 'containerd-shim[4]')])).toBe('containerd');
  });

  it('takes mixed units and units that are neither producer', () => {
    expect(detect([k, c, kern])).toBe('syslog');
    expect(detect([k, k, k, c])).toBe('syslog');
    expect(detect([kern, kern])).toBe('syslog');
  });
});

describe('a Go panic in the journal', () => {
  const J = (ident: string, text: string) => `Jun 03 05:48:12.733001 ip-10-0-1-23 ${ident}: ${text}`;
  const trace = (indent: string) => [
    'panic: runtime error: invalid memory address or nil pointer dereference',
    '[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x55d1c2f0a3b4]',
    '',
    'goroutine 412 [running]:',
    'github.com/containerd/containerd/v2/internal/cri/server.(*criService).handleContainerExit(0xc000a1e000, {0x55d1c3a1e2f0, 0xc0004b6a80}, 0xc0009f2c00)',
    `${indent}/go/src/github.com/containerd/containerd/internal/cri/server/events.go:152 +0x94`,
    'main.main()',
    `${indent}/go/src/github.com/containerd/containerd/cmd/containerd/main.go:34 +0x1d`,
    'created by github.com/containerd/containerd/v2/internal/cri/server.(*containerEventsQueue).start in goroutine 1',
    `${indent}/go/src/github.com/containerd/containerd/internal/cri/server/events.go:90 +0x85`,
  ];
  it.each([['tabs kept', '\t'], ['tabs shown as spaces', '        ']])('is one fatal record with its trace (%s)', (_, indent) => {
    const lines = [
      J('containerd[2231]', 'time="2024-06-03T05:48:10.499988100Z" level=info msg="starting cri plugin"'),
      ...trace(indent).map((t) => J('containerd[2231]', t)),
      J('systemd[1]', 'containerd.service: Main process exited, code=exited, status=2/INVALIDARGUMENT'),
      J('containerd[2290]', 'time="2024-06-03T05:48:18.100000000Z" level=info msg="starting containerd"'),
    ];
    const parsed = parseAll(syslogFormat, lines, { year: 2024 });
    const records = parsed.map((p, n) => ({ n, p })).filter(({ p }) => !p.continuation);
    expect(records.map(({ n }) => n)).toEqual([0, 1, 11, 12]);
    expect(levelNames[parsed[1]!.level]).toBe('fatal');
    expect(levelNames[parsed[11]!.level]).toBe('warn');
  });

  it('ends at the first line that is no trace, or another program\'s, and never takes another program\'s lines', () => {
    const lines = [
      J('dockerd[900]', 'panic: assignment to entry in nil map'),
      J('kubelet[1680]', 'E0603 05:48:12.733001    1680 kubelet.go:1] "x"'),
      J('dockerd[900]', 'goroutine 1 [running]:'),
      J('dockerd[900]', 'time="2024-06-03T05:48:12.800000000Z" level=info msg="after"'),
      J('dockerd[900]', 'goroutine 2 [running]:'),
      J('dockerd[900]', 'panic: again'),
      J('kubelet[1680]', 'goroutine 3 [running]:'),
    ];
    const parsed = parseAll(syslogFormat, lines, { year: 2024 });
    expect(parsed.map((p) => p.continuation)).toEqual([false, false, false, false, false, false, false]);
  });
});
