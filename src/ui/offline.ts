// Offline support: the generated service worker precaches every built file (Monaco and ECharts
// included). Its install costs ~1.4 s of CPU, so on a 2-core machine it must not run beside an
// ingest or the first paint of the bundle that follows: registration waits for a quiet moment
// after load, and for a few seconds after any ingest ends.
import { ingestStore } from './ingest-service';

const QUIET_AFTER_LOAD_MS = 3000;
const QUIET_AFTER_INGEST_MS = 5000;

export function registerOfflineWhenQuiet(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL })
      .catch((err: unknown) => console.warn('offline support unavailable:', err));
  };
  const whenQuiet = () => {
    if (!ingestStore.get().running) {
      if (typeof requestIdleCallback === 'function') requestIdleCallback(register, { timeout: 2000 });
      else register();
      return;
    }
    const unsubscribe = ingestStore.subscribe(() => {
      if (ingestStore.get().running) return;
      unsubscribe();
      setTimeout(whenQuiet, QUIET_AFTER_INGEST_MS);
    });
  };
  setTimeout(whenQuiet, QUIET_AFTER_LOAD_MS);
}
