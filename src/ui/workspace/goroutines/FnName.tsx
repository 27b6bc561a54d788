import { splitFn } from './format';

/** A Go function name with its module path muted (the full name stays in the tooltip and the text). */
export function FnName({ fn }: { fn: string }) {
  const { pkgPath, name } = splitFn(fn);
  return (
    <span className="gr-fn" title={fn}>
      {pkgPath && <span className="gr-pkg">{pkgPath}</span>}
      <span className="gr-fn-name">{name}</span>
    </span>
  );
}
