import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeScenarioToDir } from '../core/scenarios/write-node';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/**
 * Runs the CLI into a pipe that is slow to drain, as `| jq` can be: the reader waits a second
 * before it reads, so what the CLI could not hand over into the full pipe by then must still come,
 * not be dropped at exit.
 */
function runCli(dir: string): Promise<string> {
  const script = '"$0" --import tsx "$1" "$2" --json | (sleep 1; cat)';
  return new Promise((resolve, reject) => {
    execFile('sh', ['-c', script, process.execPath, join(__dirname, 'analyze.ts'), dir], { maxBuffer: 64 << 20 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}

describe('npm run analyze -- --json', () => {
  it('prints the whole summary into a pipe, however large', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'causeway-cli-'));
    dirs.push(dir);
    // Big enough that the JSON is more than twice a pipe's 64 KiB buffer.
    await writeScenarioToDir({ scenario: 'io-storm-umount-bbolt', seed: 11, targetBytes: 3_000_000, zoneOffsetMin: 330 }, dir);
    const out = await runCli(dir);
    expect(out.length).toBeGreaterThan(2 * 65536);
    const summary = JSON.parse(out) as { files: unknown[]; findings: unknown[]; chains: unknown[] };
    expect(summary.files.length).toBeGreaterThan(5);
    expect(summary.chains.length).toBeGreaterThan(0);
  }, 120_000);
});
