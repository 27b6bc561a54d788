import { bundleDetail, findBundleByFingerprint } from '../../store/queries';
import type { SharedState } from '../../core/share/state';
import { importNotes } from '../hooks/use-notes';
import { formatHash } from '../workspace/view-state';
import { fromSharedState } from './convert';

/**
 * Opens a shared state over the stored bundle with the same fingerprint: its notes are added, its view
 * becomes the URL. Returns null when the bundle is not stored here, else what could not be matched.
 */
export async function restoreShared(state: SharedState, bundleId?: string): Promise<{ bundleId: string; unmatched: string[]; notesAdded: number } | null> {
  const bundle = bundleId ? (await bundleDetail(bundleId))?.bundle : await findBundleByFingerprint(state.bundle.fingerprint);
  if (!bundle || bundle.fingerprint !== state.bundle.fingerprint) return null;
  const detail = await bundleDetail(bundle.id);
  if (!detail) return null;
  const { view, notes, unmatched } = fromSharedState(state, { bundle, files: detail.files, sources: detail.sources, dumps: detail.dumps });
  const notesAdded = await importNotes(bundle.id, notes);
  location.hash = formatHash({ ...view, bundleId: bundle.id });
  return { bundleId: bundle.id, unmatched, notesAdded };
}
