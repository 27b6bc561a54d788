import type { Pattern } from '../pattern';

/** The container runtime is unreachable or restarting: kubelet's CRI calls fail with Unavailable / connection refused. */
export const runtimeDown: Pattern = {
  id: 'runtime-down',
  title: 'Container runtime down or restarting',
  description:
    'containerd exited (crash, OOM kill, a config error at start, or a restart by hand or by a package upgrade). While it is gone kubelet cannot reach the CRI socket: calls fail with "connection refused" or code = Unavailable, PLEG cannot relist, and kubelet reports the runtime not ready. Running containers keep running (their shims survive), but nothing can be started, stopped or inspected.',
  steps: [
    { id: 'unavailable', role: 'blocked-call', title: 'kubelet cannot reach the runtime', explanation: '{total} CRI call(s) failed: the containerd socket refused or dropped the connection.', query: { detector: 'runtime', kind: 'runtime-unavailable' }, required: true, weight: 3, missingHint: 'no CRI connection errors: add the kubelet journal (journalctl -u kubelet)' },
    { id: 'restart', role: 'root-cause', title: 'containerd exited and started again', explanation: 'containerd (re)started inside the bundle ({total} start/exit record(s)).', query: { detector: 'runtime', kind: 'runtime-restart' }, required: true, weight: 3, missingHint: 'no containerd restart seen: add the containerd journal and systemd\'s unit messages (journalctl -u containerd)' },
    // Required: a runtime that restarts without kubelet ever seeing it down (a planned restart during
    // another incident) is not what went wrong. kubelet's own start-up check is not this symptom.
    { id: 'not-ready', role: 'symptom', title: 'kubelet reports the runtime not ready', explanation: 'kubelet skipped pod syncs: runtime status check failing ({total} line(s)).', query: { detector: 'pleg', kind: 'runtime-status', where: [{ fact: 'startup', op: 'eq', value: false }] }, required: true, weight: 1.5, missingHint: 'no "Container runtime not ready" / "runtime status check" lines while the runtime was away: add the kubelet journal (journalctl -u kubelet)' },
    { id: 'pleg-stall', role: 'symptom', title: 'PLEG could not relist', explanation: 'Relist gap / unhealthy PLEG while the runtime was away ({gapSec} s).', query: { detector: 'pleg', kinds: ['relist-gap', 'not-healthy'] }, required: false, weight: 1, missingHint: 'add the kubelet journal at -v=4 or higher' },
    { id: 'deadlines', role: 'symptom', title: 'CRI calls time out around the restart', explanation: '{total} CRI call(s) hit their deadline.', query: { detector: 'runtime', kind: 'cri-deadline', where: [{ fact: 'call', op: 'in', value: ['ListContainers', 'ListPodSandbox', 'ContainerStatus', 'PodSandboxStatus', 'UpdateContainerResources', 'StopContainer', 'RemoveContainer', 'StopPodSandbox'] }] }, required: false, weight: 0.5, missingHint: 'add the kubelet journal' },
  ],
  links: [
    { from: 'unavailable', to: 'restart', relation: 'overlaps', seconds: 120 },
    { from: 'not-ready', to: 'unavailable', relation: 'overlaps', seconds: 60 },
    { from: 'pleg-stall', to: 'unavailable', relation: 'overlaps', seconds: 120 },
    { from: 'deadlines', to: 'unavailable', relation: 'overlaps', seconds: 120 },
  ],
  remedy: {
    text:
      'Find why containerd stopped: its last lines before the restart and systemd\'s exit status (`journalctl -u containerd`), and an OOM kill in the kernel log (`Out of memory: Killed process … (containerd)`). Keep the unit\'s protections from the stock containerd.service: `OOMScoreAdjust=-999`, `Restart=always` with a short `RestartSec`, `KillMode=process` (shims and containers survive a restart), `Delegate=yes`, unlimited `LimitNOFILE`/`TasksMax`. Validate a new config before restarting (`containerd config dump` fails on a broken file). Drain the node before runtime upgrades.',
    snippets: [
      { title: 'systemd drop-in: restart and protect containerd', language: 'ini', code: '# /etc/systemd/system/containerd.service.d/10-restart.conf\n[Service]\nRestart=always\nRestartSec=5\nOOMScoreAdjust=-999\nKillMode=process\nDelegate=yes\nLimitNOFILE=infinity\nTasksMax=infinity' },
      { title: 'Why it stopped', language: 'sh', code: 'systemctl status containerd --no-pager\njournalctl -u containerd -b --no-pager | tail -n 50\njournalctl -k -b | grep -i -E "out of memory|oom-kill|killed process"' },
    ],
    references: [
      'https://github.com/containerd/containerd/blob/main/containerd.service',
      'https://www.freedesktop.org/software/systemd/man/latest/systemd.service.html',
      'https://kubernetes.io/docs/setup/production-environment/container-runtimes/#containerd',
    ],
  },
};
