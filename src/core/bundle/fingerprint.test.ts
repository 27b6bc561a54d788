import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PIECE_BYTES, bundleFingerprint, createDigester, fingerprintPath, probeKey } from './fingerprint';
import { enc, memInput } from './test-helpers';

const sha = (data: Uint8Array): Buffer => createHash('sha256').update(data).digest();

/** The tree digest computed directly with node:crypto. */
function reference(data: Uint8Array): string {
  const digests: Buffer[] = [];
  for (let at = 0; at < data.length; at += PIECE_BYTES) digests.push(sha(data.subarray(at, at + PIECE_BYTES)));
  return createHash('sha256').update(Buffer.concat(digests)).digest('hex');
}

function pseudoRandom(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

async function digestInChunks(data: Uint8Array, chunk: number): Promise<string> {
  const d = createDigester();
  for (let at = 0; at < data.length; at += chunk) await d.update(data.subarray(at, at + chunk));
  return d.digest();
}

describe('createDigester', () => {
  it('equals SHA-256 of the single piece digest for small inputs, and handles empty input', async () => {
    const small = enc('hello kubelet\n');
    expect(await digestInChunks(small, 3)).toBe(createHash('sha256').update(sha(small)).digest('hex'));
    expect(await createDigester().digest()).toBe(createHash('sha256').update(new Uint8Array(0)).digest('hex'));
  });

  it('does not depend on chunk boundaries (1 B, 7 B, 5 MiB chunks) over several pieces', async () => {
    const data = pseudoRandom(2 * PIECE_BYTES + 12345);
    const want = reference(data);
    expect(await digestInChunks(data, 5 * 1024 * 1024)).toBe(want);
    expect(await digestInChunks(data, 7)).toBe(want);
    expect(await digestInChunks(data, PIECE_BYTES)).toBe(want);
    expect(await digestInChunks(data.subarray(0, 300_000), 1)).toBe(reference(data.subarray(0, 300_000)));
  });

  it('treats an exact multiple of the piece size as whole pieces only', async () => {
    const data = pseudoRandom(PIECE_BYTES);
    expect(await digestInChunks(data, 1 << 20)).toBe(reference(data));
  });
});

describe('bundleFingerprint', () => {
  it('is order independent and ignores the outer archive name', async () => {
    const a = await bundleFingerprint([
      { path: 'node1/var/log/kubelet.log', digest: 'aa' },
      { path: 'node1/var/log/containerd.log', digest: 'bb' },
    ]);
    const b = await bundleFingerprint([
      { path: 'bundle-2.tar.gz!/node1/var/log/containerd.log', digest: 'bb' },
      { path: 'bundle-2.tar.gz!/node1/var/log/kubelet.log', digest: 'aa' },
    ]);
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(await bundleFingerprint([{ path: 'node1/var/log/kubelet.log', digest: 'ab' }])).not.toBe(a);
    expect(fingerprintPath('a.tar!/inner.tgz!/x.log')).toBe('inner.tgz!/x.log');
  });
});

describe('probeKey', () => {
  const big = pseudoRandom(300_000);
  it('is stable, order independent, and sees the head, the tail, names and sizes', async () => {
    const key = await probeKey([memInput('a.log', big), memInput('b.log', enc('small'))]);
    expect(await probeKey([memInput('b.log', enc('small')), memInput('a.log', big)])).toBe(key);
    const tail = big.slice();
    tail[tail.length - 1] = (tail[tail.length - 1] ?? 0) ^ 1;
    const head = big.slice();
    head[0] = (head[0] ?? 0) ^ 1;
    const middle = big.slice();
    middle[150_000] = (middle[150_000] ?? 0) ^ 1;
    expect(await probeKey([memInput('a.log', tail), memInput('b.log', enc('small'))])).not.toBe(key);
    expect(await probeKey([memInput('a.log', head), memInput('b.log', enc('small'))])).not.toBe(key);
    expect(await probeKey([memInput('c.log', big), memInput('b.log', enc('small'))])).not.toBe(key);
    // the middle is not read: that is what makes it cheap
    expect(await probeKey([memInput('a.log', middle), memInput('b.log', enc('small'))])).toBe(key);
  });

  it('falls back to names and sizes when inputs cannot slice', async () => {
    const noSlice = { ...memInput('a.log', big), slice: undefined };
    const key = await probeKey([noSlice]);
    expect(await probeKey([{ ...memInput('a.log', pseudoRandom(300_000).fill(1)), slice: undefined }])).toBe(key);
    expect(await probeKey([memInput('a.log', big)])).not.toBe(key);
  });
});
