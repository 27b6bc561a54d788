import { useCallback, useSyncExternalStore } from 'react';

/** The open bundle lives in the URL fragment (#/bundle/<id>) so reload and back/forward restore it. */
function read(): string | null {
  const m = /^#\/bundle\/([\w-]+)/.exec(location.hash);
  return m ? m[1]! : null;
}

function subscribe(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

export function useOpenBundleId(): [string | null, (id: string | null) => void] {
  const id = useSyncExternalStore(subscribe, read);
  const open = useCallback((next: string | null) => {
    location.hash = next ? `#/bundle/${next}` : '#/';
  }, []);
  return [id, open];
}

export function currentBundleId(): string | null {
  return read();
}
