import type { Pattern } from '../pattern';

/** A container keeps hitting its own memory limit: the kernel's memcg OOM killer ends it, kubelet restarts it, again. */
export const containerOomKilled: Pattern = {
  id: 'container-oom-killed',
  title: 'A container keeps hitting its own memory limit (OOMKilled)',
  description:
    'The container\'s memory cgroup reached its limit (resources.limits.memory) and the kernel\'s OOM killer ended a process inside it. containerd reports the TaskOOM event, the container exits with code 137 (OOMKilled), kubelet restarts it, and after a few restarts backs off (CrashLoopBackOff). The node itself has memory to spare: this is the workload outgrowing its limit (a leak, a heap sized past the limit, a burst of work), not node pressure.',
  steps: [
    { id: 'memcg-oom', role: 'root-cause', title: 'The kernel OOM-killed a process at its container\'s memory limit', explanation: '{process} (pid {pid}) was OOM-killed {total}× at its cgroup limit of {limitMb} MiB (pod {podUid}).', query: { detector: 'memory', kinds: ['oom-kill', 'kubelet-oom'], where: [{ fact: 'scope', op: 'in', value: ['container', 'pod'] }] }, required: true, weight: 3, missingHint: 'no memory cgroup OOM kill: add the kernel log (dmesg -T, or journalctl -k) covering the restarts' },
    { id: 'task-oom', role: 'symptom', title: 'containerd reports the container\'s OOM event', explanation: 'containerd saw {total} TaskOOM event(s) (container {containerId}).', query: { detector: 'memory', kind: 'task-oom' }, required: false, weight: 1.5, missingHint: 'no TaskOOM events: add the containerd journal (journalctl -u containerd)' },
    { id: 'restarts', role: 'symptom', title: 'kubelet restarts it and backs off', explanation: '{pod}: container {container} in CrashLoopBackOff ({total} line(s), back-off up to {backoffSec} s).', query: { detector: 'memory', kind: 'crash-loop' }, required: false, weight: 1.5, missingHint: 'no restart back-offs for the killed pod: add the kubelet journal (journalctl -u kubelet)' },
  ],
  links: [
    { from: 'task-oom', to: 'memcg-oom', relation: 'overlaps', seconds: 60 },
    { from: 'restarts', to: 'memcg-oom', relation: 'overlaps', seconds: 600 },
  ],
  absent: [
    { id: 'node-oom', title: 'the node itself ran out of memory (global OOM kills or memory evictions)', query: { detector: 'memory', kinds: ['oom-kill', 'kubelet-oom', 'eviction'], where: [{ fact: 'scope', op: 'in', value: ['node', 'pods'] }] }, penalty: 0.5, marginSeconds: 300 },
  ],
  remedy: {
    text:
      'Confirm the kill: `kubectl describe pod` shows `Last State: Terminated, Reason: OOMKilled, Exit Code: 137` and the restart count; compare the limit with what the container really uses (`kubectl top pod --containers`, or the cgroup\'s `memory.peak` / `memory.max_usage_in_bytes`). Then either raise `resources.limits.memory` (and the request with it, so the scheduler reserves it) to the working set plus headroom, or fix the leak. Runtimes that size their heap from the machine must be told the limit: JVM `-XX:MaxRAMPercentage=75`, Node.js `--max-old-space-size`, Go `GOMEMLIMIT`. The kernel log names the cgroup, the process and its anon-rss at the kill.',
    snippets: [
      { title: 'Confirm OOMKilled and the restart count', language: 'sh', code: 'kubectl describe pod <pod> -n <ns> | grep -A4 "Last State"\nkubectl get pod <pod> -n <ns> -o jsonpath=\'{range .status.containerStatuses[*]}{.name}{" "}{.restartCount}{" "}{.lastState.terminated.reason}{"\\n"}{end}\'\nkubectl top pod <pod> -n <ns> --containers' },
      { title: 'On the node: the kills, and the container\'s cgroup', language: 'sh', code: 'journalctl -k | grep -E "invoked oom-killer|Killed process|oom-kill:constraint"\ncrictl ps -a --name <container>\ncrictl inspect <container-id> | grep -i -E "oom|exitCode"\n# cgroup v2 (systemd driver): oom_kill counts the kills\ncat /sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid_>.slice/cri-containerd-<id>.scope/memory.events' },
      { title: 'Raise the limit (and the request with it)', language: 'yaml', code: 'resources:\n  requests:\n    memory: "768Mi"\n  limits:\n    memory: "1Gi"\nenv:\n  - name: JAVA_TOOL_OPTIONS\n    value: "-XX:MaxRAMPercentage=75"' },
    ],
    references: [
      'https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/',
      'https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/',
      'https://kubernetes.io/docs/tasks/debug/debug-application/debug-running-pod/',
      'https://docs.kernel.org/admin-guide/cgroup-v2.html#memory',
    ],
  },
};
