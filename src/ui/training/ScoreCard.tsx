import { roleLabel } from '../../core/training/answer-key';
import type { Exercise } from './exercise-store';
import { exerciseStore } from './exercise-store';

/** After submit: the score per role with feedback, above the revealed chain. */
export function ScoreCard({ exercise }: { exercise: Exercise & { report: NonNullable<Exercise['report']> } }) {
  const r = exercise.report;
  return (
    <div className="score-card" data-testid="score-card">
      <h3>Score <span data-testid="score-total">{r.total}</span> / 100</h3>
      <ul className="score-roles">
        {r.roles.map((x, i) => (
          <li key={i} className={`score-role ${x.verdict}`} data-testid={`score-${x.role}`} data-verdict={x.verdict}>
            <strong>{roleLabel[x.role]}</strong> <span className="points">{Math.round(x.points * 10) / 10} / {Math.round(x.max * 10) / 10}</span>
            <div className="feedback">{x.feedback}</div>
          </li>
        ))}
        <li className={`score-role ${r.remedy.points ? 'right' : 'wrong'}`} data-testid="score-remedy">
          <strong>remedy</strong> <span className="points">{r.remedy.points} / {r.remedy.max}</span>
          <div className="feedback">{r.remedy.feedback}</div>
        </li>
      </ul>
      {(r.hintPenalty > 0 || r.timePenalty > 0) && (
        <p className="muted">{r.hintPenalty > 0 ? `hints −${r.hintPenalty}` : ''}{r.hintPenalty > 0 && r.timePenalty > 0 ? ' · ' : ''}{r.timePenalty > 0 ? `over time −${r.timePenalty}` : ''}</p>
      )}
      <p className="muted">The full chain is shown below: click a step to see its evidence.</p>
      <div className="score-actions">
        <a href="#/train">Back to the library</a>
        <button className="link" onClick={() => exerciseStore.end()}>Close exercise</button>
      </div>
    </div>
  );
}
