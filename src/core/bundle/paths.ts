/** Member path hygiene: archive names come from untrusted bytes. */

export interface SanitizedPath {
  /** Normalised relative path ("" when nothing usable is left: skip the member). */
  path: string;
  /** Set when the name had to be changed in a way worth telling the user. */
  note?: string;
}

/**
 * Strips leading "/" (and a Windows drive prefix), drops "." and empty segments, resolves ".."
 * against earlier segments and drops the ones that would climb above the archive root, so
 * "../../x" becomes "x" and never escapes. Backslashes count as separators only for zip
 * (whose spec mandates "/", but Windows tools write "\").
 */
export function sanitizeMemberPath(raw: string, backslashIsSeparator = false): SanitizedPath {
  let name = backslashIsSeparator ? raw.replace(/\\/g, '/') : raw;
  name = name.replace(/^[A-Za-z]:\//, '/');
  const out: string[] = [];
  let climbed = false;
  for (const segment of name.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length > 0) out.pop();
      else climbed = true;
      continue;
    }
    out.push(segment.replace(/\0/g, ''));
  }
  const path = out.join('/');
  if (climbed) return { path, note: `member path "${raw}" climbs out of the archive: read as "${path}"` };
  return { path };
}

/** The name a gzipped single file is shown under: "kubelet.log.gz" → "kubelet.log", "x.tgz" → "x.tar". */
export function gunzippedName(path: string): string {
  if (/\.tgz$/i.test(path)) return path.slice(0, -4) + '.tar';
  const stripped = path.replace(/\.(gz|gzip)$/i, '');
  return stripped.length > 0 && !stripped.endsWith('/') && !stripped.endsWith('!') ? stripped : path;
}

/** "outer.tar.gz!/var/log/x.log" joining. */
export function memberPath(container: string, member: string): string {
  return `${container}!/${member}`;
}
