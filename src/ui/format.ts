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
  if (ts !== ts) return '—';
  return new Date(ts / 1000).toISOString().replace('T', ' ').replace('Z', '');
}

/** Offsets offered for a zone choice: every half hour, the odd quarter-hour zones, and the current one. */
export function zoneChoices(current: number | null): number[] {
  const list: number[] = [];
  for (let m = -12 * 60; m <= 14 * 60; m += 30) list.push(m);
  for (const extra of [345, 525, 765, 825]) list.push(extra);
  if (current !== null && !list.includes(current)) list.push(current);
  return list.sort((a, b) => a - b);
}
