/** Byte-array helpers shared by the pipeline's layers. */

/** The parts as one array of `total` bytes; a single part is returned as it is (no copy). */
export function joinBytes(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
