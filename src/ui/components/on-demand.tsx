import { createElement, useEffect, useReducer, type ComponentType, type ReactNode } from 'react';

export interface OnDemand<P> {
  (props: P): ReactNode;
  /** Starts loading the code now (e.g. while an ingest runs, before the view is needed). */
  preload(): Promise<unknown>;
}

/**
 * A component whose code loads when first shown, like React.lazy but without Suspense: once a
 * Suspense boundary has shown its fallback, React holds the real content back for up to 300 ms
 * (its reveal throttle), and that delay landed on every bundle opening and first timeline paint.
 * Here the fallback is plain state, and the view appears the moment its chunk has loaded.
 */
export function onDemand<P extends object>(load: () => Promise<ComponentType<P>>, fallback: ReactNode): OnDemand<P> {
  let loaded: ComponentType<P> | null = null;
  let failed: string | null = null;
  let pending: Promise<unknown> | null = null;
  const preload = () => (pending ??= load().then(
    (c) => { loaded = c; },
    (err: unknown) => { failed = err instanceof Error ? err.message : String(err); },
  ));
  function Loaded(props: P): ReactNode {
    const [, rerender] = useReducer((n: number) => n + 1, 0);
    useEffect(() => {
      if (loaded || failed) return;
      let live = true;
      void preload().then(() => { if (live) rerender(); });
      return () => { live = false; };
    }, []);
    if (failed) return <p role="alert">This part of the page could not be loaded ({failed}); reload the page to try again.</p>;
    return loaded ? createElement(loaded, props) : fallback;
  }
  return Object.assign(Loaded, { preload });
}
