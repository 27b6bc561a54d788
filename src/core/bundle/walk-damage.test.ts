import { constants, deflateRawSync } from 'node:zlib';
import { gzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { collect, concat, enc, logText, memInput, tarBytes } from './test-helpers';

const files = Array.from({ length: 20 }, (_, i) => ({ name: `var/log/f${i}.log`, text: logText(300, i + 10) }));
const expected = new Map(files.map((f) => [f.name, f.text]));
const tar = tarBytes(files.map((f) => ({ name: f.name, data: f.text })));

const archives: [string, Uint8Array][] = [
  ['b.tar', tar],
  ['b.tar.gz', gzipSync(tar)],
  ['b.tgz', gzipSync(tar)],
  ['kubelet.log.gz', gzipSync(enc(files[0]?.text ?? ''))],
  ['b.zip', zipSync(Object.fromEntries(files.map((f) => [f.name, enc(f.text)])))],
  ['gz-in.tar', tarBytes(files.map((f) => ({ name: `${f.name}.gz`, data: gzipSync(enc(f.text)) })))],
  ['tgz-in.zip', zipSync({ 'node1/inner.tar.gz': gzipSync(tar) })],
];

/** The original text an entry path stands for. */
function original(path: string): string | undefined {
  if (path === 'kubelet.log') return files[0]?.text;
  const member = path.slice(path.lastIndexOf('!/') + 2);
  return expected.get(member.replace(/\.gz$/, ''));
}

describe('walkInputs: truncated archives', () => {
  it.each(archives.flatMap(([name, bytes]) => [0.5, 0.9].map((cut) => [name, cut, bytes] as const)))(
    '%s cut at %s keeps its complete members and names the file',
    async (name, cut, bytes) => {
      const cutBytes = bytes.slice(0, Math.floor(bytes.length * cut));
      const { entries, problems } = await collect([memInput(name, cutBytes, 4096), memInput('after.log', enc('still here\n'))]);
      const complete = entries.filter((e) => e.text === original(e.path));
      for (const e of entries.slice(0, -1)) {
        const text = original(e.path);
        expect(text, e.path).toBeDefined();
        expect(text?.startsWith(e.text), e.path).toBe(true);
        if (e.text === text) expect(e.errors, e.path).toEqual([]);
        else expect(e.errors.join('\n'), e.path).toMatch(new RegExp(`truncated .*${name.replace('.', '\\.')}`));
      }
      expect(problems.some((p) => p.path === name && /truncated/.test(p.message) && p.message.includes(name))).toBe(true);
      if (name !== 'kubelet.log.gz') expect(complete.length).toBeGreaterThanOrEqual(cut === 0.5 ? 3 : 12);
      if (name === 'b.tar') {
        // every member that lies wholly before the cut is complete
        let start = 0;
        let whole = 0;
        for (const f of files) {
          const length = enc(f.text).length;
          if (start + 512 + length <= cutBytes.length) whole++;
          start += 512 + Math.ceil(length / 512) * 512;
        }
        expect(complete.length).toBe(whole);
      }
      expect(entries.at(-1)).toMatchObject({ path: 'after.log', text: 'still here\n', errors: [] });
    },
  );
});

describe('walkInputs: corrupt archives', () => {
  it('reports a corrupt gzip, tar or zip and goes on with the next input', async () => {
    const badGz = concat([new Uint8Array([0x1f, 0x8b, 8, 0]), new Uint8Array(200).fill(0x55)]);
    const badTar = tar.slice();
    badTar.fill(0x41, 512 + Math.ceil(enc(files[0]?.text ?? '').length / 512) * 512, tar.length - 5000);
    const badZip = zipSync({ 'a.log': enc('A\n'), 'b.log': enc(logText(100)) });
    badZip.fill(0x13, 80, 130);
    const inputs = [memInput('bad.gz', badGz), memInput('bad.tar', badTar), memInput('bad.zip', badZip), memInput('ok.log', enc('ok\n'))];
    const { entries, problems } = await collect(inputs);
    expect(problems.find((p) => p.path === 'bad.gz')?.message).toMatch(/corrupt gzip stream in bad\.gz/);
    expect(problems.find((p) => p.path === 'bad.tar')?.message).toMatch(/corrupt tar archive bad\.tar: bad header checksum/);
    expect(problems.find((p) => p.path === 'bad.zip')?.message).toMatch(/bad\.zip/);
    expect(entries.map((e) => e.path)).toEqual(['bad.tar!/var/log/f0.log', 'bad.zip!/a.log', 'bad.zip!/b.log', 'ok.log']);
    expect(entries[0]?.text).toBe(files[0]?.text);
    expect(entries[2]?.errors[0]).toMatch(/corrupt zip member b\.log in bad\.zip/);
  });
});

/** A gzip of `mib` MiB of zeros, built fast: one sync-flushed deflate piece of 1 MiB repeated. */
function zeroDeflate(mib: number): Uint8Array {
  const piece = deflateRawSync(new Uint8Array(1024 * 1024), { finishFlush: constants.Z_SYNC_FLUSH });
  return concat([...Array.from({ length: mib }, () => piece), new Uint8Array([0x03, 0x00])]);
}

function gzipBomb(mib: number): Uint8Array {
  const header = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
  return concat([header, zeroDeflate(mib), new Uint8Array(8)]); // trailer never reached
}

function zipBomb(mib: number): Uint8Array {
  const data = zeroDeflate(mib);
  const name = enc('zeros.log');
  const h = new DataView(new ArrayBuffer(30));
  h.setUint32(0, 0x04034b50, true);
  h.setUint16(4, 20, true);
  h.setUint16(8, 8, true);
  h.setUint32(18, data.length, true);
  h.setUint32(22, mib * 1024 * 1024, true);
  h.setUint16(26, name.length, true);
  return concat([new Uint8Array(h.buffer), name, data]);
}

describe('walkInputs: decompression bombs', () => {
  it.each([
    ['bomb.log.gz', gzipBomb(300)],
    ['bomb.zip', zipBomb(300)],
    ['bomb-in.zip', zipSync({ 'inner/bomb.log.gz': gzipBomb(300) }, { level: 0 })],
    ['bomb.tar.gz', concat([gzipSync(tarBytes([{ name: 'zeros.log', declaredSize: 300 * 1024 * 1024 }], false)), gzipBomb(300)])],
  ])('stops %s past the expansion ratio and goes on', async (name, bytes) => {
    const inputs = [memInput(name, bytes), memInput('next.log', enc('next\n'))];
    const { entries, problems } = await collect(inputs, { ratioGraceBytes: 4 * 1024 * 1024 });
    const bomb = entries[0];
    expect(bomb?.size).toBeLessThan(100 * 1024 * 1024);
    expect(bomb?.errors[0]).toMatch(/^stopped at \d+ MB: expansion ratio exceeds 200:1/);
    expect(problems).toEqual([{ path: name, message: bomb?.errors[0] }]);
    expect(entries.at(-1)).toMatchObject({ path: 'next.log', text: 'next\n' });
  });

  it('stops an archive at maxExpandedBytes', async () => {
    const big = logText(200_000);
    const archive = gzipSync(tarBytes([{ name: 'a.log', data: big }, { name: 'b.log', data: 'b' }]));
    const { entries, problems } = await collect([memInput('big.tar.gz', archive)], { maxExpandedBytes: 5 * 1024 * 1024 });
    expect(entries.map((e) => e.path)).toEqual(['big.tar.gz!/a.log']);
    expect(entries[0]?.size).toBeLessThanOrEqual(5 * 1024 * 1024);
    expect(big.startsWith(entries[0]?.text ?? 'x')).toBe(true);
    expect(problems[0]?.message).toMatch(/^stopped at 5\.0 MB: expanded size exceeds the 5\.0 MB limit/);
  });
});
