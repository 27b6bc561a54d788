import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { bundleFingerprint, createDigester } from '../../core/bundle/fingerprint';
import { concat, enc, logText, memInput, tarBytes } from '../../core/bundle/test-helpers';
import type { InputFile } from '../../core/bundle/types';
import { walkInputs } from '../../core/bundle/walk';
import { generateScenario } from '../../core/scenarios';
import { ANALYSIS_MEMBER, handoverFileName, locateAnalysis, memberName, writeHandover, type ArchiveFile } from './handover-archive';

/** Path and digest of every entry a walk of `inputs` yields, with the entry bytes. */
async function walked(inputs: InputFile[]): Promise<{ path: string; digest: string; bytes: Uint8Array }[]> {
  const out = [];
  for await (const e of walkInputs(inputs)) {
    const bytes = new Uint8Array(await new Response(e.stream).arrayBuffer());
    const d = createDigester();
    await d.update(bytes);
    out.push({ path: e.path, digest: await d.digest(), bytes });
  }
  return out;
}

async function archive(analysis: string, files: { path: string; bytes: Uint8Array }[]): Promise<{ zip: Uint8Array; reads: number[] }> {
  const chunks: Uint8Array[] = [];
  const reads: number[] = [];
  const sources: ArchiveFile[] = files.map((f) => ({
    path: f.path,
    bytes: f.bytes.length,
    read: async (offset, length) => { reads.push(length); return f.bytes.slice(offset, offset + length); },
  }));
  await writeHandover(analysis, sources, (c) => { chunks.push(c); });
  return { zip: concat(chunks), reads };
}

describe('hand-over archive', () => {
  it('re-ingested after the analysis member, the files have the original fingerprint (folder, archive and gzip drops)', async () => {
    const g = generateScenario({ scenario: 'io-storm-umount-bbolt', seed: 91, targetBytes: 600_000, zoneOffsetMin: 120, skewUs: 0 });
    const texts = g.files.map((f) => ({ path: f.path, bytes: enc([...f.chunks()].join('')) }));
    const [first, second, ...rest] = texts;
    // What a user may have dropped: loose files under a folder, one file gzipped, the rest in a tar.gz.
    const tar = gzipSync(tarBytes(rest.map((f) => ({ name: `node/${f.path}`, data: f.bytes }))));
    const dropped = [
      memInput(`node/${first!.path}`, first!.bytes),
      memInput(`node/${second!.path}.gz`, gzipSync(second!.bytes)),
      memInput('bundle-2024.tar.gz', tar),
      memInput('empty.log', new Uint8Array(0)),
    ];
    const stored = await walked(dropped);
    expect(stored.some((s) => s.path.startsWith('bundle-2024.tar.gz!/'))).toBe(true);
    const analysis = JSON.stringify({ causeway: 'analysis', state: { note: 'PK\u0003\u0004 in a note' } }, null, 1);
    const { zip } = await archive(analysis, stored);

    const found = locateAnalysis(zip, true);
    if (found.kind !== 'found') throw new Error(`analysis not found: ${JSON.stringify(found)}`);
    expect(found.text).toBe(analysis);
    const reopened = await walked([memInput('incident.causeway.zip', zip.slice(found.filesStart))]);
    expect(reopened.map((r) => r.path)).toEqual(stored.map((s) => `incident.causeway.zip!/${memberName(s.path)}`));
    expect(await bundleFingerprint(reopened)).toBe(await bundleFingerprint(stored));
    // And a whole-archive reader sees the analysis file too (a person opening it with unzip).
    const whole = await walked([memInput('x.zip', zip)]);
    expect(whole[0]!.path).toBe(`x.zip!/${ANALYSIS_MEMBER}`);
    expect(whole).toHaveLength(stored.length + 1);
  });

  it('reads a big file in pieces, never whole', async () => {
    const big = enc(logText(130_000)); // ~9 MB: three pieces
    const { zip, reads } = await archive('{}', [{ path: 'big.log', bytes: big }]);
    expect(big.length).toBeGreaterThan(8 * 1024 * 1024);
    expect(reads.length).toBe(3);
    expect(Math.max(...reads)).toBeLessThanOrEqual(4 * 1024 * 1024);
    const found = locateAnalysis(zip, true);
    if (found.kind !== 'found') throw new Error('analysis not found');
    const [entry] = await walked([memInput('a.causeway.zip', zip.slice(found.filesStart))]);
    // Compared as one Buffer: a deep equality over 9 million elements takes minutes.
    expect(Buffer.compare(Buffer.from(entry!.bytes), Buffer.from(big))).toBe(0);
  });

  it('says what is wrong with an archive that is not a hand-over archive', async () => {
    expect(locateAnalysis(new Uint8Array(10), false)).toEqual({ kind: 'need-more' });
    expect(locateAnalysis(enc('not a zip at all, just some text here'), true).kind).toBe('invalid');
    const { zip } = await archive('{"causeway":"analysis"}', []);
    expect(locateAnalysis(zip, true)).toEqual({ kind: 'invalid', reason: 'it holds no log files' });
    const { zip: full } = await archive('{"causeway":"analysis"}', [{ path: 'a.log', bytes: enc('x\n') }]);
    expect(locateAnalysis(full.slice(0, 70), false)).toEqual({ kind: 'need-more' });
    const other = await archive('{}', [{ path: 'a.log', bytes: enc('x\n') }]);
    const renamed = other.zip.slice();
    renamed[30] = 0x41; // first member's name no longer analysis.causeway.json
    expect(locateAnalysis(renamed, true).kind).toBe('invalid');
  });

  it('names the archive safely', () => {
    expect(handoverFileName('node-a (12 files)')).toBe('node-a_12_files.causeway.zip');
    expect(handoverFileName('../../etc/passwd')).toBe('etc_passwd.causeway.zip');
    expect(handoverFileName('x.causeway.zip')).toBe('x.causeway.zip');
    expect(handoverFileName('')).toBe('bundle.causeway.zip');
  });
});

describe('shared paths over a re-ingested archive', () => {
  it('match the same file inside another outermost archive, preferring the exact path', async () => {
    const { fromSharedState } = await import('./convert');
    const lane = (path: string) => ({ id: `${path}:kubelet`, path, origin: 'kubelet' });
    const state = {
      v: 1 as const, createdAt: 0, bundle: { fingerprint: 'ab', name: 'n' }, chains: [], redacted: [],
      view: { window: null, filters: { text: '', regex: false, lanes: [{ path: 'node/kubelet.log', origin: 'kubelet' }], minLevel: 0 }, selection: null, tab: 'logs' as const },
      notes: [{ id: 'n1', text: 'here', createdAt: 1, target: { kind: 'line' as const, lane: { path: 'b.tar.gz!/node/kubelet.log', origin: 'kubelet' }, offset: 5, ts: 9 } }],
    };
    const ctx = { bundle: { fingerprint: 'ab', name: 'n' }, files: [], dumps: [], sources: [lane('h.causeway.zip!/node/kubelet.log'), lane('h.causeway.zip!/other/kubelet.log')] } as unknown as Parameters<typeof fromSharedState>[1];
    const { view, notes, unmatched } = fromSharedState(state, ctx);
    expect(unmatched).toEqual([]);
    expect(view.filters.sources).toEqual(['h.causeway.zip!/node/kubelet.log:kubelet']);
    expect(notes[0]!.target).toEqual({ kind: 'line', sourceId: 'h.causeway.zip!/node/kubelet.log:kubelet', offset: 5, ts: 9 });
    const exact = { ...ctx, sources: [lane('h.causeway.zip!/node/kubelet.log'), lane('node/kubelet.log')] } as typeof ctx;
    expect(fromSharedState(state, exact).view.filters.sources).toEqual(['node/kubelet.log:kubelet']);
  });
});
