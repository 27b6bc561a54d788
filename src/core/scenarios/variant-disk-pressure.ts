// disk-pressure-eviction: one workload fills the node's disk (its container logs, or an emptyDir or
// its writable layer, which the node's logs do not show). Image GC goes over the high threshold and cannot free enough (the images
// are in use), then nodefs.available falls under the eviction threshold: NodeHasDiskPressure, the
// eviction manager reclaims ephemeral-storage and evicts the biggest consumer first. Meanwhile
// containerd cannot create containers or unpack pulled layers (ENOSPC). Once the pod's space is
// freed the condition clears after the 5-minute pressure transition period.

import { kv } from './containerd';
import type { Container, Pod } from './inventory';
import { S, type Plan } from './plan';
import { Rng } from './rng';
import { goQuote } from './text';
import { sec, VariantJournals, type VariantExtras } from './variant-common';

const GIB = 2 ** 30;
const SNAPSHOTS = '/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots';

export function reshapeDiskPressure(plan: Plan): () => VariantExtras {
  const rng = new Rng(plan.seed).fork('variant-disk-pressure');
  // Old kubelets (≤ 1.20) log the eviction manager unstructured, name pods name_ns(uid) and resources nodefs/imagefs.
  const old = rng.chance(0.4);
  const workloads = plan.pods.filter((p) => p.kind !== 'daemonset' && main(p) !== undefined);
  const culprit = rng.pick(workloads.length ? workloads : plan.pods);
  const others = rng.shuffle(plan.pods.filter((p) => p !== culprit && p.ns !== 'kube-system' && main(p) !== undefined));
  const logsFilled = rng.chance(0.5);
  const gcUs = plan.podsAddUs + sec(rng, 200, 420);
  const pressureUs = gcUs + sec(rng, 20, 120);
  const rounds = rng.int(2, 4);
  const lastRoundUs = pressureUs + (rounds - 1) * 10 * S + sec(rng, 0, 2);
  const recoverUs = lastRoundUs + 300 * S + sec(rng, 1, 15);
  plan.endUs = Math.max(plan.endUs, recoverUs + 240 * S);

  return () => {
    const journals = new VariantJournals(plan, rng);
    const { kubelet, containerd, at: w, kubeletLine: k } = journals;
    const c = journals.containerdLine;
    const ref = (p: Pod): string => (old ? `${p.name}_${p.ns}(${p.uid})` : `"${p.ns}/${p.name}"`);
    const resource = old ? 'nodefs' : 'ephemeral-storage';

    // Image GC: over the high threshold every 5 minutes, and never able to free what it wants.
    const want = rng.int(4, 14) * GIB + rng.int(0, GIB);
    for (let t = gcUs, n = 0; t < recoverUs; t += 300 * S + rng.int(0, 900_000), n++) {
      const usage = Math.min(99, rng.int(86, 92) + n);
      const toFree = want + n * rng.int(0, GIB);
      k(t, 'I', 'image_gc_manager.go:310', old
        ? `[imageGCManager]: Disk usage on image filesystem is at ${usage}% which is over the high threshold (85%). Trying to free ${toFree} bytes down to the low threshold (80%).`
        : `"Disk usage on image filesystem is over the high threshold, trying to free bytes down to the low threshold" usage=${usage} highThreshold=85 amountToFree=${toFree} lowThreshold=80`);
      const freed = n === 0 ? rng.int(0, 3) * rng.int(20_000_000, 300_000_000) : 0;
      if (freed > 0) k(t + rng.int(2000, 90_000), 'I', 'image_gc_manager.go:402', old ? `[imageGCManager]: Removing image "sha256:${rng.hex(64)}" to free ${freed} bytes` : `"Removing image to free bytes" imageID="sha256:${rng.hex(64)}" size=${freed} runtimeHandler=""`);
      const why = `failed to garbage collect required amount of images. Attempted to free ${toFree} bytes, but only found ${freed} bytes eligible to free.`;
      const said = n === 0 ? 'Image garbage collection failed once. Stats initialization may not have completed yet' : 'Image garbage collection failed multiple times in a row';
      k(t + rng.int(100_000, 900_000), 'E', 'kubelet.go:1400', old ? `${said}: ${why}` : `"${said}" err=${goQuote(why)}`);
    }

    // The eviction manager: reclaim rounds every 10 s, the biggest consumer evicted first.
    const ranked = [culprit, ...others.slice(0, rng.int(2, 5))];
    const evicted = rng.chance(0.5) && ranked.length > 1 ? ranked.slice(0, 2) : ranked.slice(0, 1);
    k(pressureUs + rng.int(1000, 900_000), 'I', 'kubelet_node_status.go:696', old ? `Recording NodeHasDiskPressure event message for node ${plan.host}` : `"Recording event message for node" node="${plan.host}" event="NodeHasDiskPressure"`);
    for (let i = 0; i < rounds; i++) {
      const t = pressureUs + i * 10 * S + rng.int(0, 400_000);
      k(t, 'I', 'eviction_manager.go:349', old ? `eviction manager: attempting to reclaim ${resource}` : `"Eviction manager: attempting to reclaim" resourceName="${resource}"`);
      k(t + rng.int(100, 2000), 'I', 'container_gc.go:88', old ? 'attempting to delete unused containers' : '"Attempting to delete unused containers"');
      k(t + rng.int(3000, 60_000), 'I', 'image_gc_manager.go:327', old ? 'attempting to delete unused images' : '"Attempting to delete unused images"');
      const victim = evicted[i];
      if (victim === undefined) continue;
      const at = t + rng.int(80_000, 400_000);
      k(at, 'I', 'eviction_manager.go:360', old ? `eviction manager: must evict pod(s) to reclaim ${resource}` : `"Eviction manager: must evict pod(s) to reclaim" resourceName="${resource}"`);
      const list = ranked.slice(i);
      k(at + rng.int(100, 3000), 'I', 'eviction_manager.go:378', old ? `eviction manager: pods ranked for eviction: ${list.map(ref).join(', ')}` : `"Eviction manager: pods ranked for eviction" pods=[${list.map(ref).join(',')}]`);
      const ctr = main(victim)!;
      k(at + rng.int(5000, 20_000), 'I', 'event.go:294', evictedEvent(victim, evictionMessage(rng, victim === culprit, ctr, resource), old));
      const done = at + rng.int(2, 31) * S;
      if (i > 0 && rng.chance(0.3)) k(done, 'E', 'eviction_manager.go:598', old ? `eviction manager: pod ${ref(victim)} failed to evict timeout waiting to kill pod` : `"Eviction manager: pod failed to evict" err="timeout waiting to kill pod" pod=${ref(victim)}`);
      else k(done, 'I', 'eviction_manager.go:576', old ? `eviction manager: pod ${ref(victim)} is evicted successfully` : `"Eviction manager: pod is evicted successfully" pod=${ref(victim)}`);
    }
    k(recoverUs, 'I', 'kubelet_node_status.go:696', old ? `Recording NodeHasNoDiskPressure event message for node ${plan.host}` : `"Recording event message for node" node="${plan.host}" event="NodeHasNoDiskPressure"`);

    // Creating containers fails while the disk is full: kubelet's side and containerd's.
    const blocked = others.slice(0, rng.int(1, 3));
    for (const pod of blocked) {
      const ctr = main(pod)!;
      let t = pressureUs - sec(rng, 5, 40);
      for (let attempt = 1, n = rng.int(2, 5); attempt <= n; attempt++) {
        const why = `failed to create containerd container: mkdir ${SNAPSHOTS}/${rng.int(200, 4000)}: no space left on device`;
        c(t, 'error', `CreateContainer within sandbox "${pod.sandboxId}" for &ContainerMetadata{Name:${ctr.name},Attempt:${attempt},} failed`, kv('error', why));
        const grpc = `rpc error: code = Unknown desc = ${why}`;
        k(t + rng.int(200, 3000), 'E', 'remote_runtime.go:319', `"CreateContainer in sandbox from runtime service failed" err=${goQuote(grpc)} podSandboxID="${pod.sandboxId}"`);
        k(t + rng.int(3000, 6000), 'E', 'pod_workers.go:1298', `"Error syncing pod, skipping" err=${goQuote(`failed to "StartContainer" for "${ctr.name}" with CreateContainerError: "${why}"`)} pod="${pod.ns}/${pod.name}" podUID=${pod.uid}`);
        t += sec(rng, 10, 25);
      }
    }
    // A pull that cannot unpack its layers.
    if (rng.chance(0.7) && others.length > 3) {
      const pod = others[3]!;
      const image = main(pod)!.image.ref;
      const layer = `write ${SNAPSHOTS}/${rng.int(200, 4000)}/fs/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1: no space left on device`;
      const why = `failed to pull and unpack image "${image}": failed to extract layer sha256:${rng.hex(64)}: ${layer}: unknown`;
      const t = pressureUs + sec(rng, 0, 20);
      c(t, 'error', `PullImage "${image}" failed`, kv('error', why));
      k(t + rng.int(200, 2000), 'E', 'remote_image.go:238', `"PullImage from image service failed" err=${goQuote(`rpc error: code = Unknown desc = ${why}`)} image="${image}"`);
    }
    // Log lines the runtime cannot write for the culprit's containers (when its logs filled the disk).
    if (logsFilled) {
      const ctr = main(culprit)!;
      const file = `/var/log/pods/${culprit.ns}_${culprit.name}_${culprit.uid}/${ctr.name}/0.log`;
      for (let t = pressureUs - sec(rng, 10, 60), n = rng.int(2, 6); n > 0; n--, t += sec(rng, 1, 20)) {
        c(t, 'error', `Fail to write "stdout" log to log file "${file}"`, kv('error', `write ${file}: no space left on device`));
      }
    }
    return { kubelet, containerd, containerdGoroutines: [], chainWindow: { fromUs: w(pressureUs), toUs: w(lastRoundUs) } };
  };
}

function main(p: Pod): Container | undefined {
  return p.containers.find((c) => !c.init && c.startUs > 0);
}

/** kubelet's eviction message: the node was low on the resource, and what the pod used of it. */
function evictionMessage(rng: Rng, isCulprit: boolean, ctr: Container, resource: string): string {
  const low = `The node was low on resource: ${resource === 'nodefs' ? 'ephemeral-storage' : resource}. Threshold quantity: ${rng.int(9_000_000_000, 11_000_000_000)}, available: ${rng.int(2_000_000, 9_000_000)}Ki. `;
  const used = isCulprit ? `${rng.int(12, 60)}Gi` : `${rng.int(20, 900)}Mi`;
  return `${low}Container ${ctr.name} was using ${used}, request is 0, has larger consumption of ephemeral-storage. `;
}

function evictedEvent(pod: Pod, message: string, legacy: boolean): string {
  if (legacy) return `Event(v1.ObjectReference{Kind:"Pod", Namespace:"${pod.ns}", Name:"${pod.name}", UID:"${pod.uid}", APIVersion:"v1", ResourceVersion:"${(pod.uid.charCodeAt(0) * 991) % 90000 + 10000}", FieldPath:""}): type: 'Warning' reason: 'Evicted' ${message}`;
  return `"Event occurred" object="${pod.ns}/${pod.name}" fieldPath="" kind="Pod" apiVersion="v1" type="Warning" reason="Evicted" message=${goQuote(message)}`;
}
