// Training routes: #/train (the library) and #/train/<scenario>?seed=N&hints=on&minutes=30 (an exercise).

import { trainingScenario } from '../../core/training/library';
import type { ScenarioName } from '../../core/scenarios';

export interface ExerciseLink {
  scenario: ScenarioName;
  seed: number | null;
  hints: boolean;
  minutes: number | null;
}

export type TrainRoute = { page: 'library' } | { page: 'exercise'; link: ExerciseLink } | { page: 'unknown'; scenario: string };

export function parseTrainHash(hash: string): TrainRoute | null {
  const m = /^#\/train(?:\/([\w-]+))?\/?(?:\?(.*))?$/.exec(hash);
  if (!m) return null;
  if (!m[1]) return { page: 'library' };
  const s = trainingScenario(m[1]);
  if (!s) return { page: 'unknown', scenario: m[1] };
  const p = new URLSearchParams(m[2] ?? '');
  const seed = Number(p.get('seed'));
  const minutes = Number(p.get('minutes'));
  return {
    page: 'exercise',
    link: {
      scenario: s.id,
      seed: p.has('seed') && Number.isInteger(seed) && seed > 0 ? seed : null,
      hints: p.get('hints') !== 'off',
      minutes: Number.isFinite(minutes) && minutes > 0 ? minutes : null,
    },
  };
}

export function exerciseHash(l: { scenario: string; seed: number; hints: boolean; minutes: number | null }): string {
  const p = new URLSearchParams({ seed: String(l.seed), hints: l.hints ? 'on' : 'off' });
  if (l.minutes) p.set('minutes', String(l.minutes));
  return `#/train/${l.scenario}?${p.toString()}`;
}

export { useTrainHash } from './train-hash';
