// Node-only helper: writes a generated bundle to a directory, chunk by chunk, with streams.

import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { generateScenario } from './index';
import type { ScenarioOptions, ScenarioTruth } from './types';

function write(ws: WriteStream, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = ws.write(chunk, (err) => {
      if (err) reject(err);
    });
    if (ok) resolve();
    else ws.once('drain', resolve);
  });
}

function close(ws: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.end(() => resolve());
  });
}

/** Writes every file of the scenario under `dir`; returns the written paths, total bytes and the truth. */
export async function writeScenarioToDir(opts: ScenarioOptions, dir: string): Promise<{ files: string[]; bytes: number; truth: ScenarioTruth }> {
  const { files, truth } = generateScenario(opts);
  const written: string[] = [];
  let bytes = 0;
  for (const f of files) {
    const full = join(dir, f.path);
    await mkdir(dirname(full), { recursive: true });
    const ws = createWriteStream(full, { encoding: 'utf8' });
    let failed: Error | null = null;
    ws.on('error', (e) => (failed = e));
    for (const chunk of f.chunks()) {
      if (failed) throw failed;
      await write(ws, chunk);
      bytes += Buffer.byteLength(chunk, 'utf8');
    }
    await close(ws);
    if (failed) throw failed;
    written.push(full);
  }
  return { files: written, bytes, truth };
}
