import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { realign } from '../../store/ingest-controller';
import { db } from '../../store/db';
import { bundleDetail, deleteBundle, listBundles, setDumpTime, setSourceTime } from '../../store/queries';

export function useBundles() {
  return useQuery({ queryKey: ['bundles'], queryFn: listBundles });
}

/** A bundle's rows (files, sources, dumps); shared with queries that need them (the log page). */
export function bundleDetailQuery(bundleId: string | null) {
  return queryOptions({
    queryKey: ['bundle', bundleId],
    queryFn: () => (bundleId ? bundleDetail(bundleId) : null),
  });
}

export function useBundleDetail(bundleId: string | null) {
  return useQuery({ ...bundleDetailQuery(bundleId), enabled: !!bundleId });
}

export function useDeleteBundle() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: deleteBundle,
    onSuccess: () => qc.invalidateQueries(),
  });
}

/** Zone / clock offset for every source of a file: re-aligned from the stored index, no re-read. */
export function useSetFileTime() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (v: { fileId: string; zoneOffsetMin?: number; clockOffsetUs?: number }) => {
      const ids = await db().sources.where('fileId').equals(v.fileId).primaryKeys();
      for (const id of ids) await setSourceTime(id, { zoneOffsetMin: v.zoneOffsetMin, clockOffsetUs: v.clockOffsetUs });
    },
    onSuccess: () => qc.invalidateQueries(),
  });
}

/** The node's zone for the whole bundle (overrides what was inferred). */
export function useSetBundleZone() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (v: { bundleId: string; zoneOffsetMin: number | null }) => {
      await db().bundles.update(v.bundleId, { userZoneOffsetMin: v.zoneOffsetMin });
      await realign(v.bundleId);
    },
    onSuccess: () => qc.invalidateQueries(),
  });
}

/** Boot time for stamps relative to boot (raw dmesg), when the bundle does not reveal it. */
export function useSetBundleBoot() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (v: { bundleId: string; bootUs: number | null }) => {
      await db().bundles.update(v.bundleId, { userBootUs: v.bootUs });
      await realign(v.bundleId);
    },
    onSuccess: () => qc.invalidateQueries(),
  });
}

export function useSetDumpTime() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { fileId: string; takenAt: number }) => setDumpTime(v.fileId, v.takenAt),
    onSuccess: () => qc.invalidateQueries(),
  });
}
