// The kernel's OOM report as 5.x kernels print it, for the memory variants: memcg kills (a
// container at its limit) and global kills (the node out of memory), with the cgroup paths of the
// systemd driver on cgroup v2 or of cgroupfs on v1, and the process names of the images' runtimes.

import type { TimedLine } from './chunks';
import type { Container, Pod } from './inventory';
import type { Plan } from './plan';
import type { Rng } from './rng';

/** How the node names pod cgroups: systemd driver (cgroup v2 on newer nodes) or cgroupfs (v1). */
export type CgroupLayout = 'systemd' | 'cgroupfs';

const RUNTIMES: [RegExp, string][] = [[/checkout|ledger|elasticsearch|jaeger/, 'java'], [/storefront/, 'node'], [/report-gen/, 'python3'], [/redis:/, 'redis-server'], [/nginx/, 'nginx'], [/fluent-bit/, 'fluent-bit']];

/** The process the kernel names (comm, 15 characters at most). */
export function commOf(c: Container): string {
  return (RUNTIMES.find(([re]) => re.test(c.image.ref))?.[1] ?? c.name).slice(0, 15);
}

export function podCgroup(layout: CgroupLayout, pod: Pod, qos: 'burstable' | 'besteffort' | 'guaranteed'): string {
  if (layout === 'cgroupfs') return qos === 'guaranteed' ? `/kubepods/pod${pod.uid}` : `/kubepods/${qos}/pod${pod.uid}`;
  const uid = pod.uid.replace(/-/g, '_');
  return qos === 'guaranteed' ? `/kubepods.slice/kubepods-pod${uid}.slice` : `/kubepods.slice/kubepods-${qos}.slice/kubepods-${qos}-pod${uid}.slice`;
}

export function containerCgroup(layout: CgroupLayout, podPath: string, containerId: string): string {
  return layout === 'cgroupfs' ? `${podPath}/${containerId}` : `${podPath}/cri-containerd-${containerId}.scope`;
}

export interface OomVictim {
  comm: string;
  pid: number;
  uid: number;
  oomScoreAdj: number;
  cgroup: string;
  containerId: string;
  anonRssKb: number;
}

/** One report, lines a few µs apart from `us` (as written). `limitKb` = 0: a global kill (constraint NONE). */
export function oomReport(plan: Plan, rng: Rng, us: number, v: OomVictim, limitKb: number, layout: CgroupLayout): TimedLine[] {
  const memcg = limitKb > 0;
  const invoker = memcg ? v.comm : rng.pick(['kworker/u8:2', 'kubelet', 'containerd', v.comm, 'systemd-journal']);
  const gfp = memcg ? '0xcc0(GFP_KERNEL)' : '0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO)';
  const lines = [
    `${invoker} invoked oom-killer: gfp_mask=${gfp}, order=0, oom_score_adj=${memcg ? v.oomScoreAdj : rng.pick([0, -999, 0])}`,
    `CPU: ${rng.int(0, plan.cpus - 1)} PID: ${memcg ? v.pid : rng.int(100, 40000)} Comm: ${invoker} Not tainted ${plan.kernel} #1`,
    'Hardware name: Amazon EC2 m5.xlarge/, BIOS 1.0 10/16/2017',
    'Call Trace:',
    ' <TASK>',
    ' dump_stack_lvl+0x4a/0x63',
    ' dump_header+0x4a/0x1f4',
    ' oom_kill_process.cold+0xb/0x10',
    ' out_of_memory+0x1bd/0x4f0',
    ...(memcg ? [' mem_cgroup_out_of_memory+0x13a/0x150', ' try_charge_memcg+0x73d/0x7a0', ' charge_memcg+0x45/0xb0'] : [' __alloc_pages_slowpath.constprop.0+0xc7f/0xd60', ' __alloc_pages+0x30a/0x320']),
    ' handle_mm_fault+0xd8/0x2c0',
    ' exc_page_fault+0x77/0x170',
    ' asm_exc_page_fault+0x22/0x30',
    ' </TASK>',
  ];
  if (memcg) {
    lines.push(`memory: usage ${limitKb}kB, limit ${limitKb}kB, failcnt ${rng.int(20, 9000)}`);
    lines.push(layout === 'cgroupfs' ? `memory+swap: usage ${limitKb}kB, limit 9007199254740988kB, failcnt 0` : 'swap: usage 0kB, limit 0kB, failcnt 0');
    if (layout === 'cgroupfs') lines.push(`kmem: usage ${rng.int(2000, 9000)}kB, limit 9007199254740988kB, failcnt 0`);
    lines.push(`Memory cgroup stats for ${v.cgroup}:`);
  } else {
    lines.push('Mem-Info:', `active_anon:${rng.int(1_000_000, 3_000_000)} inactive_anon:${rng.int(1000, 90000)} isolated_anon:0`, 'Free swap  = 0kB', 'Total swap = 0kB', `${Math.round(plan.memKb / 4)} pages RAM`);
  }
  lines.push('Tasks state (memory values in pages):', '[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name');
  lines.push(`[${String(v.pid).padStart(7)}] ${String(v.uid).padStart(5)} ${String(v.pid).padStart(5)} ${String(rng.int(900_000, 2_000_000)).padStart(8)} ${String(Math.round(v.anonRssKb / 4)).padStart(8)} ${String(rng.int(1_000_000, 3_000_000)).padStart(14)} ${'0'.padStart(8)} ${String(v.oomScoreAdj).padStart(13)} ${v.comm}`);
  const cpuset = layout === 'cgroupfs' ? v.containerId : `cri-containerd-${v.containerId}.scope`;
  lines.push(memcg
    ? `oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=${cpuset},mems_allowed=0,oom_memcg=${v.cgroup},task_memcg=${v.cgroup},task=${v.comm},pid=${v.pid},uid=${v.uid}`
    : `oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=${cpuset},mems_allowed=0,global_oom,task_memcg=${v.cgroup},task=${v.comm},pid=${v.pid},uid=${v.uid}`);
  lines.push(`${memcg ? 'Memory cgroup out of memory' : 'Out of memory'}: Killed process ${v.pid} (${v.comm}) total-vm:${rng.int(900_000, 8_000_000)}kB, anon-rss:${v.anonRssKb}kB, file-rss:${rng.int(1000, 40000)}kB, shmem-rss:0kB, UID:${v.uid} pgtables:${rng.int(1000, 20000)}kB oom_score_adj:${v.oomScoreAdj}`);
  let t = us;
  const out = lines.map((text) => ({ us: (t += rng.int(2, 40)), text }));
  out.push({ us: t + rng.int(2000, 90_000), text: `oom_reaper: reaped process ${v.pid} (${v.comm}), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB` });
  return out;
}
