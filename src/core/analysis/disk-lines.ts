// What one line says about a full disk: the eviction manager reclaiming a disk resource and
// evicting pods for it (new structured wording, old `eviction manager: …` wording, klog JSON),
// node disk-pressure conditions, image and container garbage collection, and ENOSPC wherever it
// is written (containerd, kubelet, the kernel, journald). disk.ts groups these into findings.
// Every pattern accepts the escaped form (`\"`) a journal JSON export gives a quoted message.

/** Eviction resources and signals that are about disk space or inodes (memory and pids are not). */
const DISK_RESOURCE = /^(?:ephemeral-storage|nodefs|imagefs|containerfs|inodes|nodefsInodes|imagefsInodes|nodefs\.available|nodefs\.inodesFree|imagefs\.available|imagefs\.inodesFree|containerfs\.available|containerfs\.inodesFree)$/;

export function isDiskResource(resource: string): boolean {
  return DISK_RESOURCE.test(resource);
}

/** A structured field's value: klog text `key="v"` or `key=v`, escaped `key=\"v\"`, klog JSON `"key":"v"`. */
export function fieldOf(text: string, key: string): string {
  const m = new RegExp(`\\b${key}\\\\*"?[=:]\\s*\\\\*"?([^"\\\\\\s,}\\]]+)`).exec(text);
  return m ? m[1]! : '';
}

export type EvictionLine =
  | { what: 'reclaim' | 'must-evict' | 'reduced'; resource: string }
  | { what: 'ranked'; pods: string[] }
  | { what: 'evicted' | 'failed' | 'critical'; pod: string }
  | { what: 'condition'; pressure: boolean; disk: boolean }
  | { what: 'threshold-met'; resource: string }
  | { what: 'evicted-event'; pod: string; disk: boolean; consumer: Consumer | null };

/** What an eviction event's message says used the space (kubelet's eviction message templates). */
export interface Consumer {
  cause: 'emptydir' | 'container-limit' | 'pod-limit' | 'largest-consumer';
  container: string;
  volume: string;
  /** Usage (largest-consumer) or limit as kubelet printed it (`14Gi`, `5312Ki`). */
  quantity: string;
}

/** Old kubelets name a pod `name_namespace(uid)`; the new ones `namespace/name`. */
const OLD_POD = /([a-z0-9][a-z0-9.-]*)_([a-z0-9][a-z0-9-]*)\(/g;

/** An eviction manager line or a node condition / eviction event, or null. */
export function evictionLine(text: string): EvictionLine | null {
  const em = /[Ee]viction manager: ?/.exec(text);
  if (em) {
    const rest = text.slice(em.index + em[0].length);
    const resource = (): string => fieldOf(rest, 'resourceName') || (/to reclaim ([\w.-]*[\w-])/.exec(rest)?.[1] ?? '');
    if (rest.startsWith('attempting to reclaim')) return { what: 'reclaim', resource: resource() };
    if (rest.startsWith('must evict pod(s) to reclaim')) return { what: 'must-evict', resource: resource() };
    if (rest.startsWith('able to reduce')) return { what: 'reduced', resource: resource() };
    if (rest.startsWith('pods ranked for eviction')) return { what: 'ranked', pods: podsOf(rest) };
    if (/^pod failed to evict/.test(rest) || /\bfailed to evict\b/.test(rest)) return { what: 'failed', pod: podOf(rest) };
    if (/is evicted successfully|evicted successfully/.test(rest)) return { what: 'evicted', pod: podOf(rest) };
    if (rest.startsWith('cannot evict a critical pod')) return { what: 'critical', pod: podOf(rest) };
    return null;
  }
  const node = /\b(NodeHas(?:No)?DiskPressure|NodeHas(?:Insufficient|Sufficient)\w+|NodeHas(?:No)?\w*Pressure)\b/.exec(text);
  if (node && /Recording|event|Event/.test(text)) {
    const name = node[1]!;
    return { what: 'condition', pressure: !name.startsWith('NodeHasNo') && !name.startsWith('NodeHasSufficient'), disk: name.includes('Disk') };
  }
  if (/reason[=:] ?\\*["']?EvictionThresholdMet/.test(text)) {
    return { what: 'threshold-met', resource: /[Aa]ttempting to reclaim ([\w.-]*[\w-])/.exec(text)?.[1] ?? '' };
  }
  if (/reason[=:] ?\\*["']?Evicted\b/.test(text)) {
    const consumer = consumerOf(text);
    const low = /low on resource: ([\w.-]*[\w-])/.exec(text)?.[1] ?? '';
    const condition = /had condition: \[?(\w+)/.exec(text)?.[1] ?? '';
    const disk = consumer !== null || isDiskResource(low) || condition === 'DiskPressure';
    return { what: 'evicted-event', pod: eventPodOf(text), disk, consumer };
  }
  return null;
}

function consumerOf(text: string): Consumer | null {
  const q = String.raw`\\*"?([\w.-]+)\\*"?`;
  let m = new RegExp(String.raw`Usage of EmptyDir volume ${q} exceeds the limit ${q}`).exec(text);
  if (m) return { cause: 'emptydir', container: '', volume: m[1]!, quantity: m[2]! };
  m = new RegExp(String.raw`Container ([\w.-]+) exceeded its local ephemeral storage limit ${q}`).exec(text);
  if (m) return { cause: 'container-limit', container: m[1]!, volume: '', quantity: m[2]! };
  m = /Pod ephemeral local storage usage exceeds the total limit of containers ([\w.]+)/.exec(text);
  if (m) return { cause: 'pod-limit', container: '', volume: '', quantity: m[1]! };
  m = /Container ([\w.-]+) was using ([\w.]+), (?:request is|which exceeds its request of) [\w.]+(?:, has larger consumption of ([\w.-]*[\w-]))?/.exec(text);
  if (m && (m[3] === undefined || isDiskResource(m[3]))) return { cause: 'largest-consumer', container: m[1]!, volume: '', quantity: m[2]! };
  return null;
}

/** The pod of an eviction manager line: `pod="ns/name"`, klog JSON `"pod":{"name":…,"namespace":…}`, or old `name_ns(uid)`. */
export function podOf(text: string): string {
  const f = fieldOf(text, 'pod');
  if (f.includes('/')) return f;
  const json = /"pod":\{"name":"([^"]+)","namespace":"([^"]+)"/.exec(text);
  if (json) return `${json[2]}/${json[1]}`;
  OLD_POD.lastIndex = 0;
  const old = OLD_POD.exec(text);
  return old ? `${old[2]}/${old[1]}` : '';
}

function podsOf(text: string): string[] {
  const list = /pods\\*"?[=:]\s*\[([^\]]*)\]/.exec(text);
  if (list) return list[1]!.split(/[\s,]+/).map((p) => p.replace(/[\\"]/g, '')).filter((p) => p.includes('/'));
  return [...text.matchAll(OLD_POD)].map((m) => `${m[2]}/${m[1]}`);
}

/** The pod an event is about: structured `object="ns/name"`, legacy `Namespace:"ns", Name:"name"`. */
function eventPodOf(text: string): string {
  const f = fieldOf(text, 'object');
  if (f.includes('/')) return f;
  const m = /Namespace:\\*"([^"\\]*)\\*", Name:\\*"([^"\\]+)/.exec(text);
  return m ? `${m[1]}/${m[2]}` : '';
}

export type GcLine =
  | { what: 'over-threshold'; usage: number; high: number; toFree: number }
  | { what: 'removing' | 'delete-images' | 'delete-containers' }
  | { what: 'failed'; target: 'images' | 'containers'; repeated: boolean; wanted: number; freed: number };

/** Kubelet's image and container garbage collection: working under pressure, or failing. */
export function gcLine(text: string): GcLine | null {
  if (/[Gg]arbage collection failed|failed to garbage collect|FreeDiskSpaceFailed|ImageGCFailed/.test(text)) {
    // "Attempted to free N bytes, but only found M bytes eligible to free" (≤ 1.28), "wanted to free N bytes, but freed M bytes" (newer).
    const m = /(?:[Aa]ttempted|[Ww]anted) to free (\d+) bytes, but (?:only found|freed) (\d+) bytes/.exec(text);
    const target = /[Cc]ontainer garbage collection/.test(text) ? 'containers' : 'images';
    return { what: 'failed', target, repeated: /multiple times in a row/.test(text), wanted: m ? Number(m[1]) : NaN, freed: m ? Number(m[2]) : NaN };
  }
  if (/Disk usage on image filesystem/.test(text)) {
    // Structured `usage=91 highThreshold=85 amountToFree=…`, old `is at 91% which is over the high threshold (85%). Trying to free N bytes`.
    const usage = Number(fieldOf(text, 'usage') || /is at (\d+)%/.exec(text)?.[1] || NaN);
    const high = Number(fieldOf(text, 'highThreshold') || /high threshold \((\d+)%\)/.exec(text)?.[1] || NaN);
    const toFree = Number(fieldOf(text, 'amountToFree') || /to free (\d+) bytes/.exec(text)?.[1] || NaN);
    return { what: 'over-threshold', usage, high, toFree };
  }
  if (/[Rr]emoving image/.test(text)) return { what: 'removing' };
  if (/delete unused images/.test(text)) return { what: 'delete-images' };
  if (/delete unused containers/.test(text)) return { what: 'delete-containers' };
  return null;
}

const ENOSPC = /[Nn]o space left on device|\bENOSPC\b|errno:? -?28\b|with error 28\b|Failed to write entry .*ignoring|Journal file .* is truncated, ignoring/;
/**
 * ENOSPC that is not a full disk: inotify watches exhausted (`inotify_add_watch …: no space left
 * on device` is fs.inotify.max_user_watches), a pod's /dev/shm, SysV semaphores or IPC.
 */
const NOT_DISK = /inotify|\/dev\/shm|semget|shmget|msgget|too many open files/i;

export type NoSpaceOp = 'create' | 'sandbox' | 'journal' | 'kernel' | 'log' | 'write';

export interface NoSpaceLine {
  op: NoSpaceOp;
  /** Where the line says the write went, reduced to its directory of record (`/var/lib/containerd`), or ''. */
  path: string;
}

/** A line saying a write failed for want of space on a disk, or null. */
export function noSpaceLine(text: string, origin: string): NoSpaceLine | null {
  if (!ENOSPC.test(text) || NOT_DISK.test(text)) return null;
  const path = pathRootOf(text);
  let op: NoSpaceOp = 'write';
  if (origin === 'kernel') op = 'kernel';
  else if (/journald|Journal file|Failed to write entry|system journal/.test(text) || origin.includes('journal')) op = 'journal';
  else if (/RunPodSandbox|[Pp]od sandbox|CreatePodSandbox/.test(text)) op = 'sandbox';
  else if (/CreateContainer|create containerd container|StartContainer|failed to create|failed to start|CreateContainerError|failed to mount|failed to prepare/.test(text)) op = 'create';
  else if (path === '/var/log') op = 'log';
  return { op, path };
}

/** Directories a full node's writes go to, longest first: the line's path is reported as one of these. */
const ROOTS = ['/var/lib/containerd', '/var/lib/kubelet', '/var/lib/docker', '/var/lib/etcd', '/var/log', '/run/containerd', '/tmp', '/run'];

function pathRootOf(text: string): string {
  const m = /(?:^|[\s"'=(\\])(\/(?:var|run|tmp|data|mnt|opt|home|srv)(?:\/[^\s"'\\:;,)]*)?)/.exec(text);
  if (!m) return '';
  const p = m[1]!;
  const root = ROOTS.find((r) => p === r || p.startsWith(`${r}/`));
  if (root) return root;
  return p.split('/').slice(0, 4).join('/');
}
