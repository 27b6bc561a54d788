import './training.css';
import { useMemo } from 'react';
import { ExerciseStart } from './ExerciseStart';
import { LibraryPage } from './LibraryPage';
import { parseTrainHash } from './route';

export { useTrainHash } from './route';

/** What the main area shows on a #/train… fragment. */
export function TrainingRoute({ hash }: { hash: string }) {
  const route = useMemo(() => parseTrainHash(hash), [hash]);
  if (!route || route.page === 'library') return <LibraryPage />;
  if (route.page === 'unknown') return <p role="alert">No training scenario "{route.scenario}". <a href="#/train">See the library</a>.</p>;
  return <ExerciseStart key={hash} link={route.link} />;
}
