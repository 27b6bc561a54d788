// The real-shaped examples of FORMATS.md raise the findings they contain, and no others.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exampleBlocks, formatsMdPath } from '../formats/formats-md-blocks';
import { runDetectors } from '.';
import { inputOf } from './test-helpers';
import type { Finding } from './types';

const path = formatsMdPath();

describe.skipIf(!path)('FORMATS.md examples', () => {
  it('each example block, read as its own file, raises what it shows', { timeout: 30_000 }, async () => {
    const blocks = exampleBlocks(readFileSync(path!, 'utf8'));
    const files: Record<string, string> = {};
    for (const b of blocks) files[`formats-md/block-${b.line}.log`] = `${b.lines.join('\n')}\n`;
    const input = await inputOf(files);
    const findings = runDetectors(input);
    const pathOf = new Map(input.files.map((f) => [f.id, f.path]));
    const by = (line: number): string[] => findings
      .filter((f: Finding) => f.evidence.some((e) => pathOf.get(e.fileId) === `formats-md/block-${line}.log`))
      .map((f) => `${f.detector}/${f.kind}/${f.severity}`);
    const blockWith = (s: string) => blocks.find((b) => b.lines.join('\n').includes(s))!.line;

    expect(by(blockWith('msg="shim disconnected"'))).toEqual(['runtime/shim-disconnected/info']);
    expect(by(blockWith('failed to clean up after shim disconnected'))).toEqual(['runtime/shim-disconnected/info']);
    expect(by(blockWith('pleg has yet to be successful'))).toEqual(['pleg/runtime-status/info']);
    expect(by(blockWith('Failed to handle event &TaskExit'))).toEqual(['runtime/taskexit-failed/error']);
    expect(findings.find((f) => f.kind === 'taskexit-failed')?.facts.containerId).toBe('af10720054623b8b324e1e3275d402d785c3e671c4b064805653427504165d4d');
    expect(by(blockWith('TaskExit event in podsandbox handler'))).toEqual([]);
    expect(by(blockWith('Container termination failed with gracePeriod'))).toEqual(['runtime/cri-deadline/error']);
    const hung = findings.filter((f) => f.kind === 'hung-task');
    expect(hung.map((f) => [f.facts.task, f.facts.blockedSeconds])).toEqual([['containerd-shim', 120]]);
    // A bbolt waiter without its holder in the same dump is not linked to anything.
    expect(findings.filter((f) => f.kind === 'lock-link' || f.kind === 'bbolt-fsync-holder')).toEqual([]);
  });
});
