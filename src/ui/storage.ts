// Durable storage: ask the browser not to evict our data, show what is used, and warn before a bundle
// that will not fit (a full disk mid-ingest leaves an incomplete bundle; better to say so first).

/** Raw bytes plus the line index and metric arrays: measured at ~1.1× the input for node logs. */
const STORED_PER_INPUT_BYTE = 1.15;

export interface StorageFacts {
  usage: number;
  quota: number;
  persisted: boolean;
}

export async function storageFacts(): Promise<StorageFacts | null> {
  if (!navigator.storage?.estimate) return null;
  const [est, persisted] = await Promise.all([navigator.storage.estimate(), navigator.storage.persisted?.() ?? Promise.resolve(false)]);
  return { usage: est.usage ?? 0, quota: est.quota ?? 0, persisted };
}

/** Asked once data is worth keeping; browsers may grant it silently (installed app, engagement) or not. */
export async function requestPersistence(): Promise<boolean> {
  try {
    return (await navigator.storage?.persist?.()) ?? false;
  } catch {
    return false;
  }
}

/** A warning when `inputBytes` of logs probably will not fit in what the browser lets this origin use. */
export async function fitWarning(inputBytes: number): Promise<string | null> {
  const f = await storageFacts();
  if (!f || !f.quota) return null;
  const need = inputBytes * STORED_PER_INPUT_BYTE;
  const free = f.quota - f.usage;
  if (need <= free) return null;
  const gb = (n: number) => `${(n / 1e9).toFixed(2)} GB`;
  return `These files need about ${gb(need)} of browser storage but only ${gb(Math.max(0, free))} is free (${gb(f.usage)} used of ${gb(f.quota)}). ` +
    'Delete older bundles first, or go on: what fits is kept and the bundle is marked incomplete.';
}
