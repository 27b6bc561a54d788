// Hostile content through the core pipeline (walkInputs → ingestEntry): markup, ANSI escapes,
// bidi overrides, NUL bytes, 1 MB JSON values, 20-deep nested archives, path traversal and
// 10 KB names. The pipeline keeps log text as data (every line's bytes exactly where the index
// says), names stay data too (sanitised only where they would climb out of the archive), deep
// nesting stops at the depth cap with a message naming the file, and the next input is read.
import { gzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { walkInputs } from './bundle/walk';
import { logText, memInput, tarBytes } from './bundle/test-helpers';
import type { InputFile, WalkProblem } from './bundle/types';
import { displayName } from './display-text';
import { ingestEntry, type EntryResult } from './ingest';
import type { LineBlock } from './model';
import { generateScenario } from './scenarios';
import { timeBudgetMs } from '../../fuzz/targets';

const enc = new TextEncoder();

const HOSTILE_LINES = [
  '<img src=x onerror="window.__pwned=1;alert(1)">',
  '<script>window.__pwned=1</script>',
  '"><svg onload=alert(1)>',
  '\u001b[31mERROR\u001b[0m \u001b]0;title\u0007 \u001b[2J\u001b[H cleared?',
  'payload \u202Egol.exe\u202C and isolate \u2067x\u2069',
  'javascript:alert(1) {{constructor.constructor("alert(1)")()}} ${alert(1)}',
];

interface Ingested {
  result: EntryResult;
  blocks: LineBlock[];
  bytes: Uint8Array;
}

/** Walks the inputs and ingests every entry, keeping each entry's bytes and index blocks. */
async function pipeline(inputs: InputFile[], maxDepth?: number): Promise<{ entries: Ingested[]; problems: WalkProblem[] }> {
  const entries: Ingested[] = [];
  const problems: WalkProblem[] = [];
  for await (const entry of walkInputs(inputs, { maxDepth }, (p) => problems.push(p))) {
    const blocks: LineBlock[] = [];
    const parts: Uint8Array[] = [];
    const result = await ingestEntry(entry, {
      fileId: `f${entries.length}`, year: 2024,
      sink: { raw: (c) => void parts.push(c.slice()), block: (b) => void blocks.push(b) },
    });
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (bytes.set(p, at), at + p.length), 0);
    entries.push({ result, blocks, bytes });
  }
  return { entries, problems };
}

/** Every indexed line's text, read back from the stored raw bytes by its offset and length. */
function storedLines(e: Ingested): string[] {
  const rows: [number, number][] = [];
  for (const b of e.blocks) for (let k = 0; k < b.count; k++) rows.push([b.offset[k]!, b.length[k]!]);
  return rows.sort((a, b) => a[0] - b[0]).map(([o, l]) => new TextDecoder().decode(e.bytes.subarray(o, o + l)));
}

/** Real log lines of a generated node (kubelet's journal), the hostile lines spliced between them. */
function realLines(n: number): string[] {
  const kubelet = generateScenario({ scenario: 'healthy', seed: 8, targetBytes: 1_000_000 }).files.find((f) => f.path.endsWith('kubelet.log'))!;
  return (kubelet.chunks().next().value ?? '').split('\n').slice(0, n);
}

describe('hostile log lines are kept as data', () => {
  it('markup, ANSI, bidi: every line stored byte for byte, the file parsed as its format', async () => {
    const base = realLines(60);
    const lines = base.flatMap((l, i) => [l, `${l.slice(0, 40)}${HOSTILE_LINES[i % HOSTILE_LINES.length]}`]);
    const text = lines.join('\n') + '\n';
    const { entries, problems } = await pipeline([memInput('kubelet.log', enc.encode(text))]);
    expect(problems).toEqual([]);
    const [e] = entries;
    expect(e!.result.status).toBe('done');
    expect(e!.result.lines).toBe(lines.length);
    expect(storedLines(e!)).toEqual(lines);
    expect(e!.result.format).not.toBe('plain');
  });

  it('NUL bytes: a stray NUL in the sniffed head makes the file binary, naming it; a zero-filled block does not; further on the line is kept', async () => {
    const head = `${realLines(5).join('\n')}\nbad\u0000line\n`;
    const zeroFilled = `${realLines(5).join('\n')}\n${'\u0000'.repeat(4096)}${realLines(5).join('\n')}\n`;
    const late = `${realLines(400).join('\n')}\nnul\u0000here and \u0000 there\nafter\n`;
    expect(late.indexOf('\u0000')).toBeGreaterThan(8192);
    const { entries } = await pipeline([
      memInput('nul-head.log', enc.encode(head)), memInput('zero-filled.log', enc.encode(zeroFilled)), memInput('nul-late.log', enc.encode(late)),
    ]);
    expect(entries[0]!.result).toMatchObject({ status: 'skipped', lines: 0 });
    expect(entries[0]!.result.errors.join('\n')).toMatch(/^nul-head\.log: binary file \(contains NUL bytes\)/);
    expect(entries[1]!.result).toMatchObject({ status: 'done', lines: 10 });
    const kept = storedLines(entries[2]!);
    expect(kept).toContain('nul\u0000here and \u0000 there');
    expect(kept.at(-1)).toBe('after');
  });

  it('a 1 MB JSON value: the line is read with its time, in bounded time; 2 MB is kept truncated with a message naming the file', async () => {
    const record = (bytes: number) => JSON.stringify({ __REALTIME_TIMESTAMP: '1717307286350695', _SYSTEMD_UNIT: 'kubelet.service', PRIORITY: '6', MESSAGE: `<script>${'x'.repeat(bytes)}</script>` });
    const small = JSON.stringify({ __REALTIME_TIMESTAMP: '1717307287000000', _SYSTEMD_UNIT: 'kubelet.service', PRIORITY: '3', MESSAGE: 'after' });
    const text = [record(1_000_000), small].join('\n') + '\n';
    const t0 = performance.now();
    const { entries } = await pipeline([memInput('journal.jsonl', enc.encode(text)), memInput('big.jsonl', enc.encode([record(2_000_000), small].join('\n') + '\n'))]);
    expect(performance.now() - t0).toBeLessThan(timeBudgetMs(text.length * 3));
    const [one, two] = entries;
    expect(one!.result.format).toBe('journal-json');
    expect(one!.result.errors).toEqual([]);
    expect(one!.result.sources.reduce((n, s) => n + s.records, 0)).toBe(2);
    expect(one!.blocks.flatMap((b) => [...b.ts])).toEqual([1717307286350695, 1717307287000000]);
    expect(two!.result.lines).toBe(2);
    expect(two!.result.errors.join('\n')).toMatch(/^big\.jsonl: 1 line\(s\) longer than 1024 KiB kept but truncated/m);
  });

  it('a 60 KB kernel line of repeated device names is read in bounded time (a fuzzed one once backtracked for a minute)', async () => {
    const line = `[Tue Mar  7 03:11:58 2017] ${'XFS (dm-3): Mounting V5 Filesystem ): '.repeat(1600)}`;
    const text = `${line}\n[Tue Mar  7 03:11:59 2017] XFS (dm-3): Ending clean mount\n`;
    const t0 = performance.now();
    const { entries } = await pipeline([memInput('dmesg.log', enc.encode(text))]);
    expect(performance.now() - t0).toBeLessThan(timeBudgetMs(text.length * 3));
    expect(entries[0]!.result.lines).toBe(2);
  });
});

describe('hostile archives and names', () => {
  it('20 nested archives (tar in gz in zip …) stop at the depth cap with a message naming the file, and the walk goes on', async () => {
    let bytes: Uint8Array = enc.encode('deep\n');
    let name = 'deep.log';
    for (let level = 0; level < 20; level++) {
      const kind = level % 3;
      if (kind === 0) { bytes = tarBytes([{ name, data: bytes }]); name = `l${level}.tar`; }
      else if (kind === 1) { bytes = gzipSync(bytes); name = `${name}.gz`; }
      else { bytes = zipSync({ [name]: [bytes, { level: 0 }] }); name = `l${level}.zip`; }
    }
    const { entries, problems } = await pipeline([memInput(name, bytes), memInput('next.log', enc.encode('next\n'))]);
    expect(entries).toHaveLength(2);
    const [deep, next] = entries;
    expect(deep!.result.path.startsWith(`${name}!/`)).toBe(true);
    expect(deep!.result.errors.join('\n')).toMatch(/was not expanded: archives nested more than 4 deep/);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path.startsWith(name)).toBe(true);
    expect(problems[0]!.message).toContain(problems[0]!.path);
    expect(deep!.result.status).toBe('skipped'); // the unexpanded archive is binary: nothing parsed from it
    expect(next!.result).toMatchObject({ path: 'next.log', lines: 1, errors: [] });
  });

  it('path traversal, absolute and drive names never leave the archive; a 10 KB name is kept whole', async () => {
    const long = `${'d'.repeat(100)}/`.repeat(100) + 'kubelet.log';
    expect(long.length).toBeGreaterThan(10_000);
    const tar = tarBytes([
      { name: '../../x.log', data: 'a\n' },
      { name: '/etc/passwd', data: 'b\n' },
      { name: 'C:\\x.log', data: 'c\n' },
      { name: '././@LongLink', type: 'L', data: `${long}\u0000` },
      { name: 'cut', data: 'long\n' },
      { name: 'logs/<img src=x onerror=alert(1)>\u202Egol.log', data: `${HOSTILE_LINES[0]}\n` },
    ]);
    const zip = zipSync({ '..\\..\\win.log': enc.encode('d\n'), 'C:/abs.log': enc.encode('e\n'), [`z/${'n'.repeat(10_000)}.log`]: enc.encode('f\n') });
    const { entries } = await pipeline([memInput('t.tar', tar), memInput('w.zip', zip)]);
    const paths = entries.map((e) => e.result.path);
    expect(paths).toEqual([
      't.tar!/x.log', 't.tar!/etc/passwd', 't.tar!/C:\\x.log', `t.tar!/${long}`, 't.tar!/logs/<img src=x onerror=alert(1)>\u202Egol.log',
      'w.zip!/win.log', 'w.zip!/abs.log', `w.zip!/z/${'n'.repeat(10_000)}.log`,
    ]);
    for (const p of paths) {
      const member = p.slice(p.indexOf('!/') + 2);
      expect(member.split('/')).not.toContain('..');
      expect(member.startsWith('/')).toBe(false);
    }
    expect(entries[0]!.result.notes.join('\n')).toMatch(/climbs out of the archive/);
    expect(storedLines(entries[4]!)).toEqual([HOSTILE_LINES[0]]);
    expect(displayName(paths[4]!)).toBe('t.tar!/logs/<img src=x onerror=alert(1)>⟦U+202E⟧gol.log');
    expect(displayName(paths[3]!).length).toBeLessThanOrEqual(240);
  });

  it('a hostile input name is reported as given in every problem', async () => {
    const name = '<img src=x onerror=alert(1)>\u202E\u0000.tar.gz';
    const whole = gzipSync(tarBytes([{ name: 'a.log', data: logText(2000) }]));
    const cut = whole.subarray(0, whole.length >> 1);
    const { entries, problems } = await pipeline([memInput(name, cut)]);
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) expect(p.message).toContain(name);
    for (const e of entries) for (const m of e.result.errors) expect(m).toContain(name.replace(/\.gz$/, ''));
  });
});
