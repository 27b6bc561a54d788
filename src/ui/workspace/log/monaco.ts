// Only the editor core (no languages, no extra contributions) and its worker, bundled locally: the
// log view needs a read-only model, decorations and scrolling, nothing that would fetch anything.
import * as monaco from 'monaco-editor/editor/editor.api';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

self.MonacoEnvironment = { getWorker: () => new EditorWorker() };

/** A CSS variable's colour as #rrggbb, the only form Monaco's themes accept. */
function cssVar(name: string): string {
  const ctx = document.createElement('canvas').getContext('2d')!;
  ctx.fillStyle = '#808080';
  ctx.fillStyle = getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#808080';
  return String(ctx.fillStyle);
}

/** Themes taken from the page's CSS variables, so the editor matches light and dark. */
function defineThemes(): void {
  const colors = () => ({
    'editor.background': cssVar('--panel'),
    'editor.foreground': cssVar('--fg'),
    'editorLineNumber.foreground': cssVar('--muted'),
    'editorLineNumber.activeForeground': cssVar('--fg'),
    'editor.lineHighlightBackground': `${cssVar('--accent')}14`,
    'editor.lineHighlightBorder': '#00000000',
  });
  monaco.editor.defineTheme('causeway', { base: darkScheme.matches ? 'vs-dark' : 'vs', inherit: true, rules: [], colors: colors() });
}

const darkScheme = matchMedia('(prefers-color-scheme: dark)');
defineThemes();
darkScheme.addEventListener('change', () => {
  defineThemes();
  monaco.editor.setTheme('causeway');
});

export { monaco };
