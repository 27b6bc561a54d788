import type { Pattern } from '../pattern';

/** The node ran out of memory: kubelet evicts pods to reclaim it and, too late, the kernel's global OOM killer picks victims. */
export const nodeMemoryExhausted: Pattern = {
  id: 'node-memory-exhausted',
  title: 'The node ran out of memory (evictions, global OOM kills)',
  description:
    'Pods together used more memory than the node has: their requests were too low for what they use (or absent), so the scheduler packed more onto the node than fits, and kube-reserved/system-reserved leave too little for the system. When memory.available falls under the eviction threshold kubelet reports MemoryPressure and evicts pods (BestEffort first, then Burstable pods over their requests); if memory runs out faster than kubelet\'s 10 s loop can react, the kernel\'s global OOM killer (constraint NONE) kills a process, perhaps in a pod that was within its limits, perhaps a system daemon. Reclaim stalls tasks meanwhile (PSI memory).',
  steps: [
    { id: 'out-of-memory', role: 'root-cause', title: 'The node ran out of memory', explanation: 'Node-level memory exhaustion: {count} global OOM kill / eviction finding(s) (victims: {victims}; evicted: {pods}).', query: { detector: 'memory', kinds: ['oom-kill', 'kubelet-oom', 'eviction'], where: [{ fact: 'scope', op: 'in', value: ['node', 'pods'] }] }, required: true, weight: 3, missingHint: 'no global OOM kill or memory eviction: add the kernel log (dmesg -T, journalctl -k) and the kubelet journal (journalctl -u kubelet)' },
    { id: 'pressure', role: 'resource', title: 'Memory pressure: tasks stall on reclaim, the page cache is gone', explanation: 'Memory pressure for the window ({kinds}; PSI memory some up to {psiSome} %, full up to {psiFull} %).', query: { detector: 'memory', kind: 'memory-pressure' }, required: false, weight: 2, missingHint: 'no memory pressure series: capture /proc/pressure/memory and vmstat -t during the incident' },
    { id: 'condition', role: 'symptom', title: 'kubelet reports MemoryPressure', explanation: 'The node reported NodeHasInsufficientMemory ({total} time(s)).', query: { detector: 'memory', kind: 'node-pressure' }, required: false, weight: 1, missingHint: 'no node condition change: add the kubelet journal (journalctl -u kubelet)' },
    { id: 'evictions', role: 'symptom', title: 'kubelet evicts pods to reclaim memory', explanation: 'kubelet evicted {evicted} pod(s) ({pods}); {failed} eviction(s) failed.', query: { detector: 'memory', kind: 'eviction' }, required: false, weight: 1.5, missingHint: 'no memory evictions: add the kubelet journal (journalctl -u kubelet); hard eviction thresholds may be unset' },
  ],
  links: [
    { from: 'pressure', to: 'out-of-memory', relation: 'overlaps', seconds: 120 },
    { from: 'condition', to: 'out-of-memory', relation: 'overlaps', seconds: 300 },
    { from: 'evictions', to: 'out-of-memory', relation: 'overlaps', seconds: 300 },
  ],
  absent: [
    { id: 'io-window', title: 'the disk was saturated at the same time (an IO incident, not memory)', query: { detector: 'io-pressure', kind: 'io-window', where: [{ fact: 'sources', op: 'gte', value: 2 }, { fact: 'memoryDriven', op: 'eq', value: false }] }, penalty: 0.3 },
  ],
  remedy: {
    text:
      'Find what grew: `kubectl top pod -A --sort-by=memory` and the victims the kernel and kubelet name. Give every pod a memory request close to what it really uses (the scheduler packs by requests) and a limit; a namespace LimitRange sets defaults for pods without one. Reserve memory for the system so pods cannot take it: `kubeReserved` and `systemReserved` in the kubelet configuration, with `enforceNodeAllocatable: [pods]`. Raise `evictionHard` memory.available (and add `evictionSoft` with a grace period) so kubelet evicts before the kernel has to kill; kubelet reacts every 10 s, so leave room for a burst. Bigger nodes, or fewer pods per node, if the workload simply does not fit.',
    snippets: [
      { title: 'What the node has and who uses it', language: 'sh', code: 'kubectl describe node <node> | grep -A8 -E "Conditions|Allocated resources"\nkubectl top pod -A --sort-by=memory | head -20\njournalctl -k | grep -E "invoked oom-killer|Out of memory: Killed process"\njournalctl -u kubelet | grep -i "eviction manager"' },
      { title: 'kubelet configuration: reserve memory, evict earlier', language: 'yaml', code: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nkubeReserved:\n  memory: "1Gi"\nsystemReserved:\n  memory: "500Mi"\nenforceNodeAllocatable: ["pods"]\nevictionHard:\n  memory.available: "500Mi"\nevictionSoft:\n  memory.available: "1Gi"\nevictionSoftGracePeriod:\n  memory.available: "1m30s"' },
      { title: 'Default requests and limits for a namespace', language: 'yaml', code: 'apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: memory-defaults\nspec:\n  limits:\n    - type: Container\n      defaultRequest:\n        memory: 256Mi\n      default:\n        memory: 512Mi' },
    ],
    references: [
      'https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/',
      'https://kubernetes.io/docs/tasks/administer-cluster/reserve-compute-resources/',
      'https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/',
      'https://kubernetes.io/docs/concepts/policy/limit-range/',
    ],
  },
};
