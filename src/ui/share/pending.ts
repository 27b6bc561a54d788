// A share link opened without its bundle waits here while the user drops the files; the App checks
// each finished ingest against it (same fingerprint → full view; another bundle → mismatch message).

import type { SharedState } from '../../core/share/state';

let pending: SharedState | null = null;
let notice: string | null = null;
const listeners = new Set<() => void>();

export const pendingShare = {
  get: () => pending,
  notice: () => notice,
  set(s: SharedState | null, message: string | null = null) {
    pending = s;
    notice = message;
    for (const l of listeners) l();
  },
  subscribe(cb: () => void) {
    listeners.add(cb);
    return () => { listeners.delete(cb); };
  },
};
