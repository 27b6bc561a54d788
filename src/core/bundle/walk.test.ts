import { gzipSync, zipSync, Zip, ZipDeflate } from 'fflate';
import { packTar } from 'modern-tar';
import { describe, expect, it } from 'vitest';
import { walkInputs } from './walk';
import { collect, concat, enc, logText, memInput, tarBytes } from './test-helpers';

const kubelet = logText(2000, 1);
const containerd = logText(500, 2);

async function sampleTar(): Promise<Uint8Array> {
  return packTar([
    { header: { name: 'var/log/', type: 'directory', size: 0 } },
    { header: { name: 'var/log/kubelet.log', size: enc(kubelet).length }, body: kubelet },
    { header: { name: 'var/log/containerd.log', size: enc(containerd).length }, body: containerd },
    { header: { name: 'var/log/current', type: 'symlink', size: 0, linkname: 'kubelet.log' } },
  ]);
}

describe('walkInputs: formats', () => {
  it('passes plain files through', async () => {
    const { entries, problems } = await collect([memInput('node1/kubelet.log', enc(kubelet), 1000)]);
    expect(problems).toEqual([]);
    expect(entries).toMatchObject([{ path: 'node1/kubelet.log', text: kubelet, errors: [] }]);
    expect(entries[0]?.archive).toBeUndefined();
  });

  it.each(['b.tar', 'b.tar.gz', 'b.tgz', 'b.bin'])('expands %s (detected by content, not name)', async (name) => {
    const tar = await sampleTar();
    const bytes = name === 'b.tar' ? tar : gzipSync(tar);
    const { entries, problems } = await collect([memInput(name, bytes, 777)]);
    expect(problems).toEqual([]);
    expect(entries.map((e) => [e.path, e.text, e.archive])).toEqual([
      [`${name}!/var/log/kubelet.log`, kubelet, name],
      [`${name}!/var/log/containerd.log`, containerd, name],
    ]);
  });

  it('names a gzipped single file without .gz', async () => {
    const { entries } = await collect([memInput('logs/kubelet.log.1.gz', gzipSync(enc(kubelet)))]);
    expect(entries).toMatchObject([{ path: 'logs/kubelet.log.1', text: kubelet, archive: 'logs/kubelet.log.1.gz', errors: [] }]);
  });

  it('hands gunzipped bytes on in ~1 MiB chunks, not the inflater\'s 16 KiB pieces', async () => {
    const text = logText(60_000, 3);
    const sizes: number[] = [];
    for await (const e of walkInputs([memInput('big.log.gz', gzipSync(enc(text)))])) {
      const reader = e.stream.getReader();
      for (let r = await reader.read(); !r.done; r = await reader.read()) sizes.push(r.value.length);
    }
    const total = sizes.reduce((n, x) => n + x, 0);
    expect(total).toBe(enc(text).length);
    expect(total).toBeGreaterThan(3 << 20);
    // Every chunk but the last is a full batch.
    expect(sizes.slice(0, -1).every((n) => n >= 1 << 20)).toBe(true);
  });

  it('expands zip archives, with known sizes and with data descriptors (streamed zip)', async () => {
    const known = zipSync({ 'var/log/kubelet.log': enc(kubelet), 'var/log/stored.log': [enc(containerd), { level: 0 }], 'empty/': new Uint8Array(0) });
    const streamed = await streamedZip({ 'a/kubelet.log': enc(kubelet), 'a/containerd.log': enc(containerd) });
    const { entries, problems } = await collect([memInput('k.zip', known, 5000), memInput('s.zip', streamed, 333)]);
    expect(problems).toEqual([]);
    expect(entries.map((e) => [e.path, e.text === kubelet ? 'K' : e.text === containerd ? 'C' : e.text])).toEqual([
      ['k.zip!/var/log/kubelet.log', 'K'],
      ['k.zip!/var/log/stored.log', 'C'],
      ['s.zip!/a/kubelet.log', 'K'],
      ['s.zip!/a/containerd.log', 'C'],
    ]);
  });

  it('expands a .gz inside a .tar and a .tar.gz inside a .zip', async () => {
    const outer = tarBytes([
      { name: 'logs/kubelet.log.gz', data: gzipSync(enc(kubelet)) },
      { name: 'logs/plain.log', data: 'hello\n' },
    ]);
    const zip = zipSync({ 'bundle/node1.tar.gz': gzipSync(await sampleTar()) });
    const { entries, problems } = await collect([memInput('outer.tar', outer), memInput('all.zip', zip)]);
    expect(problems).toEqual([]);
    expect(entries.map((e) => [e.path, e.text.length])).toEqual([
      ['outer.tar!/logs/kubelet.log', kubelet.length],
      ['outer.tar!/logs/plain.log', 6],
      ['all.zip!/bundle/node1.tar.gz!/var/log/kubelet.log', kubelet.length],
      ['all.zip!/bundle/node1.tar.gz!/var/log/containerd.log', containerd.length],
    ]);
  });

  it('stops expanding below maxDepth and says so', async () => {
    let bytes = tarBytes([{ name: 'x.log', data: 'deep\n' }]);
    for (let i = 0; i < 3; i++) bytes = tarBytes([{ name: `l${i}.tar`, data: bytes }]);
    const { entries, problems } = await collect([memInput('top.tar', bytes)], { maxDepth: 2 });
    expect(entries.map((e) => e.path)).toEqual(['top.tar!/l2.tar!/l1.tar']);
    expect(entries[0]?.errors[0]).toMatch(/not expanded.*more than 2 deep/);
    expect(problems).toHaveLength(1);
    const all = await collect([memInput('top.tar', bytes)]);
    expect(all.entries.map((e) => [e.path, e.text])).toEqual([['top.tar!/l2.tar!/l1.tar!/l0.tar!/x.log', 'deep\n']]);
  });

  it('reads pax long names, GNU long names and old v7 headers', async () => {
    const longName = `var/log/pods/${'kube-system_coredns-'.repeat(12)}/coredns/0.log`;
    const pax = await packTar([{ header: { name: longName, size: 3 }, body: 'pax' }]);
    const gnu = tarBytes([{ name: '././@LongLink', type: 'L', data: `${longName}\0` }, { name: 'trunc', data: 'gnu' }]);
    const v7 = tarBytes([{ name: 'old.log', data: 'v7', v7: true }]);
    const { entries, problems } = await collect([memInput('p.tar', pax), memInput('g.tar', gnu), memInput('v.tar', v7)]);
    expect(problems).toEqual([]);
    expect(entries.map((e) => [e.path, e.text])).toEqual([
      [`p.tar!/${longName}`, 'pax'],
      [`g.tar!/${longName}`, 'gnu'],
      ['v.tar!/old.log', 'v7'],
    ]);
  });

  it('sanitises member paths that climb out or are absolute', async () => {
    const tar = tarBytes([
      { name: '../../etc/passwd', data: 'a' },
      { name: '/var/log/abs.log', data: 'b' },
      { name: 'x/../../y/./z.log', data: 'c' },
      { name: '..', data: 'skipped: empty name' },
      { name: './', type: '5' },
    ]);
    const zip = zipSync({ '..\\..\\win.log': enc('d') });
    const { entries } = await collect([memInput('t.tar', tar), memInput('w.zip', zip)]);
    expect(entries.map((e) => [e.path, e.text])).toEqual([
      ['t.tar!/etc/passwd', 'a'],
      ['t.tar!/var/log/abs.log', 'b'],
      ['t.tar!/y/z.log', 'c'],
      ['w.zip!/win.log', 'd'],
    ]);
    expect(entries[0]?.notes?.[0]).toMatch(/climbs out/);
    expect(entries[1]?.notes).toBeUndefined();
  });

  it('yields all 10,000 tiny files of one tar', async () => {
    const files = Array.from({ length: 10_000 }, (_, i) => ({ name: `f/${i}.log`, data: `line ${i}\n` }));
    const { entries, problems } = await collect([memInput('many.tar.gz', gzipSync(tarBytes(files)))]);
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(10_000);
    expect(entries[9999]).toMatchObject({ path: 'many.tar.gz!/f/9999.log', text: 'line 9999\n' });
  });

  it('skips entries the caller did not read, and cancelled ones', async () => {
    const inputs = [memInput('b.tar.gz', gzipSync(await sampleTar())), memInput('k.zip', zipSync({ a: enc(kubelet), b: enc('B') }))];
    const seen: string[] = [];
    let i = 0;
    for await (const e of walkInputs(inputs)) {
      seen.push(e.path);
      if (i++ % 2 === 0) await e.stream.cancel();
    }
    expect(seen).toEqual(['b.tar.gz!/var/log/kubelet.log', 'b.tar.gz!/var/log/containerd.log', 'k.zip!/a', 'k.zip!/b']);
  });

  it('hands out chunks that own their buffers', async () => {
    const inputs = [memInput('b.tar', await sampleTar(), 4096)];
    for await (const e of walkInputs(inputs)) {
      const reader = e.stream.getReader();
      for (let r = await reader.read(); !r.done; r = await reader.read()) expect(r.value.byteLength).toBe(r.value.buffer.byteLength);
    }
  });

  it('aborts promptly when the signal fires', async () => {
    const controller = new AbortController();
    const inputs = [memInput('a.log', enc(kubelet), 100), memInput('b.log', enc(kubelet))];
    const walk = walkInputs(inputs, { signal: controller.signal });
    const first = await walk.next();
    expect(first.done).toBe(false);
    const reader = first.value?.stream.getReader();
    await reader?.read();
    controller.abort();
    await expect(reader?.read()).rejects.toThrow(/abort/i);
    await expect(walk.next()).rejects.toThrow(/abort/i);
  });
});

async function streamedZip(files: Record<string, Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  await new Promise<void>((resolve, reject) => {
    const zip = new Zip((err, data, final) => {
      if (err) return reject(err);
      parts.push(data);
      if (final) resolve();
    });
    for (const [name, data] of Object.entries(files)) {
      const file = new ZipDeflate(name, { level: 6 });
      zip.add(file);
      file.push(data.subarray(0, 10), false);
      file.push(data.subarray(10), true);
    }
    zip.end();
  });
  return concat(parts);
}
