/** `2023-06-02 05:48:06.350` (UTC): one readable format for every time the workspace shows. */
export function fmtUtc(us: number): string {
  if (!Number.isFinite(us)) return '—';
  return new Date(us / 1000).toISOString().replace('T', ' ').slice(0, 23);
}

/** A duration in µs as `42 s`, `3 min 20 s`, `1 h 5 min`. */
export function fmtSpan(us: number): string {
  if (!Number.isFinite(us) || us < 0) return '—';
  const s = us / 1e6;
  if (s < 1) return `${Math.round(us / 1000)} ms`;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min${Math.round(s % 60) ? ` ${Math.round(s % 60)} s` : ''}`;
  const h = Math.floor(m / 60);
  return `${h} h${m % 60 ? ` ${m % 60} min` : ''}`;
}
