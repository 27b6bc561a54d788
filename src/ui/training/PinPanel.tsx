import { useEffect, useState } from 'react';
import type { StepRole } from '../../core/chains/types';
import { hintFor, roleLabel, roles } from '../../core/training/answer-key';
import { remedyOptions } from '../../core/training/remedies';
import { scoreAttempt, type Pin } from '../../core/training/score';
import { useSaveAttempt } from '../hooks/use-attempts';
import { useViewState } from '../workspace/view-state';
import { exerciseStore, type Exercise } from './exercise-store';
import { describePin, pinFromSelection } from './local-key';
import { showKeyToTests } from './test-hook';
import { useAnswerKey } from './use-answer-key';

function useElapsedSec(startedAt: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return Math.max(0, Math.floor((now - startedAt) / 1000));
}

const mmss = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;

/** Exercise mode's side panel: briefing, timer, a pin per role, remedy, hints, submit. */
export function PinPanel({ exercise }: { exercise: Exercise }) {
  const [view, setView] = useViewState();
  const { key, problem, input } = useAnswerKey(exercise);
  const save = useSaveAttempt();
  const elapsed = useElapsedSec(exercise.startedAt);
  useEffect(() => {
    showKeyToTests(key && input ? { key, input } : null);
    return () => showKeyToTests(null);
  }, [key, input]);

  const selected = input ? pinFromSelection(view.selection, input) : null;
  const pinOf = (r: StepRole) => exercise.pins.find((p) => p.role === r);
  const setPin = (pin: Pin) => exerciseStore.update({ pins: [...exercise.pins.filter((p) => p.role !== pin.role), pin] });
  const clearPin = (r: StepRole) => exerciseStore.update({ pins: exercise.pins.filter((p) => p.role !== r) });
  const over = exercise.minutes !== null && elapsed > exercise.minutes * 60;

  const submit = () => {
    if (!key) return;
    const attempt = { pins: exercise.pins, remedy: exercise.remedy, hints: exercise.hintsUsed, elapsedSec: elapsed, minutes: exercise.minutes };
    const report = scoreAttempt(key, attempt);
    save.mutate({ ...attempt, id: crypto.randomUUID(), scenario: exercise.scenario === 'custom' ? exercise.title : exercise.scenario, seed: exercise.seed, bundleId: exercise.bundleId, score: report, createdAt: Date.now() });
    exerciseStore.update({ report, elapsedSec: elapsed });
    // The reveal starts at the chain's first step, highlighted on the timeline and in the logs.
    if (key.patternId) setView({ selection: { kind: 'step', patternId: key.patternId, step: 0 } }, { push: true });
  };

  return (
    <div className="pin-panel" data-testid="pin-panel">
      <h3>Exercise: {exercise.title}</h3>
      <p className="briefing" data-testid="briefing">{exercise.briefing}</p>
      <p className={`timer${over ? ' over' : ''}`} data-testid="timer">
        {mmss(elapsed)}{exercise.minutes !== null ? ` of ${exercise.minutes}:00${over ? ' — time is up (−10 points)' : ''}` : ''}
      </p>
      {problem && <p role="alert" className="problems">No answer key: {problem}</p>}
      <p className="muted">Select a log line or a goroutine (or zoom the timeline to a window), then pin it to the role it plays.</p>
      <ol className="pin-roles">
        {roles.map((r) => {
          const pin = pinOf(r);
          const hinted = exercise.hintsUsed.includes(r);
          return (
            <li key={r} className="pin-role" data-testid={`pin-role-${r}`}>
              <div className="pin-role-head">
                <strong>{roleLabel[r][0]!.toUpperCase() + roleLabel[r].slice(1)}</strong>
                <span className="pin-value" data-testid={`pin-value-${r}`}>{pin ? describePin(pin.evidence) : <span className="muted">nothing pinned</span>}</span>
              </div>
              <div className="pin-actions">
                <button disabled={!selected} onClick={() => selected && setPin({ role: r, evidence: selected })} data-testid={`pin-selection-${r}`}>Pin selection</button>
                <button disabled={!view.window} onClick={() => view.window && setPin({ role: r, evidence: { kind: 'window', ...view.window } })} data-testid={`pin-window-${r}`}>Pin window</button>
                {pin && <button className="link" onClick={() => clearPin(r)}>clear</button>}
                {exercise.hints && key && !hinted && (
                  <button className="link" onClick={() => exerciseStore.update({ hintsUsed: [...exercise.hintsUsed, r] })} data-testid={`hint-${r}`}>Hint (−5)</button>
                )}
              </div>
              {hinted && key && <p className="hint" data-testid={`hint-text-${r}`}>{hintFor(key, r)}</p>}
            </li>
          );
        })}
      </ol>
      <label className="remedy-pick">
        Remedy{' '}
        <select aria-label="Remedy" data-testid="remedy-select" value={exercise.remedy ?? ''} onChange={(e) => exerciseStore.update({ remedy: e.currentTarget.value || null })}>
          <option value="">— choose —</option>
          {remedyOptions.map((o) => <option key={o.id} value={o.id}>{o.text}</option>)}
        </select>
      </label>
      <div className="pin-submit">
        <button className="primary" disabled={!key} onClick={submit} data-testid="submit-exercise">Submit</button>
        <button className="link" onClick={() => exerciseStore.end()}>Abandon exercise</button>
      </div>
    </div>
  );
}
