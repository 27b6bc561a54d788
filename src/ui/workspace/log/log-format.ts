/** A line's identity across pages, the selection and the evidence: its source and byte offset. */
export function lineKey(l: { sourceId: string; offset: number }): string {
  return `${l.sourceId}|${l.offset}`;
}

/** The gutter's time: UTC time of day to the millisecond (the date is in the status bar). */
export function timeOfDay(ts: number): string {
  if (ts !== ts) return '';
  return new Date(ts / 1000).toISOString().slice(11, 23);
}

