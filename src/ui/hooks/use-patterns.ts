import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { db } from '../../store/db';

export function useUserPatterns() {
  return useQuery({ queryKey: ['patterns'], queryFn: () => db().patterns.orderBy('updatedAt').toArray() });
}

/** Saving a pattern re-runs the analysis of open bundles (their chains include enabled user patterns). */
export function useSavePattern() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (v: { id: string; json: string; enabled: boolean; previousId: string | null }) => {
      await db().transaction('rw', db().patterns, async () => {
        if (v.previousId && v.previousId !== v.id) await db().patterns.delete(v.previousId);
        await db().patterns.put({ id: v.id, json: v.json, enabled: v.enabled, updatedAt: Date.now() });
      });
    },
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['patterns'] });
      await qc.invalidateQueries({ queryKey: ['analysis'] });
    },
  });
}

export function useDeletePattern() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => db().patterns.delete(id),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['patterns'] });
      await qc.invalidateQueries({ queryKey: ['analysis'] });
    },
  });
}
