// The running exercise: one at a time, in memory and in sessionStorage so a reload keeps the pins
// and the timer. The workspace shows the pin panel while the exercise's bundle is open.

import { useSyncExternalStore } from 'react';
import type { StepRole } from '../../core/chains/types';
import type { AnswerKey } from '../../core/training/answer-key';
import type { Pin, ScoreReport } from '../../core/training/score';

export interface Exercise {
  bundleId: string;
  /** A built-in scenario id, or "custom" for an imported scenario. */
  scenario: string;
  title: string;
  seed: number | null;
  hints: boolean;
  minutes: number | null;
  briefing: string;
  startedAt: number;
  pins: Pin[];
  remedy: string | null;
  hintsUsed: StepRole[];
  /** An imported scenario's key (built-in scenarios derive theirs from the analysis). */
  customKey?: AnswerKey;
  /** Set on submit: the chain is revealed from then on. */
  report?: ScoreReport;
  elapsedSec?: number;
}

const STORAGE_KEY = 'causeway.exercise';
const listeners = new Set<() => void>();

function load(): Exercise | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Exercise) : null;
  } catch {
    return null;
  }
}

let current: Exercise | null = load();

function set(next: Exercise | null): void {
  current = next;
  if (next) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  else sessionStorage.removeItem(STORAGE_KEY);
  for (const l of listeners) l();
}

export const exerciseStore = {
  get: (): Exercise | null => current,
  start: (e: Exercise): void => set(e),
  update: (patch: Partial<Exercise>): void => {
    if (current) set({ ...current, ...patch });
  },
  end: (): void => set(null),
};

/** The exercise running on this bundle, if any. */
export function useExercise(bundleId: string | null): Exercise | null {
  const e = useSyncExternalStore(
    (cb) => { listeners.add(cb); return () => { listeners.delete(cb); }; },
    () => current,
  );
  return e && e.bundleId === bundleId ? e : null;
}
