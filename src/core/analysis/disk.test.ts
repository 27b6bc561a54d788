// The disk detector on hand-written lines shaped like real kubelet, containerd, kernel and journald
// output (old and new kubelet wording, a journal JSON export), and what it must not claim:
// memory evictions, inotify's ENOSPC, a pod's /dev/shm, pulls (image-pulls' finding).

import { describe, expect, it } from 'vitest';
import { detectDisk } from './disk';
import { detectImagePulls } from './image-pulls';
import { containerdLine, inputOf, kinds, kubeletLine } from './test-helpers';

const T0 = Date.UTC(new Date().getUTCFullYear(), 4, 14, 3, 12, 40) * 1000;
const SEC = 1e6;
const at = (s: number) => T0 + s * SEC;
const file = (lines: string[]) => `${lines.join('\n')}\n`;

async function diskOf(files: Record<string, string[]>) {
  const input = await inputOf(Object.fromEntries(Object.entries(files).map(([p, l]) => [p, file(l)])));
  return { findings: detectDisk(input), input };
}

describe('disk detector: kubelet under disk pressure', () => {
  it('new wording: reclaim, NodeHasDiskPressure, ranked and evicted pods, a failed eviction, recovery', async () => {
    const { findings } = await diskOf({
      'kubelet.log': [
        kubeletLine(at(0), 'I', 'kubelet_node_status.go:696', '"Recording event message for node" node="node-3" event="NodeHasNoDiskPressure"'),
        kubeletLine(at(600), 'I', 'eviction_manager.go:366', '"Eviction manager: attempting to reclaim" resourceName="ephemeral-storage"'),
        kubeletLine(at(600.2), 'I', 'kubelet_node_status.go:696', '"Recording event message for node" node="node-3" event="NodeHasDiskPressure"'),
        kubeletLine(at(600.4), 'I', 'eviction_manager.go:377', '"Eviction manager: must evict pod(s) to reclaim" resourceName="ephemeral-storage"'),
        kubeletLine(at(600.5), 'I', 'eviction_manager.go:395', '"Eviction manager: pods ranked for eviction" pods=["shop/cart-7d9f8b6c4-x2kqz","shop/web-0","kube-system/coredns-5d78c9869d-pz8nt"]'),
        kubeletLine(at(603), 'I', 'eviction_manager.go:613', '"Eviction manager: pod is evicted successfully" pod="shop/cart-7d9f8b6c4-x2kqz"'),
        kubeletLine(at(610), 'I', 'eviction_manager.go:366', '"Eviction manager: attempting to reclaim" resourceName="ephemeral-storage"'),
        kubeletLine(at(640), 'E', 'eviction_manager.go:619', '"Eviction manager: pod failed to evict" err="timeout waiting to kill pod" pod="shop/web-0"'),
        kubeletLine(at(950), 'I', 'kubelet_node_status.go:696', '"Recording event message for node" node="node-3" event="NodeHasNoDiskPressure"'),
      ],
    });
    const [pressure, ...more] = kinds(findings, 'disk-pressure');
    expect(more).toHaveLength(0);
    expect(pressure!.facts).toMatchObject({ resource: 'ephemeral-storage', condition: true, mustEvict: true, recovered: true, reclaims: 3 });
    // From the first reclaim to the recovery: the start-up NodeHasNoDiskPressure is no recovery.
    expect([(pressure!.from - T0) / SEC, (pressure!.to - T0) / SEC]).toEqual([600, 950]);
    const [eviction] = kinds(findings, 'disk-eviction');
    expect(eviction!.facts).toMatchObject({ resource: 'ephemeral-storage', cause: 'node-pressure', evicted: 1, failed: 1, pods: 2, pod: 'shop/cart-7d9f8b6c4-x2kqz' });
    expect(eviction!.severity).toBe('error');
  });

  it('old wording: nodefs, pods as name_namespace(uid), unstructured NodeHasDiskPressure', async () => {
    const uid = 'b1946ac9-2f1c-4bd0-9e8a-02c4d3a0f1e7';
    const { findings } = await diskOf({
      'kubelet.log': [
        kubeletLine(at(10), 'I', 'kubelet_node_status.go:447', 'Recording NodeHasDiskPressure event message for node ip-10-0-3-7'),
        kubeletLine(at(11), 'W', 'eviction_manager.go:332', 'eviction manager: attempting to reclaim nodefs'),
        kubeletLine(at(11.2), 'I', 'eviction_manager.go:346', 'eviction manager: must evict pod(s) to reclaim nodefs'),
        kubeletLine(at(11.3), 'I', 'eviction_manager.go:364', `eviction manager: pods ranked for eviction: logger-0_batch(${uid}), api-6f7d9c-zt2wq_default(9f1c2d3e-aaaa-bbbb-cccc-0123456789ab)`),
        kubeletLine(at(14), 'I', 'eviction_manager.go:157', `eviction manager: pod logger-0_batch(${uid}) is evicted successfully`),
      ],
    });
    expect(kinds(findings, 'disk-pressure')[0]!.facts).toMatchObject({ resource: 'nodefs', condition: true, recovered: false });
    expect(kinds(findings, 'disk-eviction')[0]!.facts).toMatchObject({ resource: 'nodefs', evicted: 1, pod: 'batch/logger-0' });
  });

  it('a journal JSON export (escaped quotes) reads the same', async () => {
    const record = (us: number, msg: string) =>
      `{ "__REALTIME_TIMESTAMP" : "${us}", "PRIORITY" : "6", "SYSLOG_IDENTIFIER" : "kubelet", "_PID" : "1680", "_SYSTEMD_UNIT" : "kubelet.service", "_HOSTNAME" : "node-3", "MESSAGE" : "I0514 03:12:40.000000    1680 ${msg.replaceAll('"', '\\"')}" }`;
    const { findings } = await diskOf({
      'kubelet.json': [
        record(at(0), 'eviction_manager.go:366] "Eviction manager: attempting to reclaim" resourceName="ephemeral-storage"'),
        record(at(0.5), 'eviction_manager.go:395] "Eviction manager: pods ranked for eviction" pods=["ci/runner-4","ci/runner-9"]'),
        record(at(2), 'eviction_manager.go:613] "Eviction manager: pod is evicted successfully" pod="ci/runner-4"'),
      ],
    });
    expect(kinds(findings, 'disk-pressure')[0]?.facts.resource).toBe('ephemeral-storage');
    expect(kinds(findings, 'disk-eviction')[0]?.facts).toMatchObject({ evicted: 1, pod: 'ci/runner-4' });
  });

  it('memory and pid evictions are not disk findings', async () => {
    const { findings } = await diskOf({
      'kubelet.log': [
        kubeletLine(at(0), 'I', 'eviction_manager.go:366', '"Eviction manager: attempting to reclaim" resourceName="memory"'),
        kubeletLine(at(0.3), 'I', 'eviction_manager.go:395', '"Eviction manager: pods ranked for eviction" pods=["shop/cache-0"]'),
        kubeletLine(at(2), 'I', 'eviction_manager.go:613', '"Eviction manager: pod is evicted successfully" pod="shop/cache-0"'),
        kubeletLine(at(3), 'I', 'kubelet_node_status.go:696', '"Recording event message for node" node="node-3" event="NodeHasInsufficientMemory"'),
        kubeletLine(at(300), 'I', 'eviction_manager.go:366', '"Eviction manager: attempting to reclaim" resourceName="pids"'),
        kubeletLine(at(300.3), 'I', 'eviction_manager.go:613', '"Eviction manager: pod is evicted successfully" pod="shop/forker-1"'),
      ],
    });
    expect(findings).toEqual([]);
  });

  it('Evicted events name what used the space: the largest consumer, an emptyDir or a container over its limit', async () => {
    const event = (us: number, pod: string, message: string) =>
      kubeletLine(us, 'I', 'event.go:294', `"Event occurred" object="${pod}" fieldPath="" kind="Pod" apiVersion="v1" type="Warning" reason="Evicted" message="${message.replaceAll('"', '\\"')}"`);
    const legacy = (us: number, ns: string, name: string, message: string) =>
      kubeletLine(us, 'I', 'event.go:291', `Event(v1.ObjectReference{Kind:"Pod", Namespace:"${ns}", Name:"${name}", UID:"0b5d", APIVersion:"v1", ResourceVersion:"88121", FieldPath:""}): type: 'Warning' reason: 'Evicted' ${message}`);
    const { findings } = await diskOf({
      'kubelet.log': [
        event(at(0), 'shop/cart-7d9f8b6c4-x2kqz', 'The node was low on resource: ephemeral-storage. Threshold quantity: 10120387530, available: 8754120Ki. Container cart was using 31Gi, request is 0, has larger consumption of ephemeral-storage. '),
        event(at(5), 'ml/trainer-0', 'Usage of EmptyDir volume "scratch" exceeds the limit "2Gi". '),
        legacy(at(9), 'ci', 'runner-4', 'Container build exceeded its local ephemeral storage limit "4Gi". '),
        // Memory evictions are the memory detector's.
        event(at(12), 'shop/cache-0', 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 91236Ki. Container redis was using 3Gi, request is 1Gi, has larger consumption of memory. '),
      ],
    });
    const consumers = kinds(findings, 'disk-consumer').map((f) => [f.facts.pod, f.facts.cause, f.facts.container, f.facts.volume, f.facts.quantity]);
    expect(consumers).toEqual([
      ['shop/cart-7d9f8b6c4-x2kqz', 'largest-consumer', 'cart', '', '31Gi'],
      ['ml/trainer-0', 'emptydir', '', 'scratch', '2Gi'],
      ['ci/runner-4', 'container-limit', 'build', '', '4Gi'],
    ]);
    expect(kinds(findings, 'disk-consumer')[0]!.facts.bytes).toBe(31 * 2 ** 30);
    // One episode: the node-pressure eviction makes it the node's problem, not one workload's limit.
    const [eviction] = kinds(findings, 'disk-eviction');
    expect(eviction!.facts).toMatchObject({ cause: 'node-pressure', evicted: 3 });
  });

  it('a pod over its own ephemeral-storage limit alone is a warning about that workload', async () => {
    const { findings } = await diskOf({
      'kubelet.log': [kubeletLine(at(0), 'I', 'event.go:294', '"Event occurred" object="ml/trainer-0" kind="Pod" apiVersion="v1" type="Warning" reason="Evicted" message="Usage of EmptyDir volume \\"scratch\\" exceeds the limit \\"2Gi\\". "')],
    });
    expect(kinds(findings, 'disk-eviction')[0]).toMatchObject({ severity: 'warn', facts: { cause: 'limit' } });
    expect(kinds(findings, 'disk-pressure')).toHaveLength(0);
  });
});

describe('disk detector: garbage collection', () => {
  it('image GC failing (new and old wording) and working over the high threshold', async () => {
    const { findings } = await diskOf({
      'kubelet.log': [
        kubeletLine(at(0), 'I', 'image_gc_manager.go:310', '"Disk usage on image filesystem is over the high threshold, trying to free bytes down to the low threshold" usage=93 highThreshold=85 amountToFree=8589934592 lowThreshold=80'),
        kubeletLine(at(0.1), 'I', 'image_gc_manager.go:5', '"Image ID has size" imageID="sha256:6e38f40d628db3002f5617342c8872c935de530d867d0f709a2fbda1a302a562" size=771837'),
        kubeletLine(at(1), 'E', 'kubelet.go:1400', '"Image garbage collection failed once. Stats initialization may not have completed yet" err="failed to garbage collect required amount of images. Attempted to free 8589934592 bytes, but only found 0 bytes eligible to free."'),
        kubeletLine(at(301), 'E', 'kubelet.go:1400', '"Image garbage collection failed multiple times in a row" err="failed to garbage collect required amount of images. Attempted to free 8589934592 bytes, but only found 0 bytes eligible to free."'),
        kubeletLine(at(3000), 'E', 'kubelet.go:1347', 'Image garbage collection failed multiple times in a row: failed to garbage collect required amount of images. Wanted to free 4294967296 bytes, but freed 123456 bytes'),
      ],
    });
    const failed = kinds(findings, 'gc-failed').map((f) => f.facts);
    expect(failed).toEqual([
      { target: 'images', repeated: true, wantedBytes: 8589934592, freedBytes: 0, count: 2 },
      { target: 'images', repeated: true, wantedBytes: 4294967296, freedBytes: 123456, count: 1 },
    ]);
    const [gc] = kinds(findings, 'gc');
    expect(gc!.facts).toMatchObject({ usagePercent: 93, highThreshold: 85, bytesToFree: 8589934592 });
    // The -v=5 bookkeeping line is not kept by the tap.
    expect(gc!.evidence).toHaveLength(1);
  });

  it('unused-container deletion alone (no pressure, no threshold) is no finding', async () => {
    const { findings } = await diskOf({ 'kubelet.log': [kubeletLine(at(0), 'I', 'container_gc.go:88', '"Attempting to delete unused containers"')] });
    expect(findings).toEqual([]);
  });
});

describe('disk detector: ENOSPC', () => {
  it('containerd and kubelet failing to create containers, container logs, the kernel, journald', async () => {
    const snap = '/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/1187';
    const why = `failed to create containerd container: mkdir ${snap}: no space left on device`;
    const { findings } = await diskOf({
      'containerd.log': [
        containerdLine(at(0), 'error', `CreateContainer within sandbox \\"5f0c2a9e31b7\\" for &ContainerMetadata{Name:api,Attempt:2,} failed`, `error="${why}"`),
        containerdLine(at(4), 'error', 'Fail to write \\"stdout\\" log to log file \\"/var/log/pods/batch_logger-0_b1946ac9/logger/0.log\\"', 'error="write /var/log/pods/batch_logger-0_b1946ac9/logger/0.log: no space left on device"'),
      ],
      'kubelet.log': [
        kubeletLine(at(1), 'E', 'remote_runtime.go:319', `"CreateContainer in sandbox from runtime service failed" err="rpc error: code = Unknown desc = ${why}" podSandboxID="5f0c2a9e31b7"`),
        kubeletLine(at(2), 'E', 'kuberuntime_manager.go:1209', `"Unhandled Error" err="pod sandbox: failed to create pod sandbox: rpc error: code = Unknown desc = failed to create containerd task: failed to create shim task: OCI runtime create failed: write /run/containerd/io.containerd.runtime.v2.task/k8s.io/5f0c/config.json: no space left on device"`),
      ],
      'syslog': [
        `May 14 03:12:45 node-3 kernel: [88412.339051] overlayfs: failed to create directory ${snap}/work/work (errno: 28); mounting read-only`,
        'May 14 03:12:46 node-3 kernel: [88413.101220] EXT4-fs (nvme0n1p1): Delayed block allocation failed for inode 4195231 at logical offset 0 with max blocks 1 with error 28',
        'May 14 03:12:47 node-3 systemd-journald[412]: Failed to write entry (23 items, 812 bytes), ignoring: No space left on device',
        'May 14 03:12:49 node-3 systemd-journald[412]: Journal file /var/log/journal/4b7c1e/system.journal is truncated, ignoring file.',
      ],
    });
    const got = kinds(findings, 'no-space').map((f) => [f.facts.origin, f.facts.op, f.facts.path, f.facts.count]).sort();
    expect(got).toEqual([
      ['containerd', 'create', '/var/lib/containerd', 1],
      ['containerd', 'log', '/var/log', 1],
      ['kernel', 'kernel', '/var/lib/containerd', 2],
      ['kubelet', 'create', '/var/lib/containerd', 1],
      ['kubelet', 'sandbox', '/run/containerd', 1],
      // journald's messages go to systemd's lane (the syslog parser files systemd-* units under it).
      ['systemd', 'journal', '/var/log', 2],
    ]);
  });

  it('inotify watches, a pod\'s /dev/shm and failed pulls are not this finding', async () => {
    const pullWhy = 'failed to pull and unpack image \\\\\\"quay.io/acme/etl:3.2\\\\\\": failed to extract layer sha256:9c1f: write /var/lib/containerd/io.containerd.content.v1.content/ingest/77ab/data: no space left on device: unknown';
    const { findings, input } = await diskOf({
      'kubelet.log': [
        kubeletLine(at(0), 'E', 'raw.go:146', '"Failed to watch directory" err="inotify_add_watch /sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice: no space left on device" dir="/sys/fs/cgroup/kubepods.slice"'),
        kubeletLine(at(1), 'W', 'container.go:589', 'Failed to create summary reader for "/kubepods.slice": none of the resources are being tracked.'),
        kubeletLine(at(2), 'E', 'pod_workers.go:1298', '"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"pg\\" with RunContainerError: \\"could not resize shared memory segment /dev/shm/PostgreSQL.1804289383: No space left on device\\"" pod="db/pg-0"'),
        kubeletLine(at(3), 'E', 'remote_image.go:238', `"PullImage from image service failed" err="rpc error: code = Unknown desc = ${pullWhy}" image="quay.io/acme/etl:3.2"`),
      ],
    });
    expect(findings).toEqual([]);
    const pull = detectImagePulls(input).find((f) => f.kind === 'pull-failed');
    expect(pull?.facts.reason).toBe('no space left on device');
  });
});
