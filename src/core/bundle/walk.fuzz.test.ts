// Fuzzing the archive walker with the pipeline behind it: mutated tar, tar.gz, gz, zip and
// nested archives, and junk behind archive magic, never throw, report against their input,
// name the file in every problem, and the next input is still read (fuzz/targets.ts).
import fc from 'fast-check';
import { gzipSync } from 'fflate';
import { describe, it } from 'vitest';
import { mutatedSeed, quick } from '../../../fuzz/arbitraries';
import { archiveSeeds, textSeeds } from '../../../fuzz/corpus';
import { walkTarget } from '../../../fuzz/targets';

const seeds = archiveSeeds();
const chunk = fc.constantFrom(1, 7, 512, 65536);

/** Magic bytes that make the walker treat what follows as an archive. */
const MAGIC = [
  [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3],
  [0x50, 0x4b, 0x03, 0x04, 20, 0, 8, 0, 8, 0],
  [...new Uint8Array(257), ...new TextEncoder().encode('ustar\u000000')],
].map((m) => Uint8Array.from(m));

describe('walkInputs + ingestEntry under fuzzing', () => {
  it(`mutated archives (${seeds.map((s) => s.name).join(', ')})`, async () => {
    const others = [...seeds, ...textSeeds().slice(0, 8)].map((s) => s.bytes);
    await fc.assert(fc.asyncProperty(mutatedSeed(seeds, 128 * 1024, others), chunk, async (seed, size) =>
      walkTarget({ ...seed, chunk: size }),
    ), quick(40));
  });

  it('junk behind archive magic, and gzip of junk', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(...MAGIC), fc.uint8Array({ maxLength: 3000 }), fc.boolean(), chunk, async (magic, junk, gzip, size) => {
      const bytes = new Uint8Array(magic.length + junk.length);
      bytes.set(magic);
      bytes.set(junk, magic.length);
      await walkTarget({ name: 'junk.bin', bytes: gzip ? gzipSync(bytes) : bytes, chunk: size });
    }), quick(40));
  });
});
