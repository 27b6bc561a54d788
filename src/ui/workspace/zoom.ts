// Keyboard zoom and pan of the workspace window (the timeline, charts and log view follow the URL window).

/**
 * The window after a zoom (+/-) or pan (h/l) key, centred on the crosshair or the selected line;
 * null = the whole bundle. Pure, so the keyboard's arithmetic is tested without a page.
 */
export function zoomedWindow(
  key: string, current: { from: number; to: number } | null, extent: { from: number; to: number }, focus: number | null,
): { from: number; to: number } | null | undefined {
  const w = current ?? extent;
  const span = w.to - w.from;
  const centre = focus !== null && focus >= w.from && focus <= w.to ? focus : (w.from + w.to) / 2;
  const around = (half: number) => {
    const from = Math.max(extent.from, centre - half);
    return { from, to: Math.min(extent.to, from + 2 * half) };
  };
  switch (key) {
    case '+': case '=': return span > 2_000 ? around(span / 4) : undefined;
    case '-': return span * 2 >= extent.to - extent.from ? null : around(span);
    case '0': return null;
    case 'h': case 'l': {
      if (!current) return undefined;
      const d = (key === 'h' ? -span : span) / 2;
      const from = Math.min(Math.max(extent.from, current.from + d), extent.to - span);
      return { from, to: from + span };
    }
    default: return undefined;
  }
}

