import { useState } from 'react';
import { diffSummary, type DiffStatus, type GroupDiff } from '../../../core/goroutines/diff';
import type { DumpSummary } from '../../../store/goroutine-queries';
import { formatTs } from '../../format';
import { FnName } from './FnName';
import { waitRange } from './format';

const ROWS = 200;
const label: Record<DiffStatus, string> = { appeared: 'appeared', grew: 'grew', vanished: 'vanished', shrank: 'shrank', same: 'same' };

interface Props {
  before: DumpSummary;
  after: DumpSummary;
  diff: GroupDiff[] | undefined;
  onClose: () => void;
}

const when = (d: DumpSummary) => (d.takenAt === null ? d.file.split('/').pop() : `${formatTs(d.takenAt)} UTC`);

/** Which stacks grew, appeared, vanished or shrank between two dumps of one process. */
export function DiffPanel({ before, after, diff, onClose }: Props) {
  const [showSame, setShowSame] = useState(false);
  if (!diff) return <div className="ws-loading">Comparing dumps…</div>;
  const sum = diffSummary(diff);
  const rows = showSame ? diff : diff.filter((d) => d.status !== 'same');
  return (
    <section className="gr-diff" data-testid="goroutine-diff">
      <header>
        <span>From <b>{when(before)}</b> ({sum.before}) to <b>{when(after)}</b> ({sum.after} goroutines):</span>
        <span className="gr-diff-sum" data-testid="diff-summary">
          <span className="appeared">{sum.appeared} appeared</span> · <span className="grew">{sum.grew} grew</span> ·{' '}
          <span className="vanished">{sum.vanished} vanished</span> · <span className="shrank">{sum.shrank} shrank</span> · {sum.same} unchanged
        </span>
        <label><input type="checkbox" checked={showSame} onChange={(e) => setShowSame(e.target.checked)} /> show unchanged</label>
        <button type="button" className="gr-close" onClick={onClose} aria-label="Close the diff">×</button>
      </header>
      <table>
        <thead><tr><th>change</th><th className="num">before</th><th className="num">after</th><th>state</th><th>wait</th><th>stack</th></tr></thead>
        <tbody>
          {rows.slice(0, ROWS).map((d) => (
            <tr key={`${d.status}:${d.group.key}`} className="gr-diff-row" data-testid="diff-row" data-status={d.status} data-before={d.before} data-after={d.after} data-key={d.group.key}>
              <td><span className={`gr-diff-status ${d.status}`}>{label[d.status]}</span>{d.matchedBy === 'functions' && <span className="gr-muted" title="same functions, lines moved"> ≈</span>}</td>
              <td className="num">{d.before}</td>
              <td className="num">{d.after} <span className="gr-muted">({d.after - d.before >= 0 ? '+' : ''}{d.after - d.before})</span></td>
              <td>{d.group.states.join(', ')}</td>
              <td>{waitRange(d.group.waitMin, d.waitMax)}</td>
              <td><FnName fn={d.group.topFunction} short /></td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <div className="gr-empty">No stack changed between the two dumps.</div>}
      {rows.length > ROWS && <div className="gr-muted">{rows.length - ROWS} more groups not listed</div>}
    </section>
  );
}
