// Hand-over archive in the page: download one (stored raw bytes + the analysis file as chosen in the
// share dialog) and open one (ingest its files, then restore the analysis over the new bundle).

import type { QueryClient } from '@tanstack/react-query';
import { decodeShare, ShareError } from '../../core/share/codec';
import { bundleDetail } from '../../store/queries';
import { readRaw } from '../../store/raw-store';
import type { PickedFile } from '../drop';
import { ingestFiles } from '../ingest-service';
import { tokenFromAnalysisFile } from './analysis-file';
import { bytesKept, handoverFileName, locateAnalysis, writeHandover, type ArchiveFile } from './handover-archive';
import { restoreShared } from './restore';

/** Output gathered in the page before it is folded into the Blob (which the browser may keep on disk). */
const FOLD_BYTES = 64 * 1024 * 1024;
/** The analysis file is at most a few MB (500 notes of 10 kB): a first member larger than this is not one. */
const MAX_HEAD_BYTES = 64 * 1024 * 1024;

/** Builds the archive and starts its download; resolves to the file name. */
export async function downloadHandover(bundleId: string, analysisText: string): Promise<string> {
  const detail = await bundleDetail(bundleId);
  if (!detail) throw new Error('the bundle is not stored in this browser');
  const files: ArchiveFile[] = detail.files
    .filter(bytesKept)
    .map((f) => ({ path: f.path, bytes: f.rawBytes, read: (offset, length) => readRaw(bundleId, f.rawKey, f.rawOffset + offset, length) }));
  let blob = new Blob([]);
  let parts: Uint8Array[] = [];
  let held = 0;
  const fold = () => {
    blob = new Blob([blob, ...(parts as BlobPart[])], { type: 'application/zip' });
    parts = [];
    held = 0;
  };
  await writeHandover(analysisText, files, (chunk) => {
    parts.push(chunk);
    held += chunk.length;
    if (held >= FOLD_BYTES) fold();
  });
  fold();
  const name = handoverFileName(detail.bundle.name);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
  return name;
}

async function readAnalysis(file: File): Promise<{ text: string; filesStart: number }> {
  for (let n = 1024 * 1024; ; n *= 4) {
    const head = new Uint8Array(await file.slice(0, n).arrayBuffer());
    const found = locateAnalysis(head, n >= file.size || n >= MAX_HEAD_BYTES);
    if (found.kind === 'found') return found;
    if (found.kind === 'invalid') throw new Error(`not a hand-over archive: ${found.reason}`);
  }
}

/**
 * Ingests the archive's files (the archive minus its first member) and opens the full workspace with
 * the analysis. A protected analysis goes through the share landing, which asks for the passphrase.
 * Resolves to a message when the files are not the analysed bundle, else null.
 */
export async function openHandover(picked: PickedFile, qc: QueryClient): Promise<string | null> {
  const { text, filesStart } = await readAnalysis(picked.file);
  const got = await tokenFromAnalysisFile(text);
  if ('error' in got) throw new Error(`its analysis.causeway.json is ${got.error}`);
  const files = new File([picked.file.slice(filesStart)], picked.file.name, { type: 'application/zip', lastModified: picked.file.lastModified });
  const outcome = await ingestFiles([{ path: picked.path, file: files }], qc);
  if (!outcome?.bundleId) throw new Error('another ingest is running: try again when it ends');
  let state;
  try {
    state = await decodeShare(got.token);
  } catch (err) {
    if (err instanceof ShareError && err.code === 'needs-passphrase') {
      location.hash = `#/s/${got.token}`;
      return null;
    }
    throw err;
  }
  const restored = await restoreShared(state, outcome.bundleId);
  if (restored) return null;
  location.hash = `#/bundle/${outcome.bundleId}`;
  return `its files are not the analysed bundle "${state.bundle.name}" (different SHA-256 fingerprint): they were opened without the analysis`;
}
