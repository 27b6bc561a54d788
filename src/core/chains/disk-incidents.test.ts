// disk-pressure-eviction on hand-written node logs: a full disk wins with the pod that filled it as
// root cause; ENOSPC that is no full disk (inotify) raises no chain; evictions for memory at the
// same time weaken it.

import { describe, expect, it } from 'vitest';
import { parseAndAnalyze } from '../analyze';
import { containerdLine, kubeletLine } from '../analysis/test-helpers';
import { enc, memInput } from '../bundle/test-helpers';

const T0 = Date.UTC(new Date().getUTCFullYear(), 8, 3, 22, 4, 10) * 1000;
const at = (s: number) => T0 + s * 1e6;

async function chainsOf(files: Record<string, string[]>) {
  const r = await parseAndAnalyze(Object.entries(files).map(([path, lines]) => memInput(path, enc(`${lines.join('\n')}\n`))));
  return r.result!.chains;
}

const why = 'failed to create containerd container: mkdir /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/911: no space left on device';
const diskKubelet = [
  kubeletLine(at(0), 'E', 'kubelet.go:1400', '"Image garbage collection failed multiple times in a row" err="failed to garbage collect required amount of images. Attempted to free 6442450944 bytes, but only found 0 bytes eligible to free."'),
  kubeletLine(at(40), 'I', 'eviction_manager.go:366', '"Eviction manager: attempting to reclaim" resourceName="ephemeral-storage"'),
  kubeletLine(at(40.1), 'I', 'kubelet_node_status.go:696', '"Recording event message for node" node="node-3" event="NodeHasDiskPressure"'),
  kubeletLine(at(40.3), 'I', 'eviction_manager.go:377', '"Eviction manager: must evict pod(s) to reclaim" resourceName="ephemeral-storage"'),
  kubeletLine(at(40.4), 'I', 'eviction_manager.go:395', '"Eviction manager: pods ranked for eviction" pods=["etl/spark-worker-2","web/front-5c7f9-abcde"]'),
  kubeletLine(at(40.6), 'I', 'event.go:294', '"Event occurred" object="etl/spark-worker-2" fieldPath="" kind="Pod" apiVersion="v1" type="Warning" reason="Evicted" message="The node was low on resource: ephemeral-storage. Threshold quantity: 10120387530, available: 4312004Ki. Container spark was using 41Gi, request is 0, has larger consumption of ephemeral-storage. "'),
  kubeletLine(at(45), 'I', 'eviction_manager.go:613', '"Eviction manager: pod is evicted successfully" pod="etl/spark-worker-2"'),
  kubeletLine(at(52), 'E', 'remote_runtime.go:319', `"CreateContainer in sandbox from runtime service failed" err="rpc error: code = Unknown desc = ${why}" podSandboxID="c0ffee12"`),
];
const diskContainerd = [containerdLine(at(51.9), 'error', 'CreateContainer within sandbox \\"c0ffee12\\" for &ContainerMetadata{Name:front,Attempt:3,} failed', `error="${why}"`)];

describe('disk-pressure-eviction', () => {
  it('wins a full disk and names the pod the eviction message blames', { timeout: 30_000 }, async () => {
    const chains = await chainsOf({ 'kubelet.log': diskKubelet, 'containerd.log': diskContainerd });
    const top = chains[0]!;
    expect(top.patternId).toBe('disk-pressure-eviction');
    expect(top.confidence).toBeGreaterThanOrEqual(0.6);
    expect(top.steps.find((s) => s.id === 'consumer')!.explanation).toContain('etl/spark-worker-2');
    expect(top.steps.find((s) => s.id === 'create-failing')!.findingIds.length).toBeGreaterThan(0);
  });

  it('inotify watches running out (ENOSPC) raise no disk chain', { timeout: 30_000 }, async () => {
    const chains = await chainsOf({
      'kubelet.log': [0, 30, 60].map((s) => kubeletLine(at(s), 'E', 'raw.go:146', '"Failed to watch directory" err="inotify_add_watch /sys/fs/cgroup/kubepods.slice: no space left on device" dir="/sys/fs/cgroup/kubepods.slice"')),
    });
    expect(chains.find((c) => c.patternId === 'disk-pressure-eviction')).toBeUndefined();
  });

  it('is weaker when kubelet evicts for memory in the same minutes', { timeout: 30_000 }, async () => {
    const memory = [
      kubeletLine(at(70), 'I', 'eviction_manager.go:366', '"Eviction manager: attempting to reclaim" resourceName="memory"'),
      kubeletLine(at(70.2), 'I', 'eviction_manager.go:395', '"Eviction manager: pods ranked for eviction" pods=["shop/cache-0"]'),
      kubeletLine(at(72), 'I', 'eviction_manager.go:613', '"Eviction manager: pod is evicted successfully" pod="shop/cache-0"'),
    ];
    const alone = (await chainsOf({ 'kubelet.log': diskKubelet, 'containerd.log': diskContainerd }))[0]!;
    const both = (await chainsOf({ 'kubelet.log': [...diskKubelet, ...memory], 'containerd.log': diskContainerd })).find((c) => c.patternId === 'disk-pressure-eviction')!;
    expect(both.confidence).toBeLessThan(alone.confidence * 0.7);
  });
});
