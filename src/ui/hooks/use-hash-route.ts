import { useCallback, useSyncExternalStore } from 'react';

/** The open bundle lives in the URL fragment (#/bundle/<id>) so reload and back/forward restore it. */
function read(): string | null {
  const m = /^#\/bundle\/([\w-]+)/.exec(location.hash);
  return m ? m[1]! : null;
}

/**
 * Calls `cb` when the fragment may have changed: a link or typed URL (hashchange), back/forward and
 * the workspace's own pushState/replaceState (popstate, which view-state dispatches itself).
 */
export function subscribeToFragment(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  window.addEventListener('popstate', cb);
  return () => {
    window.removeEventListener('hashchange', cb);
    window.removeEventListener('popstate', cb);
  };
}

export function useOpenBundleId(): [string | null, (id: string | null) => void] {
  const id = useSyncExternalStore(subscribeToFragment, read);
  const open = useCallback((next: string | null) => {
    // Opening the bundle already shown keeps its view (a restored share link sets window and
    // selection just before the ingest that brought its files returns).
    if (next !== null && next === read()) return;
    location.hash = next ? `#/bundle/${next}` : '#/';
  }, []);
  return [id, open];
}

export function currentBundleId(): string | null {
  return read();
}
