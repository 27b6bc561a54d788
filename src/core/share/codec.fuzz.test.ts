// Fuzzing the permalink decoder: whatever a pasted link holds, decodeShare gives a valid state
// or a ShareError with a message, never another exception, in bounded time (fuzz/targets.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quick } from '../../../fuzz/arbitraries';
import { sampleShareState, shareSeeds } from '../../../fuzz/corpus';
import { mutateBytes } from '../../../fuzz/mutate';
import { rngFrom } from '../../../fuzz/rng';
import { shareTarget } from '../../../fuzz/targets';
import { decodeShare, deflate, encodeShare, toBase64Url } from './codec';

const enc = new TextEncoder();
const dec = new TextDecoder();

describe('decodeShare under fuzzing', () => {
  it('mutated valid links', async () => {
    const tokens = await shareSeeds();
    await fc.assert(fc.asyncProperty(fc.constantFrom(...tokens), fc.integer(), async (token, rngSeed) =>
      shareTarget(dec.decode(mutateBytes(enc.encode(token), rngFrom(rngSeed), { maxBytes: 64 * 1024 }))),
    ), quick(150));
  });

  it('arbitrary text, random packed bytes and deflated junk JSON', async () => {
    const token = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 400 }).map((b) => `1.${toBase64Url(b)}`),
      fc.tuple(fc.constantFrom('1e.', '2.', '0.', '999999.', '1.', '01.'), fc.string({ unit: fc.constantFrom(...'AZaz09-_.='.split('')), maxLength: 80 })).map(([a, b]) => a + b),
    );
    await fc.assert(fc.asyncProperty(token, async (t) => shareTarget(t)), quick(150));
    await fc.assert(fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (json) =>
      shareTarget(`1.${toBase64Url(await deflate(enc.encode(JSON.stringify(json) ?? 'null')))}`),
    ), quick(60));
  });

  it('a deflate bomb and deeply nested JSON are refused, not expanded', async () => {
    const bomb = `1.${toBase64Url(await deflate(new Uint8Array(16 << 20).fill(0x20)))}`;
    await expect(decodeShare(bomb)).rejects.toMatchObject({ code: 'invalid' });
    const deep = `1.${toBase64Url(await deflate(enc.encode('['.repeat(200_000) + ']'.repeat(200_000))))}`;
    await shareTarget(deep);
  });

  it('a protected link with a bit flipped fails as a ShareError', async () => {
    const token = await encodeShare(sampleShareState(), { passphrase: 'p' });
    const flipped = token.slice(0, -5) + (token.at(-5) === 'A' ? 'B' : 'A') + token.slice(-4);
    await shareTarget(flipped, 'p');
    await shareTarget(token.slice(0, 40), 'p');
  });
});
