import { useEffect, useState } from 'react';

/** The page's colours (CSS variables of styles.css), read for the canvas, which cannot use var(). */
export interface ThemeColors {
  panel: string;
  fg: string;
  muted: string;
  line: string;
  accent: string;
  error: string;
  warn: string;
  ok: string;
  dark: boolean;
}

function read(): ThemeColors {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    panel: v('--panel', '#ffffff'), fg: v('--fg', '#1d2330'), muted: v('--muted', '#5b6475'), line: v('--line', '#d9dde5'),
    accent: v('--accent', '#2457c5'), error: v('--error', '#b3261e'), warn: v('--warn', '#8a5a00'), ok: v('--ok', '#1e7a3c'),
    dark: matchMedia('(prefers-color-scheme: dark)').matches,
  };
}

/** The colours now, re-read when the system switches between light and dark. */
export function useThemeColors(): ThemeColors {
  const [colors, setColors] = useState(read);
  useEffect(() => {
    const mq = matchMedia('(prefers-color-scheme: dark)');
    const onChange = () => setColors(read());
    mq.addEventListener('change', onChange);
    return () => mq.removeEventListener('change', onChange);
  }, []);
  return colors;
}

/** Stacked density colours by level class (error, warn, info, other). */
export function classColors(c: ThemeColors): string[] {
  return [c.error, c.dark ? '#e0a43a' : '#d08c1a', c.dark ? '#5a7fc4' : '#8eaee6', c.dark ? '#4a5262' : '#c3c9d4'];
}

/** Line colours readable on both backgrounds (Tableau 10). */
export const SERIES_PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
