const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `2023-06-02 05:48:06.350` (UTC) for a stamp in µs. */
export function fmtUtc(us: number): string {
  const d = new Date(us / 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/** A short axis label (UTC) whose precision follows the visible span. */
export function fmtAxis(us: number, spanUs: number): string {
  const full = fmtUtc(us);
  if (spanUs > 2 * 86_400e6) return full.slice(5, 16);
  if (spanUs > 120e6) return full.slice(11, 16);
  if (spanUs > 5e6) return full.slice(11, 19);
  return full.slice(11, 23);
}

/** `3 min 20 s`, `850 ms`: a duration for tooltips and the window label. */
export function fmtSpan(us: number): string {
  const s = us / 1e6;
  if (s < 1) return `${Math.round(us / 1000)} ms`;
  if (s < 120) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = s / 60;
  if (m < 120) return `${Math.floor(m)} min ${Math.round(s % 60)} s`;
  return `${(m / 60).toFixed(1)} h`;
}
