import { formatTs } from '../../format';

/** A short axis label (UTC) whose precision follows the visible span. */
export function fmtAxis(us: number, spanUs: number): string {
  const full = formatTs(us);
  // Over a year (an old rotated log, a wrong clock) the year is what tells labels apart.
  if (spanUs > 300 * 86_400e6) return full.slice(0, 10);
  if (spanUs > 2 * 86_400e6) return full.slice(5, 16);
  if (spanUs > 120e6) return full.slice(11, 16);
  if (spanUs > 5e6) return full.slice(11, 19);
  return full.slice(11, 23);
}
