/** Saving a failing case to fuzz/crashes/ and reading it back for --replay. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { FuzzCase } from './cases';

export const CRASH_DIR = new URL('./crashes/', import.meta.url);

interface Stored {
  caseSeed: number;
  message: string;
  case: Omit<FuzzCase, 'bytes'> & { bytesBase64?: string };
}

/** Writes `<target>-<seed>.json` (replayable) and, for byte inputs, the raw `.bin` beside it. Returns the JSON's path. */
export function saveCrash(c: FuzzCase, caseSeed: number, message: string): string {
  mkdirSync(CRASH_DIR, { recursive: true });
  const base = `${c.target}-${caseSeed >>> 0}`;
  const { bytes, ...rest } = c as FuzzCase & { bytes?: Uint8Array };
  const stored: Stored = { caseSeed, message, case: { ...rest, ...(bytes ? { bytesBase64: Buffer.from(bytes).toString('base64') } : {}) } as Stored['case'] };
  if (bytes) writeFileSync(new URL(`${base}.bin`, CRASH_DIR), bytes);
  const json = new URL(`${base}.json`, CRASH_DIR);
  writeFileSync(json, JSON.stringify(stored, null, 1));
  return json.pathname;
}

export function loadCrash(path: string): FuzzCase {
  const stored = JSON.parse(readFileSync(path, 'utf8')) as Stored;
  const { bytesBase64, ...rest } = stored.case;
  return (bytesBase64 === undefined ? rest : { ...rest, bytes: new Uint8Array(Buffer.from(bytesBase64, 'base64')) }) as FuzzCase;
}
