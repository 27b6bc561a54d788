// One log written across rotated files (`kubelet.log.1.gz`, `kubelet.log-20240602`, `kubelet.log`)
// is one stream to a detector that measures gaps: a stall that spans a rotation is one gap.

const COMPRESSED = /\.(?:gz|bz2|xz|zst|lz4)$/i;
/** logrotate's numbered copies and its dateext (`-20240602`, `-2024060213`, `.2024-06-02`). */
const ROTATED = /(?:\.\d{1,3}|[-.]\d{8}(?:\d{2})?|[-.]\d{4}-\d{2}-\d{2}(?:[T_-]\d{2}[-:]?\d{2}[-:]?\d{2})?)$/;

/** The path a rotated copy was rotated from: its folder (archives as folders) and its name without rotation suffixes. */
export function streamPathOf(path: string): string {
  const flat = path.replace(/!\//g, '/');
  const cut = flat.lastIndexOf('/') + 1;
  let name = flat.slice(cut);
  for (let i = 0; i < 3; i++) {
    const next = name.replace(COMPRESSED, '').replace(ROTATED, '');
    if (next === name || next === '') break;
    name = next;
  }
  return flat.slice(0, cut) + name;
}
