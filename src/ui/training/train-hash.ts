import { useSyncExternalStore } from 'react';
import { subscribeToFragment } from '../hooks/use-hash-route';

/**
 * The fragment when it is a training route, else null (the rest of the app routes as before). Kept
 * apart from route.ts so the entry chunk does not carry the scenario library.
 */
export function useTrainHash(): string | null {
  return useSyncExternalStore(subscribeToFragment, () => (location.hash.startsWith('#/train') ? location.hash : null));
}
