import type { DumpSummary } from '../../../store/goroutine-queries';
import { formatTs } from '../../format';

/** `1–37 min`, `37 min`, `≤ 37 min` (some under a minute) or `< 1 min`: Go prints waits from one minute on. */
export function waitRange(min: number, max: number): string {
  if (max <= 0) return '< 1 min';
  if (min === max) return `${max} min`;
  return min === 0 ? `≤ ${max} min` : `${min}–${max} min`;
}

/** A function name split so the eye lands on `metadata.(*DB).Update`, not on the module path. */
export function splitFn(fn: string): { pkgPath: string; name: string } {
  const slash = fn.lastIndexOf('/', fn.indexOf('.', fn.lastIndexOf('/') + 1));
  return slash < 0 ? { pkgPath: '', name: fn } : { pkgPath: fn.slice(0, slash + 1), name: fn.slice(slash + 1) };
}

export function dumpLabel(d: DumpSummary): string {
  const when = d.takenAt === null ? 'capture time unknown' : `${formatTs(d.takenAt)} UTC`;
  // Two dumps of one process often share a file name: the folder tells them apart.
  const file = d.file.split('/').slice(-2).join('/');
  return `${d.process}${d.pid !== null ? ` pid ${d.pid}` : ''} · ${when} · ${d.goroutines} goroutines · ${file}`;
}

/**
 * Dumps another dump can be compared with: another capture of the same process. A dump whose
 * file did not tell the pid (a renamed copy) is taken to be of the same process as its namesake.
 */
export function sameProcess(a: DumpSummary, b: DumpSummary): boolean {
  return a.id !== b.id && a.process === b.process && (a.pid === b.pid || a.pid === null || b.pid === null);
}
