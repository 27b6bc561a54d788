// Quoting rules of the producers: Go's %q (klog values, logrus values) and logrus's bare tokens.

/** Go `strconv.Quote` for ASCII text. */
export function goQuote(s: string): string {
  let needs = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 92 || c < 32) {
      needs = true;
      break;
    }
  }
  if (!needs) return `"${s}"`;
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
}

const BARE = /^[A-Za-z0-9\-._/@^+]+$/;

/** A logrus text-formatter value: bare when it only has safe characters, else Go-quoted. */
export function logfmtValue(s: string): string {
  return s.length > 0 && BARE.test(s) ? s : goQuote(s);
}

/** Pod reference as klog prints it: `namespace/name`. */
export function kref(ns: string, name: string): string {
  return `"${ns}/${name}"`;
}
