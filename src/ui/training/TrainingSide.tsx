import './training.css';
import { useExercise } from './exercise-store';
import { PinPanel } from './PinPanel';
import { ScoreCard } from './ScoreCard';

/**
 * The workspace's side panel in exercise mode: the pin panel hides the chain (children) until
 * submit, then the score sits above the revealed chain. Without an exercise: the children as is.
 */
export function TrainingSide({ bundleId, children }: { bundleId: string; children: React.ReactNode }) {
  const exercise = useExercise(bundleId);
  if (!exercise) return <>{children}</>;
  if (!exercise.report) return <PinPanel exercise={exercise} />;
  return (
    <>
      <ScoreCard exercise={{ ...exercise, report: exercise.report }} />
      {children}
    </>
  );
}
