/**
 * The seeds the fuzzers mutate: real-shaped text (format fixtures, the public real samples,
 * FORMATS.md examples, each format's sample lines, slices of generated scenario files) and
 * archives built from them (tar, tar.gz, gz, zip, nested), plus share links and patterns.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { gzipSync, zipSync } from 'fflate';
import { tarBytes } from '../src/core/bundle/test-helpers';
import { builtinPatterns } from '../src/core/chains/patterns';
import { exampleBlocks, formatsMdPath } from '../src/core/formats/formats-md-blocks';
import { fixtureTexts } from '../src/core/formats/property-helpers';
import { formats } from '../src/core/formats/registry';
import { generateScenario } from '../src/core/scenarios';
import { encodeShare } from '../src/core/share/codec';
import { SHARE_VERSION, type SharedState } from '../src/core/share/state';

export interface Seed {
  /** A plausible file name for it (detection looks at names too). */
  name: string;
  bytes: Uint8Array;
}

const enc = new TextEncoder();
const REAL_SAMPLES = new URL('../../shared/samples/real/', import.meta.url);
/** Slices of generated files are cut to this size: mutations stay cheap, the structure is kept. */
const SLICE = 12 * 1024;

/** A slice of `text` starting and ending at line boundaries. */
function lineSlice(text: string, from: number, bytes = SLICE): string {
  const start = from === 0 ? 0 : text.indexOf('\n', from) + 1;
  const end = text.lastIndexOf('\n', start + bytes);
  return text.slice(start, end > start ? end + 1 : start + bytes);
}

let textCache: Seed[] | null = null;

/** Real-shaped text files, every format represented. */
export function textSeeds(): Seed[] {
  if (textCache) return textCache;
  const seeds: Seed[] = [];
  for (const f of fixtureTexts()) seeds.push({ name: `${f.format}/${f.name}`, bytes: enc.encode(lineSlice(f.text, 0, 64 * 1024)) });
  if (existsSync(REAL_SAMPLES)) {
    for (const name of readdirSync(REAL_SAMPLES).sort()) {
      if (name.endsWith('.md')) continue;
      seeds.push({ name: `real/${name}`, bytes: enc.encode(lineSlice(readFileSync(new URL(name, REAL_SAMPLES), 'utf8'), 0, 64 * 1024)) });
    }
  }
  const md = formatsMdPath();
  if (md) {
    for (const block of exampleBlocks(readFileSync(md, 'utf8'))) {
      seeds.push({ name: `formats-md-${block.line}.log`, bytes: enc.encode(block.lines.join('\n') + '\n') });
    }
  }
  for (const f of formats) {
    if (f.samples.length) seeds.push({ name: `${f.id}.log`, bytes: enc.encode(f.samples.map((s) => s.line).join('\n') + '\n') });
  }
  const scenario = generateScenario({ scenario: 'io-storm-umount-bbolt', seed: 11, targetBytes: 1_000_000, zoneOffsetMin: 330 });
  for (const file of scenario.files) {
    const text = file.chunks().next().value ?? '';
    seeds.push({ name: file.path, bytes: enc.encode(lineSlice(text, 0)) });
    if (text.length > 4 * SLICE) seeds.push({ name: file.path, bytes: enc.encode(lineSlice(text, Math.floor(text.length / 2))) });
  }
  textCache = seeds;
  return seeds;
}

let archiveCache: Seed[] | null = null;

/** Archives of text seeds, in every shape the walker expands. */
export function archiveSeeds(): Seed[] {
  if (archiveCache) return archiveCache;
  const texts = textSeeds();
  // Small members keep a mutated archive cheap to walk; several members exercise the member loop.
  const small = (k: number) => texts[k % texts.length]!.bytes.subarray(0, 2048);
  const members = [0, 7, 13, 21].map((k) => ({ name: `var/log/${texts[k % texts.length]!.name.replace(/\//g, '-')}`, data: small(k) }));
  const tar = tarBytes(members);
  const zipOf = (level: 0 | 6) => zipSync(Object.fromEntries(members.map((m) => [m.name, [m.data, { level }]])));
  archiveCache = [
    { name: 'bundle.tar', bytes: tar },
    { name: 'bundle.tar.gz', bytes: gzipSync(tar) },
    { name: 'kubelet.log.gz', bytes: gzipSync(small(3)) },
    { name: 'bundle.zip', bytes: zipOf(6) },
    { name: 'stored.zip', bytes: zipOf(0) },
    { name: 'nested.zip', bytes: zipSync({ 'node/inner.tar.gz': [gzipSync(tar), { level: 0 }], 'node/x.log.gz': [gzipSync(small(5)), { level: 0 }] }) },
    { name: 'gz-in.tar', bytes: tarBytes([{ name: 'logs/a.log.gz', data: gzipSync(small(9)) }, { name: 'logs/long/' + 'n'.repeat(90), data: small(2) }]) },
  ];
  return archiveCache;
}

/** A share state with every kind of field, as the share dialog builds it. */
export function sampleShareState(): SharedState {
  const t0 = Date.UTC(2024, 5, 2, 5, 40) * 1000;
  return {
    v: SHARE_VERSION,
    createdAt: t0 + 3_600_000_000,
    bundle: { fingerprint: 'a'.repeat(64), name: 'node-logs.tar.gz' },
    view: {
      window: { from: t0, to: t0 + 600_000_000 },
      filters: { text: 'deadline|TaskExit', regex: true, lanes: [{ path: 'node/kubelet.log', origin: 'kubelet' }], minLevel: 4 },
      selection: { kind: 'step', patternId: 'io-storm-umount-bbolt', step: 2 },
      tab: 'logs',
    },
    chains: [{
      patternId: 'io-storm-umount-bbolt', title: 'IO storm', confidence: 0.9, from: t0, to: t0 + 1e6,
      steps: [{ role: 'symptom', title: 'relist stalled', explanation: 'PLEG relist took 47 s', evidenceCount: 3 }],
      remedy: { text: 'stagger pulls', snippets: [{ title: 'config', language: 'toml', code: 'x = 1' }], references: ['https://example.invalid/'] },
    }],
    notes: [{ id: 'n1', target: { kind: 'range', from: t0, to: t0 + 5e6 }, text: '<b>note</b>', createdAt: t0 }],
    redacted: [],
  };
}

/** Valid share tokens to mutate (plain only: a protected token costs a 600k-round PBKDF2 per try). */
export async function shareSeeds(): Promise<string[]> {
  const state = sampleShareState();
  return [await encodeShare(state), await encodeShare({ ...state, chains: [], notes: [] })];
}

/** The built-in patterns as JSON values (what the pattern editor parses from text). */
export function patternSeeds(): unknown[] {
  return builtinPatterns.map((p) => JSON.parse(JSON.stringify(p)) as unknown);
}
