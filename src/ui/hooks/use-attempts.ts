import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { deleteAttempts, listAttempts, saveAttempt } from '../../store/attempt-queries';
import type { StoredAttempt } from '../../store/db';

export function useAttempts() {
  return useQuery({ queryKey: ['attempts'], queryFn: listAttempts });
}

export function useSaveAttempt() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (a: StoredAttempt) => saveAttempt(a),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['attempts'] }),
  });
}

export function useClearAttempts() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: deleteAttempts,
    onSuccess: () => qc.invalidateQueries({ queryKey: ['attempts'] }),
  });
}
