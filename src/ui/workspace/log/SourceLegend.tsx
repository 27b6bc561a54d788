import type { Source } from '../../../core/model';

export const PALETTE_SIZE = 10;

/** Which gutter colour is which source (origin and file). */
export function SourceLegend({ sources, colorOf }: { sources: Source[]; colorOf: (id: string) => number }) {
  return (
    <ul className="lv-legend" aria-label="Sources">
      {sources.map((s) => (
        <li key={s.id} title={`${s.path} (${s.format})`} data-source-id={s.id} data-path={s.path}>
          <span className={`lv-swatch lv-src-${colorOf(s.id)}`} aria-hidden="true" />
          {s.origin}
          <span className="muted"> {s.path.split('/').pop()}</span>
        </li>
      ))}
    </ul>
  );
}
