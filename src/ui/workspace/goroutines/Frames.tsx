import type { Goroutine } from '../../../core/formats/types';
import { argParts, type PointerIndex } from '../../../core/goroutines/pointers';
import { FnName } from './FnName';

interface Props {
  goroutine: Goroutine;
  pointers: PointerIndex;
  activePointer: string | null;
  onPointer: (pointer: string) => void;
}

/** One goroutine's stack: `fn(args)` with pointers shown by name, then `file:line`. */
export function Frames({ goroutine, pointers, activePointer, onPointer }: Props) {
  return (
    <ol className="gr-frames" data-testid="goroutine-frames" data-goroutine={goroutine.id}>
      {goroutine.frames.map((f, i) => (
        <li key={i} className="gr-frame" data-testid="goroutine-frame" data-fn={f.fn}>
          <div className="gr-call">
            <FnName fn={f.fn || '(unknown)'} />
            <span className="gr-args">(
              {f.args.map((arg, ai) => (
                <span key={ai}>
                  {ai > 0 && ', '}
                  {argParts(arg).map((p, pi) => ('pointer' in p ? (
                    <PointerName key={pi} pointer={p.pointer} pointers={pointers} active={p.pointer === activePointer} onClick={onPointer} />
                  ) : <span key={pi}>{p.text}</span>))}
                </span>
              ))}
            )</span>
          </div>
          <div className="gr-loc">{f.file}{f.line ? `:${f.line}` : ''}</div>
        </li>
      ))}
      {goroutine.createdBy && (
        <li className="gr-frame gr-created">
          <span className="gr-muted">created by </span><FnName fn={goroutine.createdBy} />
          {goroutine.createdByGoroutine !== null && <span className="gr-muted"> in goroutine {goroutine.createdByGoroutine}</span>}
        </li>
      )}
    </ol>
  );
}

function PointerName({ pointer, pointers, active, onClick }: { pointer: string; pointers: PointerIndex; active: boolean; onClick: (p: string) => void }) {
  const n = pointers.names.get(pointer);
  const shared = pointers.passing.get(pointer) ?? 0;
  return (
    <button
      type="button" className={`gr-ptr${shared > 1 ? ' shared' : ''}${active ? ' active' : ''}`}
      data-testid="pointer-name" data-pointer={pointer}
      title={`${pointer}: passed by ${shared} goroutine${shared === 1 ? '' : 's'} (click to list them)`}
      onClick={() => onClick(pointer)}
    >#{n}</button>
  );
}
