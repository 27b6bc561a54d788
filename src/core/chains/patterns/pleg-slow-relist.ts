import type { Pattern } from '../pattern';

/** PLEG unhealthy because each relist is slow (many containers to list), not because something holds a lock or the disk. */
export const plegSlowRelist: Pattern = {
  id: 'pleg-slow-relist',
  title: 'PLEG relist itself is slow (too many containers to list)',
  description:
    'Every second PLEG lists all pod sandboxes and containers through the CRI and inspects the changed ones. With hundreds of containers (often exited ones that were never garbage-collected) a relist takes seconds; past the 3-minute threshold kubelet reports "PLEG is not healthy" and the node goes NotReady. No disk pressure and no lock waits explain it.',
  steps: [
    { id: 'pleg-unhealthy', role: 'symptom', title: 'PLEG relists are late or unhealthy', explanation: 'PLEG fell behind: {count} gap/health finding(s), the longest {gapSec} s.', query: { detector: 'pleg', kinds: ['relist-gap', 'not-healthy'] }, required: true, weight: 3, missingHint: 'no PLEG findings: add the kubelet journal at -v=4 or higher (journalctl -u kubelet)' },
    { id: 'relist-slow', role: 'blocked-call', title: 'Each relist takes seconds', explanation: 'kubelet reports relists taking up to {seconds} s ({count} slow relists).', query: { detector: 'pleg', kind: 'relist-slow' }, required: true, weight: 3, missingHint: 'no relist durations: add the kubelet journal at -v=4 (relist timing lines) or the kubelet_pleg_relist_duration_seconds metric' },
    { id: 'list-deadline', role: 'resource', title: 'CRI list calls time out', explanation: '{total} ListContainers / ListPodSandbox call(s) hit their deadline.', query: { detector: 'runtime', kind: 'cri-deadline', where: [{ fact: 'call', op: 'in', value: ['ListContainers', 'ListPodSandbox', 'ContainerStatus', 'PodSandboxStatus'] }] }, required: false, weight: 1.5, missingHint: 'no CRI list timeouts: add the kubelet and containerd journals' },
    { id: 'runtime-status', role: 'symptom', title: 'kubelet skips pod syncs', explanation: 'kubelet reports the runtime status check has not completed ({total} line(s)).', query: { detector: 'pleg', kind: 'runtime-status' }, required: false, weight: 0.5, missingHint: 'add the kubelet journal' },
  ],
  links: [
    { from: 'relist-slow', to: 'pleg-unhealthy', relation: 'overlaps', seconds: 120 },
    { from: 'list-deadline', to: 'relist-slow', relation: 'overlaps', seconds: 120 },
    { from: 'runtime-status', to: 'pleg-unhealthy', relation: 'overlaps', seconds: 60 },
  ],
  absent: [
    { id: 'device-failing', title: 'The disk reports I/O errors (a failing device, not load)', query: { detector: 'kernel', kind: 'device-io-error' }, penalty: 0.5 },
    { id: 'io-window', title: 'disk saturated at the same time (an IO cause is more likely)', query: { detector: 'io-pressure', kind: 'io-window' }, penalty: 0.6 },
    { id: 'status-lock-wait', title: 'CRI calls blocked on a status lock (lock contention, not slow listing)', query: { detector: 'goroutines', kinds: ['cri-list-wait', 'cri-update-wait'] }, penalty: 0.6 },
    { id: 'runtime-unavailable', title: 'the runtime was unreachable', query: { detector: 'runtime', kinds: ['runtime-unavailable', 'runtime-restart'] }, penalty: 0.5 },
  ],
  remedy: {
    text:
      'Reduce what each relist has to list. Count containers with `crictl ps -a | wc -l` and sandboxes with `crictl pods | wc -l`; exited containers are listed too. Let kubelet garbage-collect them (`--maximum-dead-containers-per-container`, `--maximum-dead-containers`, or fix the crash-looping pods that create them), lower `maxPods` on dense nodes, and keep the runtime fast at listing (containerd ListContainers walks every container\'s status). Watch `kubelet_pleg_relist_duration_seconds` and `kubelet_runtime_operations_duration_seconds{operation_type="list_containers"}`. On Kubernetes ≥ 1.26 the EventedPLEG feature gate replaces most relists with CRI container events (alpha/beta; needs containerd ≥ 1.7 with events enabled).',
    snippets: [
      { title: 'How many containers PLEG lists', language: 'sh', code: 'crictl ps -a -q | wc -l\ncrictl ps -a --state exited -q | wc -l\ncrictl pods -q | wc -l' },
      { title: 'kubelet flags: keep fewer dead containers', language: 'sh', code: '--maximum-dead-containers-per-container=1 --maximum-dead-containers=100' },
      { title: 'Relist latency from kubelet metrics', language: 'promql', code: 'histogram_quantile(0.99, sum by (le, instance) (rate(kubelet_pleg_relist_duration_seconds_bucket[5m])))' },
    ],
    references: [
      'https://github.com/kubernetes/design-proposals-archive/blob/main/node/pod-lifecycle-event-generator.md',
      'https://developers.redhat.com/blog/2019/11/13/pod-lifecycle-event-generator-understanding-the-pleg-is-not-healthy-issue-in-kubernetes',
      'https://kubernetes.io/docs/concepts/architecture/garbage-collection/#containers-images',
      'https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/3386-kubelet-evented-pleg',
    ],
  },
};
