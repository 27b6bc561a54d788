// The memory detector on hand-written lines shaped like real ones: kernel OOM reports of several
// kernels (cgroup v1 and v2 paths, memcg and global, with and without the constraint line), in
// dmesg -T / journald kernel / raw dmesg, containerd TaskOOM (1.7 and older), kubelet evictions in
// new and old wording, node conditions and system OOM notices.

import { describe, expect, it } from 'vitest';
import { Level } from '../model';
import { detectMemory } from './memory';
import { cgroupNames, crashLoopLine, kernelOomLine, kubeletMemoryLine, scopeOf, taskOomContainer } from './memory-lines';
import { containerdLine, inputOf, kinds, kubeletLine } from './test-helpers';
import type { AnalysisInput, LineSignal } from './types';

const T0 = Date.UTC(2024, 4, 7, 10, 0, 0) * 1000;
const SEC = 1e6;

/** `May 07 10:26:20.118032 host kernel: <msg>`. */
function kernelLine(us: number, msg: string, host = 'ip-10-0-3-7'): string {
  const d = new Date(us / 1000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `May ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(us % 1e6).padStart(6, '0')} ${host} kernel: ${msg}`;
}

interface Victim {
  comm: string;
  pid: number;
  podUid: string;
  cid: string;
  limitKb: number;
}

const v2Path = (v: Victim, qos = 'burstable') => `/kubepods.slice/kubepods-${qos}.slice/kubepods-${qos}-pod${v.podUid.replace(/-/g, '_')}.slice/cri-containerd-${v.cid}.scope`;
const v1Path = (v: Victim) => `/kubepods/burstable/pod${v.podUid}/${v.cid}`;

/** A memcg OOM report as 5.x kernels print it. */
function memcgReport(v: Victim, path: string): string[] {
  return [
    `${v.comm} invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=936`,
    `CPU: 1 PID: ${v.pid} Comm: ${v.comm} Not tainted 5.15.0-1019-aws #23~20.04.1-Ubuntu`,
    'Call Trace:',
    ' <TASK>',
    ' dump_stack_lvl+0x4a/0x63',
    ' mem_cgroup_out_of_memory+0x13a/0x150',
    ' </TASK>',
    `memory: usage ${v.limitKb}kB, limit ${v.limitKb}kB, failcnt ${v.pid % 900}`,
    'swap: usage 0kB, limit 0kB, failcnt 0',
    `Memory cgroup stats for ${path}:`,
    'Tasks state (memory values in pages):',
    `oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=cri-containerd-${v.cid}.scope,mems_allowed=0,oom_memcg=${path},task_memcg=${path},task=${v.comm},pid=${v.pid},uid=1000`,
    `Memory cgroup out of memory: Killed process ${v.pid} (${v.comm}) total-vm:4938268kB, anon-rss:${v.limitKb - 9000}kB, file-rss:12000kB, shmem-rss:0kB, UID:1000 pgtables:1464kB oom_score_adj:936`,
    `oom_reaper: reaped process ${v.pid} (${v.comm}), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB`,
  ];
}

/** A global OOM report: no cgroup limit, the victim named by its task_memcg. */
function globalReport(v: Victim, invoker = 'kworker/u8:2'): string[] {
  const path = v2Path(v, 'besteffort');
  return [
    `${invoker} invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO), order=0, oom_score_adj=0`,
    'Mem-Info:',
    'Tasks state (memory values in pages):',
    `oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=${path},task=${v.comm},pid=${v.pid},uid=0`,
    `Out of memory: Killed process ${v.pid} (${v.comm}) total-vm:9123456kB, anon-rss:7340032kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:15000kB oom_score_adj:1000`,
  ];
}

const at = (lines: string[], fromUs: number, host?: string) => lines.map((l, i) => kernelLine(fromUs + i * 37, l, host)).join('\n');

const victimA: Victim = { comm: 'java', pid: 23456, podUid: '0f4c6a2e-91b3-4d7e-8a55-3c2b1d0e9f87', cid: 'a'.repeat(8) + '3c9d1e2f'.repeat(7), limitKb: 524288 };
const victimB: Victim = { comm: 'node', pid: 8812, podUid: 'b7e1d3c5-2a4f-4e6b-9c8d-7f1e2d3c4b5a', cid: '5e6f7a8b'.repeat(8), limitKb: 262144 };

describe('memory-lines', () => {
  it('reads the pod and container from v1 and v2 cgroup paths, any runtime', () => {
    expect(cgroupNames(v2Path(victimA))).toMatchObject({ podUid: victimA.podUid, containerId: victimA.cid });
    expect(cgroupNames(v1Path(victimB))).toMatchObject({ podUid: victimB.podUid, containerId: victimB.cid });
    expect(cgroupNames(`/kubepods.slice/kubepods-pod${victimB.podUid.replace(/-/g, '_')}.slice/crio-${victimB.cid}.scope`)).toMatchObject({ podUid: victimB.podUid, containerId: victimB.cid });
    expect(cgroupNames('/kubepods.slice/kubepods-burstable.slice')).toMatchObject({ podUid: '', containerId: '', kubepods: true });
  });

  it('says who ran out: the container, its pod, all pods, a system unit, or the node', () => {
    expect(scopeOf('memcg', v2Path(victimA))).toBe('container');
    expect(scopeOf('memcg', `/kubepods/burstable/pod${victimA.podUid}`)).toBe('pod');
    expect(scopeOf('memcg', '/kubepods.slice')).toBe('pods');
    expect(scopeOf('memcg', '/system.slice/containerd.service')).toBe('system');
    expect(scopeOf('global', v2Path(victimA))).toBe('node');
  });

  it('reads the kill line of old and new kernels, and not its reaper as a kill', () => {
    expect(kernelOomLine('[ 812.1] Memory cgroup out of memory: Kill process 4242 (python3) score 1000 or sacrifice child')).toMatchObject({ what: 'killed', pid: 4242, process: 'python3', memcg: true });
    expect(kernelOomLine('[ 812.2] Killed process 4242 (python3) total-vm:1000kB, anon-rss:2048kB, file-rss:0kB')).toMatchObject({ what: 'killed', pid: 4242, memcg: false, anonRssKb: 2048 });
    expect(kernelOomLine('oom_reaper: reaped process 4242 (python3), now anon-rss:0kB')).toMatchObject({ what: 'reaped', pid: 4242 });
    expect(kernelOomLine('C2 CompilerThre invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=-997')).toMatchObject({ what: 'invoked', comm: 'C2 CompilerThre', oomScoreAdj: -997 });
    expect(kernelOomLine('memory+swap: usage 524288kB, limit 9007199254740988kB, failcnt 0')).toBeNull();
    // dmesg --time-format iso: the stamp is neither the process nor in the way of the usage line.
    expect(kernelOomLine('2024-06-03T05:47:55,013101+00:00 node_exporter invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=998')).toMatchObject({ what: 'invoked', comm: 'node_exporter', oomScoreAdj: 998 });
    expect(kernelOomLine('2024-06-03T05:47:55,013123+00:00 memory: usage 204800kB, limit 204800kB, failcnt 1043')).toMatchObject({ what: 'usage', limitKb: 204800 });
  });

  it('reads containerd TaskOOM in both wordings', () => {
    expect(taskOomContainer(`msg="TaskOOM event container_id:\\"${victimA.cid}\\""`)).toBe(victimA.cid);
    expect(taskOomContainer(`msg="TaskOOM event &TaskOOM{ContainerID:${victimB.cid},XXX_unrecognized:[],}"`)).toBe(victimB.cid);
    expect(taskOomContainer('msg="TaskExit event in podsandbox handler"')).toBeNull();
  });

  it('reads kubelet eviction lines in new and old wording, and system OOM notices', () => {
    expect(kubeletMemoryLine('eviction_manager.go:366] "Eviction manager: attempting to reclaim" resourceName="memory"')).toEqual({ what: 'reclaim', resource: 'memory' });
    expect(kubeletMemoryLine('eviction_manager.go:335] eviction manager: attempting to reclaim memory')).toEqual({ what: 'reclaim', resource: 'memory' });
    expect(kubeletMemoryLine('eviction_manager.go:377] "Eviction manager: pods ranked for eviction" pods=["shop/cart-7d9f8b6c4-x2kqz","batch/report-1"]')).toEqual({ what: 'ranked', pods: ['shop/cart-7d9f8b6c4-x2kqz', 'batch/report-1'] });
    expect(kubeletMemoryLine('eviction_manager.go:364] eviction manager: pods ranked for eviction: cart-7d9f8b6c4-x2kqz_shop(0f4c6a2e-91b3-4d7e-8a55-3c2b1d0e9f87)')).toEqual({ what: 'ranked', pods: ['shop/cart-7d9f8b6c4-x2kqz'] });
    expect(kubeletMemoryLine('eviction_manager.go:596] "Eviction manager: pod is evicted successfully" pod="shop/cart-7d9f8b6c4-x2kqz"')).toMatchObject({ what: 'evicted', pod: 'shop/cart-7d9f8b6c4-x2kqz' });
    expect(kubeletMemoryLine('"Eviction manager: no observation found for eviction signal" signal="allocatableNodeFs.available"')).toBeNull();
    const sys = kubeletMemoryLine(`oom_watcher_linux.go:83] "Got sys oom event" event=&{Pid:${victimA.pid} ProcessName:java TimeOfDeath:2024-05-07 10:00:01.5 +0000 UTC ContainerName:${v2Path(victimA)} VictimContainerName:${v2Path(victimA)} Constraint:CONSTRAINT_MEMCG}`);
    expect(sys).toMatchObject({ what: 'system-oom', process: 'java', pid: victimA.pid, constraint: 'memcg', podUid: victimA.podUid });
  });

  it('reads a restart back-off: container, pod and UID', () => {
    const l = crashLoopLine(`pod_workers.go:1294] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"api\\" with CrashLoopBackOff: \\"back-off 40s restarting failed container=api pod=cart-7d9f8b6c4-x2kqz_shop(${victimA.podUid})\\"" pod="shop/cart-7d9f8b6c4-x2kqz" podUID="${victimA.podUid}"`);
    expect(l).toEqual({ container: 'api', pod: 'shop/cart-7d9f8b6c4-x2kqz', podUid: victimA.podUid, backoff: '40s' });
  });
});

describe('memory detector on parsed files', () => {
  it('memcg kills of one container (v2 paths, journald kernel lines): one finding, with the pod, container, limit and count; reaper and trace cited', async () => {
    const kern = [at(memcgReport(victimA, v2Path(victimA)), T0), at(memcgReport({ ...victimA, pid: 24001, cid: 'c'.repeat(64) }, v2Path({ ...victimA, cid: 'c'.repeat(64) })), T0 + 95 * SEC)].join('\n');
    const input = await inputOf({ 'journal/kernel.log': `${kern}\n` });
    const fs = detectMemory(input);
    const kills = kinds(fs, 'oom-kill');
    expect(kills).toHaveLength(1);
    expect(kills[0]!.facts).toMatchObject({ constraint: 'memcg', scope: 'container', process: 'java', pid: 24001, count: 2, podUid: victimA.podUid, containerId: 'c'.repeat(64), containers: 2, limitMb: 512 });
    // Every tapped line of both reports, the Call Trace and the reaper included.
    const lines = input.signals.filter((s) => /oom|Out of memory|Call Trace|memory: usage|reaped/.test(s.text)).length;
    expect(kills[0]!.evidence).toHaveLength(lines);
    expect(kills[0]!.from).toBeLessThan(kills[0]!.to);
  });

  it('a global kill (cgroup v1 kernel without a constraint line, dmesg -T) is the node running out', async () => {
    const old = [
      'python3 invoked oom-killer: gfp_mask=0x14200ca(GFP_HIGHUSER_MOVABLE), nodemask=(null), order=0, oom_score_adj=1000',
      'Out of memory: Kill process 8812 (python3) score 1523 or sacrifice child',
      'Killed process 8812 (python3) total-vm:9123456kB, anon-rss:7340032kB, file-rss:0kB, shmem-rss:0kB',
    ];
    const text = old.map((l, i) => `[Tue May  7 10:0${i}:00 2024] ${l}`).join('\n');
    const fs = detectMemory(await inputOf({ 'dmesg.log': `${text}\n` }));
    expect(kinds(fs, 'oom-kill').map((f) => [f.facts.scope, f.facts.constraint, f.facts.process, f.facts.pid, f.facts.count])).toEqual([['node', 'global', 'python3', 8812, 1]]);
  });

  it('a memcg kill whose report names no cgroup (rsyslog kept only the kill line) says so in its title', async () => {
    const line = 'Jun  3 00:00:05 worker2 kernel: Memory cgroup out of memory: Killed process 48213 (java) total-vm:8621200kB, anon-rss:2027400kB, file-rss:4832kB, shmem-rss:0kB, UID:1000 pgtables:5560kB oom_score_adj:998';
    const [kill] = kinds(detectMemory(await inputOf({ 'var/log/messages': `${line}\n` })), 'oom-kill');
    expect(kill!.title).toBe('java OOM-killed at the memory limit of its memory cgroup (the log names none) (1×)');
  });

  it('cgroup v1 memcg kill with the old "Task in … killed as a result of limit of" line', async () => {
    const path = v1Path(victimB);
    const text = [
      `node invoked oom-killer: gfp_mask=0x6000c0(GFP_KERNEL), nodemask=(null), order=0, oom_score_adj=999`,
      `Task in ${path} killed as a result of limit of ${path}`,
      `memory: usage ${victimB.limitKb}kB, limit ${victimB.limitKb}kB, failcnt 77`,
      `Memory cgroup out of memory: Kill process ${victimB.pid} (node) score 1998 or sacrifice child`,
      `Killed process ${victimB.pid} (node) total-vm:1200000kB, anon-rss:250000kB, file-rss:20000kB, shmem-rss:0kB`,
    ].map((l, i) => kernelLine(T0 + i * 1000, l)).join('\n');
    const [f, ...rest] = kinds(detectMemory(await inputOf({ 'kern.log': `${text}\n` })), 'oom-kill');
    expect(rest).toEqual([]);
    expect(f!.facts).toMatchObject({ scope: 'container', constraint: 'memcg', podUid: victimB.podUid, containerId: victimB.cid, limitMb: 256, count: 1 });
  });

  it('two containers killed in one minute stay two findings; a global kill at the same time is a third', async () => {
    const text = [at(memcgReport(victimA, v2Path(victimA)), T0), at(memcgReport(victimB, v1Path(victimB)), T0 + 20 * SEC), at(globalReport({ ...victimB, comm: 'python3', pid: 999 }), T0 + 40 * SEC)].join('\n');
    const fs = kinds(detectMemory(await inputOf({ 'journal/kernel.log': `${text}\n` })), 'oom-kill');
    expect(fs.map((f) => `${f.facts.scope}:${f.facts.process}`).sort()).toEqual(['container:java', 'container:node', 'node:python3']);
  });

  it('containerd TaskOOM is joined to the pod the kernel named; kubelet back-offs of that pod become a crash loop, of another pod do not', async () => {
    const kern = at(memcgReport(victimA, v2Path(victimA)), T0);
    const ctrd = [
      containerdLine(T0 + 2000, 'info', `TaskOOM event container_id:\\"${victimA.cid}\\"`),
      containerdLine(T0 + 90 * SEC, 'info', `TaskOOM event &TaskOOM{ContainerID:${'d'.repeat(64)},XXX_unrecognized:[],}`),
    ].join('\n');
    const backoff = (uid: string, ctr: string, pod: string) => `"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"${ctr}\\" with CrashLoopBackOff: \\"back-off 20s restarting failed container=${ctr} pod=${pod}_shop(${uid})\\"" pod="shop/${pod}" podUID="${uid}"`;
    const kube = [
      kubeletLine(T0 + 30 * SEC, 'E', 'pod_workers.go:1294', backoff(victimA.podUid, 'api', 'cart-1')),
      kubeletLine(T0 + 60 * SEC, 'E', 'pod_workers.go:1294', backoff(victimA.podUid, 'api', 'cart-1')),
      kubeletLine(T0 + 61 * SEC, 'E', 'pod_workers.go:1294', backoff(victimB.podUid, 'web', 'web-1')),
    ].join('\n');
    const input = await inputOf({ 'journal/kernel.log': `${kern}\n`, 'journal/containerd.log': `${ctrd}\n`, 'journal/kubelet.log': `${kube}\n` });
    const fs = detectMemory(input);
    const ooms = kinds(fs, 'task-oom');
    expect(ooms.map((f) => [f.facts.podUid, f.facts.count])).toEqual([[victimA.podUid, 1], ['', 1]]);
    const loops = kinds(fs, 'crash-loop');
    expect(loops.map((f) => [f.facts.podUid, f.facts.container, f.facts.count, f.facts.backoffSec])).toEqual([[victimA.podUid, 'api', 2, 20]]);
  });

  it('a memory reclaim episode: ranked and evicted lines join it; a disk episode right after is not memory', async () => {
    const l = (s: number, msg: string, file = 'eviction_manager.go:366') => kubeletLine(T0 + s * SEC, 'I', file, msg);
    const kube = [
      l(0, '"Eviction manager: attempting to reclaim" resourceName="memory"'),
      l(0.1, '"Eviction manager: must evict pod(s) to reclaim" resourceName="memory"'),
      l(0.2, '"Eviction manager: pods ranked for eviction" pods=["shop/cart-1","batch/report-2"]', 'eviction_manager.go:377'),
      l(2, '"Eviction manager: pod is evicted successfully" pod="shop/cart-1"', 'eviction_manager.go:596'),
      kubeletLine(T0 + 12 * SEC, 'E', 'eviction_manager.go:599', '"Eviction manager: pod failed to evict" err="timeout waiting to kill pod" pod="batch/report-2"'),
      l(13, '"Recording event message for node" node="n1" event="NodeHasInsufficientMemory"', 'kubelet_node_status.go:696'),
      l(400, '"Eviction manager: attempting to reclaim" resourceName="ephemeral-storage"'),
      l(400.5, '"Eviction manager: pod is evicted successfully" pod="logs/fluentd-1"', 'eviction_manager.go:596'),
      l(410, '"Eviction manager: no observation found for eviction signal" signal="allocatableNodeFs.available"', 'eviction_manager.go:338'),
      l(500, '"Recording event message for node" node="n1" event="NodeHasSufficientMemory"', 'kubelet_node_status.go:696'),
    ].join('\n');
    const fs = detectMemory(await inputOf({ 'journal/kubelet.log': `${kube}\n` }));
    const ev = kinds(fs, 'eviction');
    expect(ev).toHaveLength(1);
    expect(ev[0]!.facts).toMatchObject({ resource: 'memory', scope: 'node', evicted: 1, pods: 'shop/cart-1', failed: 1, count: 5 });
    const cond = kinds(fs, 'node-pressure');
    expect(cond.map((f) => [f.facts.recovered, (f.to - f.from) / SEC])).toEqual([[true, 487]]);
  });

  it('kubelet\'s system OOM notices stand in for missing kernel lines, global ones as the node running out', async () => {
    const sys = (s: number, c: string, pid: number) => kubeletLine(T0 + s * SEC, 'I', 'oom_watcher_linux.go:83', `"Got sys oom event" event=&{Pid:${pid} ProcessName:python3 TimeOfDeath:2024-05-07 10:00:0${s}.1 +0000 UTC ContainerName:/ VictimContainerName:${v1Path(victimB)} Constraint:CONSTRAINT_${c}}`);
    const fs = detectMemory(await inputOf({ 'journal/kubelet.log': `${[sys(1, 'NONE', 11), sys(3, 'NONE', 12), sys(5, 'MEMCG', 13)].join('\n')}\n` }));
    expect(kinds(fs, 'kubelet-oom').map((f) => [f.facts.scope, f.facts.count]).sort()).toEqual([['container', 1], ['node', 2]]);
  });
});

describe('memory pressure from metrics', () => {
  const metric = (series: string, values: number[]): AnalysisInput['metrics'][number] => ({
    fileId: 'f', sourceId: 'f:metrics', path: 'm', series, ts: values.map((_, i) => T0 + i * 10 * SEC), value: values,
  });
  const input = (metrics: AnalysisInput['metrics']): AnalysisInput => ({ files: [], signals: [] as LineSignal[], metrics, dumps: [], events: [] });

  it('PSI memory stalls and vmstat\'s available memory collapsing agree on one window', () => {
    const free = [8e6, 7e6, 5e6, 2e5, 9e4, 8e4, 3e6, 6e6];
    const cache = [4e6, 4e6, 3e6, 3e5, 1e5, 9e4, 1e6, 2e6];
    const fs = kinds(detectMemory(input([
      metric('psi.memory.some.avg10', [0, 0, 2, 40, 71.5, 55, 8, 0]),
      metric('psi.memory.full.avg10', [0, 0, 1, 22, 48, 30, 2, 0]),
      metric('vmstat.free', free), metric('vmstat.buff', free.map(() => 5e4)), metric('vmstat.cache', cache),
      metric('vmstat.si', free.map(() => 0)), metric('vmstat.so', free.map(() => 0)),
    ])), 'memory-pressure');
    expect(fs).toHaveLength(1);
    expect(fs[0]!.facts).toMatchObject({ kinds: 'psi-memory-full,psi-memory-some,vmstat-low-memory', sources: 3, psiSome: 71.5, psiFull: 48, minAvailableMb: 215 });
    expect(fs[0]!.severity).toBe('error');
    expect((fs[0]!.to - fs[0]!.from) / SEC).toBe(20);
  });

  it('a quiet node (small PSI blips, no swap, cache filling) has none', () => {
    const free = [8e6, 7.9e6, 7.5e6, 7e6, 6.8e6];
    const fs = detectMemory(input([
      metric('psi.memory.some.avg10', [0, 0.5, 3, 0.2, 0]), metric('psi.memory.full.avg10', [0, 0.2, 1.1, 0, 0]),
      metric('vmstat.free', free), metric('vmstat.buff', free.map(() => 5e4)), metric('vmstat.cache', free.map((f) => 9e6 - f)),
      metric('vmstat.si', [0, 0, 0, 0, 0]), metric('vmstat.so', [0, 0, 0, 0, 0]),
    ]));
    expect(fs).toEqual([]);
  });

  it('swapping is memory pressure on its own', () => {
    const fs = kinds(detectMemory(input([metric('vmstat.si', [0, 0, 512, 2048, 0]), metric('vmstat.so', [0, 900, 4096, 0, 0])])), 'memory-pressure');
    expect(fs.map((f) => [f.facts.kinds, (f.to - f.from) / SEC])).toEqual([['vmstat-swap', 20]]);
  });
});

describe('memory lines through the tap', () => {
  it('keeps the eviction manager\'s episode lines and drops its routine ones, kubelet-side, whatever the journald prefix', async () => {
    const lines = [
      kubeletLine(T0, 'I', 'eviction_manager.go:366', '"Eviction manager: attempting to reclaim" resourceName="memory"', 'a-much-longer-host-name-1'),
      kubeletLine(T0 + SEC, 'I', 'eviction_manager.go:338', '"Eviction manager: no observation found for eviction signal" signal="allocatableNodeFs.available"', 'a-much-longer-host-name-1'),
      kubeletLine(T0 + 2 * SEC, 'I', 'kubelet_node_status.go:486', '"Updating node status"', 'a-much-longer-host-name-1'),
      kubeletLine(T0 + 3 * SEC, 'I', 'oom_watcher_linux.go:83', '"Got sys oom event" event=&{Pid:12 ProcessName:x}', 'n2', 99),
      kubeletLine(T0 + 4 * SEC, 'I', 'event.go:294', '"Event occurred" object="shop/cart-1" kind="Pod" apiVersion="v1" type="Warning" reason="Evicted" message="The node was low on resource: memory. Threshold quantity: 100Mi, available: 85432Ki."', 'n2', 99),
      kubeletLine(T0 + 5 * SEC, 'I', 'event.go:294', '"Event occurred" object="shop/cart-1" kind="Pod" apiVersion="v1" type="Normal" reason="Started" message="Started container api"', 'n2', 99),
    ].join('\n');
    const input = await inputOf({ 'journal/kubelet.log': `${lines}\n` });
    // Which lines, by their distance from the first (kubeletLine's stamps carry no year).
    const kept = input.signals.filter((s) => s.kind === 'eviction').map((s) => s.ts);
    expect(kept.map((ts) => (ts - kept[0]!) / SEC)).toEqual([0, 3, 4]);
    expect(input.signals.filter((s) => s.kind === 'eviction').map((s) => s.line)).toEqual([0, 3, 4]);
    expect(input.signals.filter((s) => s.kind === 'eviction').every((s) => s.level === undefined || s.level < Level.warn)).toBe(true);
  });
});
