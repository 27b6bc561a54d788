import { splitFn } from './format';

/**
 * A Go function name with its module path muted, or left out (`short`) where space is tight;
 * the full name is always in the tooltip.
 */
export function FnName({ fn, short = false }: { fn: string; short?: boolean }) {
  const { pkgPath, name } = splitFn(fn);
  return (
    <span className="gr-fn" title={fn}>
      {pkgPath && !short && <span className="gr-pkg">{pkgPath}</span>}
      <span className="gr-fn-name">{name}</span>
    </span>
  );
}
