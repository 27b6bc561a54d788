// Fuzzing the pipeline entry the workers run (ingestEntry): arbitrary bytes and mutated
// real-shaped files, detected or forced to each format, never throw, keep every line, name
// the file in every error and take bounded time (fuzz/targets.ts). `npm run fuzz` runs longer.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { mutatedSeed, quick } from '../../fuzz/arbitraries';
import { textSeeds } from '../../fuzz/corpus';
import { ingestTarget } from '../../fuzz/targets';
import { formats } from './formats/registry';

const seeds = textSeeds();
const formatChoice = fc.option(fc.constantFrom(...formats.map((f) => f.id)), { nil: undefined, freq: 3 });
// Tiny chunks on the small inputs test chunk boundaries; the mutated files can reach 256 KB.
const tinyChunk = fc.constantFrom(1, 7, 512, 4096);
const chunk = fc.constantFrom(512, 4096, 65536);

describe('ingestEntry under fuzzing', () => {
  it('arbitrary bytes, under odd names', async () => {
    await fc.assert(fc.asyncProperty(
      fc.uint8Array({ maxLength: 4096 }), fc.constantFrom('a.log', 'kubelet.log', 'x.jsonl', 'stacks.log', 'dmesg', '<img src=x>.log'), formatChoice, tinyChunk,
      async (bytes, name, formatId, size) => ingestTarget({ name, bytes, formatId, chunk: size }),
    ), quick(40));
  });

  it('arbitrary text made of the grammars\u2019 characters', async () => {
    const unit = fc.constantFrom(...'0123456789:-.T Z+[]{}"\\=\n\t\rIEWFa{}'.split(''), 'Jun ', 'time="', '{"ts":', 'goroutine ', '\u001b[', '\u202e');
    await fc.assert(fc.asyncProperty(fc.string({ unit, maxLength: 2000 }), formatChoice, tinyChunk, async (text, formatId, size) =>
      ingestTarget({ name: 'mix.log', bytes: new TextEncoder().encode(text), formatId, chunk: size }),
    ), quick(40));
  });

  it(`mutated real-shaped files, format detected (${seeds.length} seeds: fixtures, real samples, FORMATS.md, generated scenario)`, async () => {
    await fc.assert(fc.asyncProperty(mutatedSeed(seeds), chunk, async (seed, size) => ingestTarget({ ...seed, chunk: size })), quick(40));
  });

  // The user can force any format on any file: every parser sees every kind of damaged input.
  it.each(formats.map((f) => f.id))('mutated real-shaped files forced to %s', async (formatId) => {
    await fc.assert(fc.asyncProperty(mutatedSeed(seeds), chunk, async (seed, size) => ingestTarget({ ...seed, formatId, chunk: size })), quick(10));
  });
});
