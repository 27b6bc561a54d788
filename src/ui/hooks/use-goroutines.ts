import { useQuery } from '@tanstack/react-query';
import { diffDumps, type GroupDiff } from '../../core/goroutines/diff';
import { groupGoroutines, type GoroutineGroup } from '../../core/goroutines/group';
import { indexPointers, type PointerIndex } from '../../core/goroutines/pointers';
import { listDumps, loadDump, type DumpSummary } from '../../store/goroutine-queries';

export function useDumps(bundleId: string) {
  return useQuery({ queryKey: ['dumps', bundleId], queryFn: () => listDumps(bundleId) });
}

/** A dump grouped and its pointers named: computed once per dump and kept in the query cache. */
export interface GroupedDump {
  dump: DumpSummary;
  groups: GoroutineGroup[];
  pointers: PointerIndex;
}

export function useGroupedDump(bundleId: string, dumpId: string | null) {
  return useQuery({
    queryKey: ['dump', bundleId, dumpId],
    enabled: !!dumpId,
    queryFn: async (): Promise<GroupedDump | null> => {
      const d = dumpId ? await loadDump(bundleId, dumpId) : null;
      if (!d) return null;
      const { goroutineList, ...dump } = d;
      const groups = groupGoroutines(goroutineList);
      return { dump, groups, pointers: indexPointers(groups) };
    },
  });
}

/** Groups of `afterId` compared with `beforeId` (the earlier capture). */
export function useDumpDiff(bundleId: string, beforeId: string | null, afterId: string | null) {
  return useQuery({
    queryKey: ['dump-diff', bundleId, beforeId, afterId],
    enabled: !!beforeId && !!afterId,
    queryFn: async (): Promise<GroupDiff[] | null> => {
      const [a, b] = await Promise.all([loadDump(bundleId, beforeId!), loadDump(bundleId, afterId!)]);
      return a && b ? diffDumps(a.goroutineList, b.goroutineList) : null;
    },
  });
}
