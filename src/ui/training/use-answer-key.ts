import { useMemo } from 'react';
import type { AnalysisInput } from '../../core/analysis/types';
import { deriveAnswerKey, type AnswerKey } from '../../core/training/answer-key';
import { useAnalysis } from '../hooks/use-analysis';
import type { Exercise } from './exercise-store';

export interface ExerciseKey {
  key: AnswerKey | null;
  /** Why there is no key (analysis failed, or the scenario's chain was not found). */
  problem: string | null;
  input: AnalysisInput | null;
}

/** The exercise's key: an imported one, or the scenario's chain as the analysis finds it in the bundle. */
export function useAnswerKey(ex: Exercise): ExerciseKey {
  const { data, error } = useAnalysis(ex.bundleId);
  return useMemo((): ExerciseKey => {
    if (!data) return { key: null, problem: error ? String(error) : null, input: null };
    if (ex.customKey) return { key: ex.customKey, problem: null, input: data.input };
    try {
      return { key: deriveAnswerKey(ex.scenario, ex.scenario === 'healthy' ? null : ex.scenario, data.input, data), problem: null, input: data.input };
    } catch (e) {
      return { key: null, problem: e instanceof Error ? e.message : String(e), input: data.input };
    }
  }, [data, error, ex.customKey, ex.scenario]);
}
