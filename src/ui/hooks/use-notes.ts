import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { db, type LocalNoteTarget, type StoredNote } from '../../store/db';

export function useNotes(bundleId: string | null) {
  return useQuery({
    queryKey: ['notes', bundleId],
    queryFn: async () => (bundleId ? (await db().notes.where('bundleId').equals(bundleId).sortBy('createdAt')) : []),
    enabled: !!bundleId,
  });
}

export function useAddNote() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (v: { bundleId: string; target: LocalNoteTarget; text: string }) => {
      const note: StoredNote = { id: crypto.randomUUID(), bundleId: v.bundleId, target: v.target, text: v.text, createdAt: Date.now() };
      await db().notes.put(note);
      return note;
    },
    onSuccess: (_n, v) => qc.invalidateQueries({ queryKey: ['notes', v.bundleId] }),
  });
}

export function useDeleteNote() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { bundleId: string; id: string }) => db().notes.delete(v.id),
    onSuccess: (_n, v) => qc.invalidateQueries({ queryKey: ['notes', v.bundleId] }),
  });
}

/** Notes arriving with a share link or analysis file: added once (same id or same target and text = skipped). */
export async function importNotes(bundleId: string, notes: Omit<StoredNote, 'bundleId'>[]): Promise<number> {
  const existing = await db().notes.where('bundleId').equals(bundleId).toArray();
  const key = (n: { target: LocalNoteTarget; text: string }) => `${JSON.stringify(n.target)}|${n.text}`;
  const have = new Set(existing.map(key));
  const ids = new Set(existing.map((n) => n.id));
  const fresh = notes.filter((n) => !ids.has(n.id) && !have.has(key(n))).map((n) => ({ ...n, bundleId }));
  await db().notes.bulkPut(fresh);
  return fresh.length;
}
