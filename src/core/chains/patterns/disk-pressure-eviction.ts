import type { Pattern } from '../pattern';

/** The node's disk filled: kubelet reports disk pressure and evicts pods, writes and container creation fail with ENOSPC. */
export const diskPressureEviction: Pattern = {
  id: 'disk-pressure-eviction',
  title: 'Node disk full: disk-pressure evictions',
  description:
    'The filesystem holding /var/lib/kubelet, /var/lib/containerd and /var/log (nodefs, often also imagefs) filled up. Image garbage collection starts at imageGCHighThresholdPercent but can only delete images no container uses; once free space falls under the evictionHard threshold (nodefs.available < 10 %, imagefs.available < 15 % by default) kubelet sets NodeHasDiskPressure, taints the node and evicts pods, largest ephemeral-storage users first. Until space is freed, containerd cannot create containers or unpack image layers and writers (container logs, journald) fail with "no space left on device". The usual fillers: container logs, emptyDir volumes without sizeLimit, writes into a container\'s writable layer, and images piling up.',
  steps: [
    { id: 'pressure', role: 'symptom', title: 'kubelet reports disk pressure', explanation: 'kubelet saw {resource} under its eviction threshold: {reclaims} reclaim attempt(s), NodeHasDiskPressure set: {condition}, recovered: {recovered}.', query: { detector: 'disk', kind: 'disk-pressure' }, required: true, weight: 3, missingHint: 'no disk-pressure lines (eviction manager "attempting to reclaim", NodeHasDiskPressure): add the kubelet journal (journalctl -u kubelet)' },
    { id: 'evictions', role: 'symptom', title: 'Pods evicted to reclaim disk space', explanation: 'kubelet evicted {evicted} pod(s) to reclaim {resource} (first {pod}); {failed} eviction(s) failed.', query: { detector: 'disk', kind: 'disk-eviction' }, required: false, weight: 2, missingHint: 'no evictions seen: add the kubelet journal covering the pressure window (eviction manager lines, Evicted events)' },
    { id: 'create-failing', role: 'blocked-call', title: 'Containers cannot be created', explanation: 'Container or sandbox creation failed with no space left on device ({origin}, {path}, {count} group(s) of failures).', query: { detector: 'disk', kind: 'no-space', where: [{ fact: 'op', op: 'in', value: ['create', 'sandbox'] }] }, required: false, weight: 1.5, missingHint: 'no failed container creations: add the containerd journal (journalctl -u containerd) and the kubelet journal' },
    { id: 'pull-failing', role: 'blocked-call', title: 'Image pulls cannot unpack', explanation: 'Pulls of {image} failed: {reason} while unpacking layers ({count} outage(s)).', query: { detector: 'image-pulls', kind: 'pull-failed', where: [{ fact: 'reason', op: 'contains', value: 'no space left' }] }, required: false, weight: 1, missingHint: 'no pulls failing for space: add the containerd journal' },
    { id: 'writes-failing', role: 'symptom', title: 'Writes fail with ENOSPC', explanation: 'Writes failing for want of space: {origin} ({path}), {count} group(s) of errors.', query: { detector: 'disk', kind: 'no-space', where: [{ fact: 'op', op: 'in', value: ['log', 'journal', 'kernel', 'write'] }] }, required: false, weight: 1, missingHint: 'no ENOSPC write errors: add the containerd journal, dmesg and journald\'s own messages (journalctl -u systemd-journald)' },
    { id: 'gc-short', role: 'resource', title: 'Garbage collection cannot free enough', explanation: 'kubelet\'s {target} garbage collection failed ({count} outage(s)): what it may delete does not cover what the threshold asks for, so the space is held by something else.', query: { detector: 'disk', kind: 'gc-failed' }, required: false, weight: 1.5, missingHint: 'no garbage-collection failures: add the kubelet journal (Image garbage collection failed …)' },
    { id: 'gc', role: 'resource', title: 'kubelet garbage-collects under pressure', explanation: 'kubelet deleted unused containers and images to free space ({removed} image(s) removed).', query: { detector: 'disk', kind: 'gc' }, required: false, weight: 0.5, missingHint: 'add the kubelet journal (image_gc_manager / container_gc lines)' },
    { id: 'consumer', role: 'root-cause', title: 'The pod that filled the disk', explanation: 'The eviction message names {pod}: {cause}, {quantity} of ephemeral storage.', query: { detector: 'disk', kind: 'disk-consumer' }, required: false, weight: 2, missingHint: 'no Evicted event naming the usage: add the kubelet journal with its events (reason Evicted), or `kubectl get events --field-selector reason=Evicted` and `kubectl describe pod` of the evicted pods' },
  ],
  links: [
    { from: 'evictions', to: 'pressure', relation: 'overlaps', seconds: 120 },
    { from: 'create-failing', to: 'pressure', relation: 'overlaps', seconds: 600 },
    { from: 'pull-failing', to: 'pressure', relation: 'overlaps', seconds: 600 },
    { from: 'writes-failing', to: 'pressure', relation: 'overlaps', seconds: 600 },
    { from: 'gc-short', to: 'pressure', relation: 'overlaps', seconds: 900 },
    { from: 'gc', to: 'pressure', relation: 'overlaps', seconds: 600 },
    { from: 'consumer', to: 'evictions', relation: 'overlaps', seconds: 120 },
  ],
  absent: [
    { id: 'memory-evictions', title: 'kubelet evicting for memory at the same time (memory pressure explains the evictions)', query: { detector: 'memory', kinds: ['eviction', 'node-pressure'] }, penalty: 0.4 },
  ],
  remedy: {
    text:
      'Free space first, then find what filled it. On the node: `df -h` and `df -i` of /var/lib/kubelet, /var/lib/containerd and /var/log; `du` of /var/log/pods (container logs), /var/lib/kubelet/pods/*/volumes/kubernetes.io~empty-dir (emptyDir) and the containerd snapshots (writable layers); `crictl rmi --prune` removes images no container uses. Then bound each consumer: kubelet\'s `containerLogMaxSize` / `containerLogMaxFiles` rotate container logs; an emptyDir `sizeLimit` and ephemeral-storage requests/limits on the containers make kubelet evict the offending pod alone, before the node is under pressure; lower `imageGCHighThresholdPercent` / `imageGCLowThresholdPercent` to start image GC earlier; keep `evictionHard` (nodefs.available, imagefs.available) and add `evictionSoft` with a grace period so kubelet reacts before writes fail. Give the node a larger disk or a separate imagefs when images alone fill it. Cap journald (`SystemMaxUse=`).',
    snippets: [
      { title: 'What is using the space', language: 'sh', code: 'df -h /var/lib/kubelet /var/lib/containerd /var/log; df -i /var/lib/kubelet\ndu -xsh /var/log/pods/* 2>/dev/null | sort -h | tail\ndu -xsh /var/lib/kubelet/pods/*/volumes/kubernetes.io~empty-dir/* 2>/dev/null | sort -h | tail\ndu -xsh /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/* 2>/dev/null | sort -h | tail\ncrictl images; crictl rmi --prune\njournalctl --disk-usage' },
      { title: 'kubelet config: log rotation, image GC, eviction thresholds', language: 'yaml', code: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncontainerLogMaxSize: 50Mi\ncontainerLogMaxFiles: 3\nimageGCHighThresholdPercent: 75\nimageGCLowThresholdPercent: 65\nevictionHard:\n  nodefs.available: "10%"\n  nodefs.inodesFree: "5%"\n  imagefs.available: "15%"\nevictionSoft:\n  nodefs.available: "15%"\nevictionSoftGracePeriod:\n  nodefs.available: "1m"' },
      { title: 'Pod: bound its ephemeral storage', language: 'yaml', code: 'spec:\n  containers:\n    - name: app\n      resources:\n        requests:\n          ephemeral-storage: 1Gi\n        limits:\n          ephemeral-storage: 4Gi\n  volumes:\n    - name: cache\n      emptyDir:\n        sizeLimit: 2Gi' },
    ],
    references: [
      'https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/',
      'https://kubernetes.io/docs/concepts/architecture/garbage-collection/#containers-images',
      'https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#local-ephemeral-storage',
      'https://kubernetes.io/docs/concepts/cluster-administration/logging/#log-rotation',
      'https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/',
    ],
  },
};
