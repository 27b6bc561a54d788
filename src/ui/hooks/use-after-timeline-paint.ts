import { useEffect, useState, useSyncExternalStore } from 'react';
import { perfCount, subscribePerf } from '../perf';

/** How long work waits for the timeline's first frame at most (a bundle may have nothing to draw). */
const WAIT_MS = 1000;

/**
 * True once the timeline has drawn its first frame (or after a second). The analysis and the log
 * view's editor wait for it: all three want the main thread while a bundle opens, and the
 * timeline is what the user looks at first.
 */
export function useAfterTimelinePaint(): boolean {
  const painted = useSyncExternalStore(subscribePerf, () => perfCount('timeline.paint') > 0);
  const [late, setLate] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => setLate(true), WAIT_MS);
    return () => clearTimeout(t);
  }, []);
  return painted || late;
}
