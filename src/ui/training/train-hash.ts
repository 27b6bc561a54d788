import { useSyncExternalStore } from 'react';

function subscribe(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

/**
 * The fragment when it is a training route, else null (the rest of the app routes as before). Kept
 * apart from route.ts so the entry chunk does not carry the scenario library.
 */
export function useTrainHash(): string | null {
  return useSyncExternalStore(subscribe, () => (location.hash.startsWith('#/train') ? location.hash : null));
}
