import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputsFromPath } from './node-inputs';
import { collect, enc, logText } from './test-helpers';

describe('inputsFromPath', () => {
  let dir = '';
  const big = logText(40_000); // > 1 MiB: several chunks
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'causeway-inputs-'));
    await mkdir(join(dir, 'node1/var/log/pods'), { recursive: true });
    await writeFile(join(dir, 'node1/var/log/kubelet.log'), big);
    await writeFile(join(dir, 'node1/var/log/pods/b.log.gz'), gzipSync(enc('pod\n')));
    await writeFile(join(dir, 'node1/a.txt'), 'a\n');
    await symlink(join(dir, 'node1/a.txt'), join(dir, 'node1/link.txt'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists a folder recursively, sorted, under its own name, without symlinks', async () => {
    const inputs = await inputsFromPath(join(dir, 'node1'));
    expect(inputs.map((i) => [i.path, i.size])).toEqual([
      ['node1/a.txt', 2],
      ['node1/var/log/kubelet.log', big.length],
      ['node1/var/log/pods/b.log.gz', gzipSync(enc('pod\n')).length],
    ]);
  });

  it('streams in 1 MiB chunks and reads slices', async () => {
    const [input] = await inputsFromPath(join(dir, 'node1/var/log/kubelet.log'));
    expect(input?.path).toBe('kubelet.log');
    const sizes: number[] = [];
    const reader = input?.stream().getReader();
    for (let r = await reader?.read(); r && !r.done; r = await reader?.read()) sizes.push(r.value.length);
    expect(sizes[0]).toBe(1024 * 1024);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(big.length);
    const slice = await input?.slice?.(10, 30);
    expect(new TextDecoder().decode(slice)).toBe(big.slice(10, 30));
  });

  it('feeds walkInputs', async () => {
    const { entries } = await collect(await inputsFromPath(join(dir, 'node1')));
    expect(entries.map((e) => [e.path, e.size])).toEqual([
      ['node1/a.txt', 2],
      ['node1/var/log/kubelet.log', big.length],
      ['node1/var/log/pods/b.log', 4],
    ]);
  });
});
