import { displayName, displayText } from '../../../core/display-text';
import type { Source } from '../../../core/model';

/** Beyond this many sources the legend names the first ones and counts the rest (10,000 pod logs happen). */
const LEGEND_MAX = 30;

export const PALETTE_SIZE = 10;

/** Which gutter colour is which source (origin and file). */
export function SourceLegend({ sources, colorOf }: { sources: Source[]; colorOf: (id: string) => number }) {
  return (
    <ul className="lv-legend" aria-label="Sources">
      {sources.slice(0, LEGEND_MAX).map((s) => (
        <li key={s.id} title={`${s.path} (${s.format})`} data-source-id={s.id} data-path={s.path}>
          <span className={`lv-swatch lv-src-${colorOf(s.id)}`} aria-hidden="true" />
          {displayText(s.origin)}
          <span className="muted"> {displayName(s.path.split('/').pop() ?? s.path, 80)}</span>
        </li>
      ))}
      {sources.length > LEGEND_MAX && <li className="muted">+{(sources.length - LEGEND_MAX).toLocaleString('en')} more sources</li>}
    </ul>
  );
}
