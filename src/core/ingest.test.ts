import { describe, expect, it } from 'vitest';
import { analyzeInputs } from './analyze';
import { inputFromBlob } from './bundle/blob-inputs';
import type { BundleEntry } from './bundle/types';
import { ingestEntry } from './ingest';
import type { LineBlock } from './model';

function entryOf(path: string, content: string | Uint8Array, chunk = 4096): BundleEntry {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return {
    path, size: bytes.length, errors: [],
    stream: new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += chunk) c.enqueue(bytes.slice(i, i + chunk));
        c.close();
      },
    }),
  };
}

function klogLines(n: number, startSec: number, pid = 1679): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = startSec + i;
    const hh = String(Math.floor(t / 3600) % 24).padStart(2, '0');
    const mm = String(Math.floor(t / 60) % 60).padStart(2, '0');
    const ss = String(t % 60).padStart(2, '0');
    const sev = i % 10 === 0 ? 'E' : 'I';
    out.push(`${sev}0602 ${hh}:${mm}:${ss}.350695 ${String(pid).padStart(7)} generic.go:191] "GenericPLEG: Relisting"`);
  }
  return `${out.join('\n')}\n`;
}

describe('ingestEntry', () => {
  it('indexes every line of a klog file in blocks with byte offsets into the raw bytes', async () => {
    const text = klogLines(1000, 5 * 3600);
    const raw: Uint8Array[] = [];
    const blocks: LineBlock[] = [];
    const r = await ingestEntry(entryOf('kubelet.log', text, 777), {
      fileId: 'f1', year: 2023, sink: { raw: (c) => void raw.push(c), block: (b) => void blocks.push(b) },
    });
    expect(r.format).toBe('klog');
    expect(r.lines).toBe(1000);
    expect(r.sources).toHaveLength(1);
    const s = r.sources[0]!;
    expect(s.origin).toBe('kubelet');
    expect(s.records).toBe(1000);
    expect(s.levelCounts[5]).toBe(100);
    expect(new Date(s.firstTs / 1000).toISOString()).toBe('2023-06-02T05:00:00.350Z');
    expect(s.localStamped).toBe(1000);
    const all = new TextDecoder().decode(Buffer.concat(raw));
    expect(all).toBe(text);
    const b = blocks[0]!;
    const line500 = all.slice(b.offset[500], b.offset[500]! + b.length[500]!);
    expect(line500).toBe(text.split('\n')[500]);
    expect(r.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('splits a journal export holding several units into one source per origin', async () => {
    const lines = [
      'Jun 02 05:48:06.350695 node-7 kubelet[1680]: I0602 05:48:06.350695    1679 generic.go:191] "GenericPLEG: Relisting"',
      'Jun 02 05:48:06.400000 node-7 containerd[2206]: time="2023-06-01T21:48:06.399000000Z" level=info msg="PullImage \\"nginx:1.25\\""',
      'Jun 02 05:48:06.500000 node-7 kernel: overlayfs: upper fs does not support tmpfile.',
      'Jun 02 05:48:07.352436 node-7 kubelet[1680]: I0602 05:48:07.352436    1679 generic.go:191] "GenericPLEG: Relisting"',
    ];
    const r = await ingestEntry(entryOf('journal.txt', `${lines.join('\n')}\n`), { fileId: 'j', year: 2023, sink: { raw: () => undefined, block: () => undefined } });
    expect(r.format).toBe('syslog');
    expect(Object.fromEntries(r.sources.map((s) => [s.origin, s.records]))).toEqual({ kubelet: 2, containerd: 1, kernel: 1 });
    // The containerd line carries a local prefix and an absolute stamp: the node is at +08:00.
    expect(r.anchors.some((a) => a.localAsUtcUs !== null && Math.round((a.localAsUtcUs - a.utcUs) / 60e6) === 480)).toBe(true);
  });

  it('parses a log with zero-filled blocks from a crash (head, middle, tail) instead of calling it binary', async () => {
    const before = klogLines(50, 5 * 3600);
    const after = klogLines(30, 6 * 3600);
    const cutAt = before.length - 40; // the crash cut the last record, then the next boot appended
    const text = `${'\0'.repeat(4096)}${before.slice(0, cutAt)}${'\0'.repeat(8192)}${after}${'\0'.repeat(1000)}`;
    const r = await ingestEntry(entryOf('kubelet.log', text), { fileId: 'z', year: 2023, sink: { raw: () => undefined, block: () => undefined } });
    expect(r.status).toBe('done');
    expect(r.format).toBe('klog');
    const s = r.sources[0]!;
    // Every record before the crash but the cut one, every record after it (the first one glued to the cut line).
    expect(s.records).toBe(49 + 30);
    expect(new Date(s.lastTs / 1000).toISOString()).toBe('2023-06-02T06:00:29.350Z');
    expect(r.notes.join(' ')).toMatch(/zero-filled blocks .* 3 line/);
  });

  it('reports empty and binary files by name and keeps going', async () => {
    const empty = await ingestEntry(entryOf('empty.log', ''), { fileId: 'e', year: 2023, sink: { raw: () => undefined, block: () => undefined } });
    expect(empty.status).toBe('skipped');
    expect(empty.errors[0]).toMatch(/empty.log: empty file/);
    const elf = new Uint8Array(4096);
    elf.set([0x7f, 0x45, 0x4c, 0x46]);
    const bin = await ingestEntry(entryOf('kubelet', elf), { fileId: 'b', year: 2023, sink: { raw: () => { throw new Error('binary must not be stored'); }, block: () => undefined } });
    expect(bin.status).toBe('skipped');
    expect(bin.errors[0]).toMatch(/kubelet: binary file \(.*ELF/);
    expect(bin.digest).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('bundle time alignment', () => {
  it('places year-less, zone-less klog lines with the year and zone learned from other files', async () => {
    // Node in UTC+08:00; the kubelet file has neither year nor zone, the journal prefix + time= tells both.
    const kubelet = klogLines(10, 5 * 3600 + 48 * 60);
    const containerd = 'Jun 02 05:48:10.000000 node-7 containerd[2206]: time="2021-06-01T21:48:09.999000000Z" level=info msg="starting"\n';
    const file = (name: string, text: string) => inputFromBlob(new Blob([text]), name, Date.UTC(2026, 0, 5));
    const s = await analyzeInputs([file('kubelet.log', kubelet), file('containerd.log', containerd)]);
    const k = s.files.find((f) => f.origin === 'kubelet')!;
    expect(k.zone).toBe('+08:00');
    expect(k.firstTs).toBe('2021-06-01T21:48:00.350695Z');
    const c = s.files.find((f) => f.origin === 'containerd')!;
    expect(c.firstTs).toBe('2021-06-01T21:48:09.999000Z');
  });
});

describe('the year a file opens in', () => {
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  /** A journald short line at a UTC instant shown in the node's zone. */
  const journal = (utcMs: number, zoneMin: number, host: string, unit: string, msg: string) => {
    const d = new Date(utcMs + zoneMin * 60e3);
    return `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${host} ${unit}: ${msg}`;
  };
  const variants = [
    { year: 2024, zoneMin: 0, host: 'ip-10-0-3-7' },
    { year: 2025, zoneMin: 330, host: 'node-a' },
    { year: 2023, zoneMin: -210, host: 'wkr-19' },
    { year: 2026, zoneMin: 600, host: 'gke-pool-2-x' },
  ];

  it('reads December lines before a January anchor in the year before it', async () => {
    for (const { year, zoneMin, host } of variants) {
      // The node's clock shows Dec 31 for the first lines; containerd's time= (UTC) comes after New Year.
      const newYear = Date.UTC(year, 0, 1) - zoneMin * 60e3;
      const lines = [
        journal(newYear - 120e3, zoneMin, host, 'systemd[1]', 'Starting Daily apt download activities...'),
        journal(newYear - 1e3, zoneMin, host, 'sshd[811]', 'Accepted publickey for core'),
        journal(newYear + 1e3, zoneMin, host, 'containerd[901]', `time="${new Date(newYear + 1e3).toISOString()}" level=info msg="shim disconnected" id=4f2a`),
        journal(newYear + 2e3, zoneMin, host, 'sshd[811]', 'Disconnected from user core'),
      ];
      const file = inputFromBlob(new Blob([`${lines.join('\n')}\n`]), 'journal.log', Date.UTC(year, 0, 9));
      const s = await analyzeInputs([file]);
      const sshd = s.files.find((f) => f.origin === 'sshd')!;
      expect(sshd.firstTs, `${year} ${zoneMin}`).toBe(new Date(newYear - 1e3).toISOString().replace('Z', '000Z'));
      expect(sshd.lastTs).toBe(new Date(newYear + 2e3).toISOString().replace('Z', '000Z'));
      const systemd = s.files.find((f) => f.origin === 'systemd')!;
      expect(systemd.firstTs).toBe(new Date(newYear - 120e3).toISOString().replace('Z', '000Z'));
    }
  });

  it('reads a year-less file that crosses New Year as ending in the year of its last write', async () => {
    for (const { year, host } of variants) {
      const lines = [];
      for (let m = -30; m <= 30; m += 5) lines.push(journal(Date.UTC(year, 0, 1) + m * 60e3, 0, host, 'kubelet[1877]', `I0000 tick ${m}`));
      const file = inputFromBlob(new Blob([`${lines.join('\n')}\n`]), 'kubelet.log.1', Date.UTC(year, 0, 2, 6));
      const [f] = (await analyzeInputs([file])).files;
      expect(f!.firstTs, String(year)).toBe(new Date(Date.UTC(year - 1, 11, 31, 23, 30)).toISOString().replace('Z', '000Z'));
      expect(f!.lastTs).toBe(new Date(Date.UTC(year, 0, 1, 0, 30)).toISOString().replace('Z', '000Z'));
    }
  });

  it('keeps the file date\'s year for a file that does not cross New Year', async () => {
    for (const { year, host } of variants) {
      for (const month of [0, 5, 11]) {
        const at = Date.UTC(year, month, 10, 8);
        const lines = [0, 1, 2].map((h) => journal(at + h * 3600e3, 0, host, 'kubelet[1877]', 'I0000 tick'));
        const file = inputFromBlob(new Blob([`${lines.join('\n')}\n`]), 'kubelet.log', at + 4 * 3600e3);
        const [f] = (await analyzeInputs([file])).files;
        expect(f!.firstTs, `${year}-${month}`).toBe(new Date(at).toISOString().replace('Z', '000Z'));
      }
    }
  });
});

describe('lines before the first record', () => {
  it('go with the source of the first record, at its time, instead of a lane of their own', async () => {
    for (const [host, unit, pid] of [['node-7', 'kubelet', 1877], ['ip-10-1-2-3', 'containerd', 901], ['wkr', 'kubelet', 42]] as const) {
      const header = [`-- Logs begin at Mon 2024-06-03 09:12:44 UTC, end at Mon 2024-06-03 10:00:00 UTC. --`, `-- Boot 0f7c4d1e2a3b4c5d6e7f8091a2b3c4d5 --`];
      const recs = [0, 1, 2].map((k) => `Jun 03 09:12:4${5 + k} ${host} ${unit}[${pid}]: I0603 09:12:4${5 + k}.000000 ${pid} server.go:1] "tick ${k}"`);
      const text = `${[...header, ...recs].join('\n')}\n`;
      const blocks: LineBlock[] = [];
      const r = await ingestEntry(entryOf('journal.log', text), { fileId: 'h', year: 2024, sink: { raw: () => undefined, block: (b) => void blocks.push(b) } });
      expect(r.sources.map((s) => s.origin)).toEqual([unit]);
      const s = r.sources[0]!;
      expect(s.lines).toBe(5);
      expect(s.records).toBe(3);
      const b = blocks.find((x) => x.sourceId === s.id)!;
      expect(Array.from(b.offset)).toEqual([0, header[0]!.length + 1, ...recs.map((_, k) => text.indexOf(recs[k]!))]);
      // The header lines sit at the first record's time, so the block stays in time order.
      expect(b.ts[0]).toBe(b.ts[2]);
      expect(b.ts[1]).toBe(b.ts[2]);
    }
  });

  it('of a file without records stay where they were (plain text, no time)', async () => {
    const text = Array.from({ length: 1500 }, (_, k) => `just some text ${k}`).join('\n');
    const r = await ingestEntry(entryOf('notes.txt', text), { fileId: 'p', year: 2024, sink: { raw: () => undefined, block: () => undefined } });
    expect(r.sources).toHaveLength(1);
    expect(r.sources[0]!.lines).toBe(1500);
    expect(r.sources[0]!.firstTs).toBeNaN();
  });
});
