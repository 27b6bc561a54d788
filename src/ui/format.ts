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
