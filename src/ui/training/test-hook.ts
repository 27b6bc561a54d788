// window.causeway.training, for end-to-end tests only: the open exercise, its score, and its answer
// key in this browser's ids (so a test can select the right evidence through the real UI).

import type { AnalysisInput } from '../../core/analysis/types';
import type { AnswerKey } from '../../core/training/answer-key';
import { exerciseStore } from './exercise-store';
import { localKey } from './local-key';
import { provideTrainingHook } from '../testing-hook';

let shown: { key: AnswerKey; input: AnalysisInput } | null = null;

/** The pin panel says which key it is scoring against. */
export function showKeyToTests(k: { key: AnswerKey; input: AnalysisInput } | null): void {
  shown = k;
}

export const trainingTestHook = {
  answerKey: () => (shown ? localKey(shown.key, shown.input) : null),
  exercise: () => exerciseStore.get(),
};

provideTrainingHook(trainingTestHook);
