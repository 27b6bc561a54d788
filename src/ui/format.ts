export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1 << 20) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1 << 30) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  return `${(n / (1 << 30)).toFixed(2)} GiB`;
}

export function formatDuration(sec: number): string {
  if (sec < 1) return '<1 s';
  if (sec < 90) return `${Math.round(sec)} s`;
  return `${Math.floor(sec / 60)} min ${Math.round(sec % 60)} s`;
}

/** A stamp for tables: UTC, to the millisecond (the full µs is in the tooltip). */
export function formatTs(ts: number): string {
  if (!Number.isFinite(ts)) return '—';
  return new Date(ts / 1000).toISOString().replace('T', ' ').replace('Z', '');
}

/** A span of time in µs: `850 ms`, `42 s`, `3 min 20 s`, `2.5 h` (tooltips, windows, chains). */
export function formatSpanUs(us: number): string {
  if (!Number.isFinite(us) || us < 0) return '—';
  const s = us / 1e6;
  if (s < 1) return `${Math.round(us / 1000)} ms`;
  if (s < 120) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = s / 60;
  if (m < 120) return `${Math.floor(m)} min ${Math.round(s % 60)} s`;
  return `${(m / 60).toFixed(1)} h`;
}

/** Offsets offered for a zone choice: every half hour, the odd quarter-hour zones, and the current one. */
export function zoneChoices(current: number | null): number[] {
  const list: number[] = [];
  for (let m = -12 * 60; m <= 14 * 60; m += 30) list.push(m);
  for (const extra of [345, 525, 765, 825]) list.push(extra);
  if (current !== null && !list.includes(current)) list.push(current);
  return list.sort((a, b) => a - b);
}
