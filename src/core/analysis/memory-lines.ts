// What one line says about memory: the lines of a kernel OOM report (who invoked the killer, the
// memory cgroup's usage and limit, the constraint and cgroups, the victim, the reaper), containerd's
// TaskOOM event, kubelet's eviction manager reclaiming memory, node memory conditions, kubelet's
// system OOM notices and restart back-offs. memory.ts groups them into findings. Patterns accept
// the escaped form (`\"`) a journal JSON export gives a quoted message.

/** Where a kill was confined: a memory cgroup's limit, or the whole node (cpuset and mempolicy are node-level too). */
export type Constraint = 'memcg' | 'global' | 'cpuset' | 'mempolicy';

export type KernelOomLine =
  | { what: 'invoked'; comm: string; oomScoreAdj: number }
  | { what: 'usage'; usageKb: number; limitKb: number; failcnt: number }
  | { what: 'constraint'; constraint: Constraint; oomMemcg: string; taskMemcg: string; task: string; pid: number }
  | { what: 'task-in'; taskMemcg: string; oomMemcg: string }
  | { what: 'killed'; pid: number; process: string; memcg: boolean; anonRssKb: number }
  | { what: 'reaped'; pid: number; process: string };

// After the line's start, a bracketed or `kernel:` prefix, or `dmesg --time-format iso`'s stamp
// (tried first: the process name must not swallow it).
const INVOKED = /(?:^\d{4}-\d\d-\d\dT\S+ |^|[\]:] )(.+?) invoked oom-killer: .*?oom_score_adj=(-?\d+)/;
const USAGE = /(?:^\d{4}-\d\d-\d\dT\S+ |^|[\]:] )memory: usage (\d+)kB, limit (\d+)kB, failcnt (\d+)/;
const CONSTRAINT = /oom-kill:constraint=CONSTRAINT_(\w+)/;
const TASK_IN = /Task in (\S+) killed as a result of limit of (\S+)/;
/** `Out of memory: Killed process` (5.x), `Memory cgroup out of memory: Kill process … score … or sacrifice child` (≤ 4.x), or the old second line `Killed process …`. */
const KILLED = /(Memory cgroup out of memory: |Out of memory(?: \(oom_kill_allocating_task\))?: |\b)Kill(?:ed)? process (\d+) \(([^)]*)\)/;
const REAPED = /oom_reaper: reaped process (\d+) \(([^)]*)\)/;

export function kernelOomLine(text: string): KernelOomLine | null {
  let m = INVOKED.exec(text);
  if (m) return { what: 'invoked', comm: m[1]!.trim(), oomScoreAdj: Number(m[2]) };
  m = USAGE.exec(text);
  if (m) return { what: 'usage', usageKb: Number(m[1]), limitKb: Number(m[2]), failcnt: Number(m[3]) };
  m = CONSTRAINT.exec(text);
  if (m) {
    const field = (key: string): string => new RegExp(`[,=]${key}=([^,\\s]*)`).exec(text)?.[1] ?? '';
    return { what: 'constraint', constraint: constraintOf(m[1]!), oomMemcg: field('oom_memcg'), taskMemcg: field('task_memcg'), task: field('task'), pid: Number(field('pid')) || 0 };
  }
  m = TASK_IN.exec(text);
  if (m) return { what: 'task-in', taskMemcg: m[1]!, oomMemcg: m[2]! };
  m = REAPED.exec(text);
  if (m) return { what: 'reaped', pid: Number(m[1]), process: m[2]! };
  m = KILLED.exec(text);
  if (m) return { what: 'killed', pid: Number(m[2]), process: m[3]!, memcg: m[1]!.startsWith('Memory cgroup'), anonRssKb: Number(/anon-rss:(\d+)kB/.exec(text)?.[1] ?? 0) };
  return null;
}

function constraintOf(name: string): Constraint {
  switch (name) {
    case 'MEMCG':
      return 'memcg';
    case 'CPUSET':
      return 'cpuset';
    case 'MEMORY_POLICY':
      return 'mempolicy';
    default:
      return 'global';
  }
}

/**
 * What a memory cgroup path names: the pod (cgroup v1 `/kubepods/burstable/pod<uid>/<id>`, the
 * systemd driver's `kubepods-burstable-pod<uid with _>.slice/cri-containerd-<id>.scope`) and the
 * container (containerd, CRI-O, Docker scopes).
 */
export function cgroupNames(path: string): { podUid: string; containerId: string; kubepods: boolean } {
  const pod = /pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})/.exec(path)?.[1]?.replace(/_/g, '-') ?? '';
  const containerId = /\/(?:cri-containerd-|crio-|docker-)?([0-9a-f]{64})(?:\.scope)?\/?$/.exec(path)?.[1] ?? '';
  return { podUid: pod, containerId, kubepods: /kubepods/.test(path) };
}

/**
 * Who ran out: `container` (its own limit), `pod` (the pod's cgroup limit), `pods` (kubepods or a
 * QoS class cgroup: node allocatable, all pods together), `system` (another cgroup's limit: a
 * systemd unit) or `node` (no cgroup limit: the node ran out).
 */
export type OomScope = 'container' | 'pod' | 'pods' | 'system' | 'node';

export function scopeOf(constraint: Constraint, limitedCgroup: string): OomScope {
  if (constraint !== 'memcg') return 'node';
  const n = cgroupNames(limitedCgroup);
  if (n.containerId) return 'container';
  if (n.podUid) return 'pod';
  return n.kubepods ? 'pods' : 'system';
}

/** containerd's `TaskOOM event container_id:"<id>"` (1.7) or `&TaskOOM{ContainerID:<id>,…}` (older): the container id. */
export function taskOomContainer(text: string): string | null {
  if (!text.includes('TaskOOM')) return null;
  return /(?:container_id:\\*"?|ContainerID:)([0-9a-f]{12,64})/.exec(text)?.[1] ?? '';
}

export type KubeletMemoryLine =
  | { what: 'reclaim'; resource: string }
  | { what: 'ranked'; pods: string[] }
  | { what: 'evicted' | 'failed'; pod: string; resource: string }
  | { what: 'condition'; insufficient: boolean }
  | { what: 'system-oom'; process: string; pid: number; constraint: Constraint | ''; podUid: string; victimCgroup: string };

const EVICTION_MANAGER = /[Ee]viction manager: ?(.*)/;

/** A kubelet line about node memory, or about an eviction episode (any resource: the caller keeps memory's). */
export function kubeletMemoryLine(text: string): KubeletMemoryLine | null {
  const em = EVICTION_MANAGER.exec(text);
  if (em) {
    const rest = em[1]!;
    const resource = field(rest, 'resourceName') || (/to reclaim ([\w.-]+)/.exec(rest)?.[1] ?? '');
    if (/^(?:attempting to reclaim|must evict pod\(s\) to reclaim)/.test(rest)) return { what: 'reclaim', resource };
    if (rest.startsWith('pods ranked for eviction')) return { what: 'ranked', pods: podsOf(rest) };
    if (/failed to evict/.test(rest)) return { what: 'failed', pod: field(rest, 'pod') || oldPod(rest), resource: '' };
    if (/evicted successfully/.test(rest)) return { what: 'evicted', pod: field(rest, 'pod') || oldPod(rest), resource: '' };
    return null;
  }
  if (/NodeHasInsufficientMemory/.test(text)) return { what: 'condition', insufficient: true };
  if (/NodeHasSufficientMemory/.test(text)) return { what: 'condition', insufficient: false };
  if (/reason[=:] ?\\*["']?Evicted\b/.test(text)) {
    const resource = /low on resource: ([\w.-]+)/.exec(text)?.[1] ?? '';
    return { what: 'evicted', pod: /object=\\*"([^"\\]+)/.exec(text)?.[1] ?? /Namespace:\\*"([^"\\]+)\\*", Name:\\*"([^"\\]+)/.exec(text)?.slice(1, 3).join('/') ?? '', resource };
  }
  if (/Got sys oom event|reason[=:] ?\\*["']?SystemOOM/.test(text)) {
    const victimCgroup = /VictimContainerName:([^\s,}]+)/.exec(text)?.[1] ?? '';
    const c = /Constraint:CONSTRAINT_(\w+)/.exec(text)?.[1];
    return {
      what: 'system-oom',
      process: /ProcessName:([^\s,}]+)/.exec(text)?.[1] ?? /victim process: ([^,\s]+)/.exec(text)?.[1] ?? '',
      pid: Number(/\bPid:(\d+)/.exec(text)?.[1] ?? /\bpid: (\d+)/.exec(text)?.[1] ?? 0),
      constraint: c ? constraintOf(c) : '',
      podUid: cgroupNames(victimCgroup).podUid,
      victimCgroup,
    };
  }
  return null;
}

/** kubelet's restart back-off of a container: `CrashLoopBackOff: "back-off 40s restarting failed container=app pod=ns/app-x_ns(<uid>)"`. */
export function crashLoopLine(text: string): { container: string; pod: string; podUid: string; backoff: string } | null {
  if (!text.includes('CrashLoopBackOff')) return null;
  return {
    container: /restarting failed container=([\w.-]+)/.exec(text)?.[1] ?? /for \\*"([\w.-]+)\\*" with CrashLoopBackOff/.exec(text)?.[1] ?? '',
    // The record's own `pod="ns/name"`, not the `pod=name_ns(uid)` inside its error.
    pod: /\bpod[=:]\\*"([\w.-]+\/[\w.-]+)/.exec(text)?.[1] ?? (/container=[\w.-]+ pod=([\w.-]+)_([\w.-]+)\(/.exec(text)?.slice(1, 3).reverse().join('/') ?? ''),
    podUid: /\bpodUID[=:]\\*"?([0-9a-f-]{36})/.exec(text)?.[1] ?? /_[\w.-]+\(([0-9a-f-]{36})\)/.exec(text)?.[1] ?? '',
    backoff: /back-off (\w+) restarting/.exec(text)?.[1] ?? '',
  };
}

/** A structured field's value: `key="v"`, `key=v`, escaped `key=\"v\"`, klog JSON `"key":"v"`. */
function field(text: string, key: string): string {
  return new RegExp(`\\b${key}\\\\*"?[=:]\\s*\\\\*"?([^"\\\\\\s,}\\]]+)`).exec(text)?.[1] ?? '';
}

/** `pods=["ns/a","ns/b"]`, or old kubelets' `pods ranked for eviction: a_ns(uid), b_ns(uid)`. */
function podsOf(rest: string): string[] {
  const list = /pods=\[([^\]]*)\]/.exec(rest)?.[1];
  if (list !== undefined) return list.split(/[\s,]+/).map((p) => p.replace(/\\*"/g, '')).filter(Boolean);
  return [...rest.matchAll(/([a-z0-9][a-z0-9.-]*)_([a-z0-9][a-z0-9-]*)\(/g)].map((m) => `${m[2]}/${m[1]}`);
}

function oldPod(rest: string): string {
  const m = /([a-z0-9][a-z0-9.-]*)_([a-z0-9][a-z0-9-]*)\(/.exec(rest);
  return m ? `${m[2]}/${m[1]}` : '';
}
