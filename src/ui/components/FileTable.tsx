import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { fmtZone, sourceShiftUs } from '../../core/align';
import { zoneSourceText } from '../../core/entry-time';
import { formats } from '../../core/formats/registry';
import { displayName, displayText } from '../../core/display-text';
import type { Source, SourceFile } from '../../core/model';
import type { DumpInfo } from '../../store/queries';
import { useSetDumpTime, useSetFileTime } from '../hooks/use-bundles';
import { formatBytes, formatTs, zoneChoices } from '../format';
import { reparseFile } from '../ingest-service';

const PAGE = 300;

export function FileTable(props: { bundleId: string; files: SourceFile[]; sources: Source[]; dumps: DumpInfo[] }) {
  const qc = useQueryClient();
  const setTime = useSetFileTime();
  const setDumpTime = useSetDumpTime();
  const [limit, setLimit] = useState(PAGE);
  const [filter, setFilter] = useState('');
  const byFile = new Map<string, Source[]>();
  for (const s of props.sources) {
    const list = byFile.get(s.fileId);
    if (list) list.push(s);
    else byFile.set(s.fileId, [s]);
  }
  const needle = filter.trim().toLowerCase();
  const matching = needle ? props.files.filter((f) => f.path.toLowerCase().includes(needle)) : props.files;
  // Problems first: a file with errors is what the user needs to see in a big bundle.
  const ordered = [...matching].sort((a, b) => Number(b.errors.length > 0) - Number(a.errors.length > 0));
  const shown = ordered.slice(0, limit);
  return (
    <>
    {props.files.length > 20 && (
      <input className="file-filter" type="search" placeholder="Filter files by path" aria-label="Filter files by path" value={filter} onChange={(e) => setFilter(e.currentTarget.value)} />
    )}
    <table className="file-table" data-testid="file-table">
      <thead>
        <tr>
          <th>File</th><th>Format</th><th>Origin</th><th className="num">Lines</th><th className="num">Events</th>
          <th>Holds</th><th>First (UTC)</th><th>Last (UTC)</th><th>Time assumptions</th><th>Errors and notes</th>
        </tr>
      </thead>
      <tbody>
        {shown.map((f) => {
          const sources = (byFile.get(f.id) ?? []).sort((a, b) => b.lines - a.lines);
          const rows = sources.length ? sources : [null];
          return rows.map((s, i) => (
            <tr key={`${f.id}:${s?.id ?? 'none'}`} data-path={f.path} data-origin={s?.origin ?? ''} data-format={f.format}>
              {i === 0 && (
                <>
                  <td rowSpan={rows.length} className="path" title={displayText(f.path)}>
                    {displayName(f.path)}
                    <div className="muted">{formatBytes(f.rawBytes || f.size)}</div>
                  </td>
                  <td rowSpan={rows.length}>
                    <select
                      aria-label={`Format of ${displayName(f.path)}`}
                      value={f.format}
                      disabled={f.status === 'skipped'}
                      onChange={(e) => void reparseFile(props.bundleId, f.id, e.currentTarget.value, qc)}
                    >
                      {formats.map((fmt) => <option key={fmt.id} value={fmt.id}>{fmt.title}</option>)}
                    </select>
                    {f.formatChosenByUser && <div className="muted">chosen by you (detected: {f.detectedFormat})</div>}
                  </td>
                </>
              )}
              <td className="origin">{s?.origin ?? '—'}</td>
              <td className="num">{s ? s.lines.toLocaleString('en-US') : f.lines.toLocaleString('en-US')}</td>
              <td className="num">{s ? s.records.toLocaleString('en-US') : 0}</td>
              <td className="holds">{s ? holds(s) : ''}</td>
              <td className="ts" title={s ? String(s.firstTs + sourceShiftUs(s)) : ''}>{s ? formatTs(s.firstTs + sourceShiftUs(s)) : '—'}</td>
              <td className="ts" title={s ? String(s.lastTs + sourceShiftUs(s)) : ''}>{s ? formatTs(s.lastTs + sourceShiftUs(s)) : '—'}</td>
              <td className="time">
                {s ? (
                  <TimeCell
                    source={s}
                    onOffset={(us) => setTime.mutate({ fileId: f.id, clockOffsetUs: us })}
                    onZone={(min) => setTime.mutate({ fileId: f.id, zoneOffsetMin: min })}
                  />
                ) : '—'}
              </td>
              {i === 0 && (
                <td rowSpan={rows.length} className="errors">
                  {props.dumps.filter((d) => d.fileId === f.id).map((d) => (
                    <DumpTime key={d.id} dump={d} onChange={(us) => setDumpTime.mutate({ fileId: f.id, takenAt: us })} />
                  ))}
                  {f.errors.map((e, k) => <div key={k} className="error">{e}</div>)}
                  {f.notes.map((n, k) => <div key={`n${k}`} className="muted">{n}</div>)}
                </td>
              )}
            </tr>
          ));
        })}
      </tbody>
    </table>
    {ordered.length > shown.length && (
      <button type="button" className="more" onClick={() => setLimit(limit + PAGE)}>
        Show {Math.min(PAGE, ordered.length - shown.length)} more ({ordered.length - shown.length} not shown)
      </button>
    )}
    </>
  );
}

function DumpTime({ dump, onChange }: { dump: DumpInfo; onChange: (us: number) => void }) {
  const value = dump.takenAt !== null ? new Date(dump.takenAt / 1000).toISOString().slice(0, 19) : '';
  return (
    <label className="dump-time">
      {dump.process}{dump.pid !== null ? ` (pid ${dump.pid})` : ''} dump taken at (UTC){' '}
      <input
        type="datetime-local" step="1" defaultValue={value} aria-label={`Capture time of the ${dump.process} dump`}
        onBlur={(e) => {
          const ms = Date.parse(`${e.currentTarget.value}Z`);
          if (Number.isFinite(ms) && ms * 1000 !== dump.takenAt) onChange(ms * 1000);
        }}
      />
      <span className="muted"> {dump.takenAtSource === 'none' ? 'unknown: please set' : `from ${dump.takenAtSource}`}</span>
    </label>
  );
}

function holds(s: Source): string {
  const parts: string[] = [];
  if (s.metrics.length) parts.push(`${s.metrics.length} metric series`);
  if (s.goroutines) parts.push(`${s.goroutines.toLocaleString('en-US')} goroutines`);
  if (s.events) parts.push(`${s.events} events`);
  return parts.join(', ');
}

function TimeCell({ source: s, onOffset, onZone }: { source: Source; onOffset: (us: number) => void; onZone: (min: number) => void }) {
  const t = s.time;
  const label = t.basis === 'utc' ? 'absolute stamps' : t.basis === 'local' ? `local time, UTC${fmtZone(s.zoneOffsetMin)} (${zoneSourceText(t.zoneSource)})` : t.basis === 'none' ? 'no time' : 'seconds since boot';
  return (
    <div>
      <div>{label}</div>
      {t.basis === 'local' && <div className="muted">year {t.year ?? '?'} ({t.yearSource})</div>}
      {t.basis === 'local' && (
        <label className="offset">
          zone{' '}
          <select aria-label={`Time zone of ${s.path} (${s.origin})`} value={s.zoneOffsetMin} onChange={(e) => onZone(Number(e.currentTarget.value))}>
            {zoneChoices(s.zoneOffsetMin).map((z) => <option key={z} value={z}>UTC{fmtZone(z)}</option>)}
          </select>
        </label>
      )}
      {t.notes.length > 0 && <div className="muted notes" title={t.notes.join('\n')}>{t.notes[0]}</div>}
      {t.basis !== 'none' && (
        <label className="offset">
          clock offset (s){' '}
          <input
            type="number" step="0.001" defaultValue={s.clockOffsetUs / 1e6} aria-label={`Clock offset of ${s.path} (${s.origin})`}
            onBlur={(e) => {
              const v = Number(e.currentTarget.value);
              if (Number.isFinite(v) && Math.round(v * 1e6) !== s.clockOffsetUs) onOffset(Math.round(v * 1e6));
            }}
          />
        </label>
      )}
    </div>
  );
}
