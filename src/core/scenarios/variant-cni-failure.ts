// cni-sandbox-failure: new pods on the node stay in ContainerCreating because the CNI plugin cannot
// set up their sandbox's network. The seed picks the plugin and what broke it: Calico's token no
// longer accepted by the API server, the AWS VPC CNI out of addresses, the Cilium agent down,
// flanneld not running (no subnet.env), a bridge network's host-local range full, the Calico
// binary missing from /opt/cni/bin, or the CNI config removed (kubelet: NetworkPluginNotReady).
// Pods already running keep their network; kubelet retries each new pod with a growing back-off
// until the plugin works again, and the sandbox's teardown fails too when the plugin cannot reach
// its agent or the API server.

import { kv } from './containerd';
import type { Pod } from './inventory';
import { S, type Plan } from './plan';
import { Rng } from './rng';
import { goQuote } from './text';
import { sec, VariantJournals, type VariantExtras } from './variant-common';

type Fault = 'calico-unauthorized' | 'aws-ip-exhausted' | 'cilium-down' | 'flannel-down' | 'host-local-full' | 'plugin-missing' | 'config-removed';

interface NewPod { ns: string; name: string; uid: string }

/** The plugin's error for ADD and, when the same cause breaks DEL, for DEL. */
function faultErrors(fault: Fault, rng: Rng, podCidr: string): { add: string; del: string | null } {
  switch (fault) {
    case 'calico-unauthorized': {
      const why = rng.chance(0.5) ? 'error getting ClusterInformation: connection is unauthorized: Unauthorized' : 'error getting ClusterInformation: connection is unauthorized: clusterinformations.crd.projectcalico.org "default" is forbidden: User "system:serviceaccount:kube-system:calico-cni-plugin" cannot get resource "clusterinformations" in API group "crd.projectcalico.org" at the cluster scope';
      return { add: `plugin type="calico" failed (add): ${why}`, del: `plugin type="calico" failed (delete): ${why}` };
    }
    case 'aws-ip-exhausted':
      return { add: 'plugin type="aws-cni" name="aws-cni" failed (add): add cmd: failed to assign an IP address to container', del: null };
    case 'cilium-down': {
      const why = 'unable to connect to Cilium daemon: failed to create cilium agent client after 30.000000 seconds timeout: Get "http:///var/run/cilium/cilium.sock/v1/config": dial unix /var/run/cilium/cilium.sock: connect: connection refused Is the agent running?';
      return { add: `plugin type="cilium-cni" name="cilium" failed (add): ${why}`, del: `plugin type="cilium-cni" name="cilium" failed (delete): ${why}` };
    }
    case 'flannel-down':
      return { add: 'plugin type="flannel" failed (add): failed to load flannel \'subnet.env\' file: open /run/flannel/subnet.env: no such file or directory. Check the flannel pod log for this node.', del: null };
    case 'host-local-full':
      return { add: `plugin type="bridge" name="cbr0" failed (add): failed to allocate for range 0: no IP addresses available in range set: ${podCidr}.1-${podCidr}.254`, del: null };
    case 'plugin-missing':
      return { add: 'plugin type="calico" failed (add): failed to find plugin "calico" in path [/opt/cni/bin]', del: 'plugin type="calico" failed (delete): failed to find plugin "calico" in path [/opt/cni/bin]' };
    case 'config-removed':
      return { add: '', del: null };
  }
}

export function reshapeCniFailure(plan: Plan): () => VariantExtras {
  const rng = new Rng(plan.seed).fork('variant-cni-failure');
  const fault = rng.pick<Fault>(['calico-unauthorized', 'aws-ip-exhausted', 'cilium-down', 'flannel-down', 'host-local-full', 'plugin-missing', 'config-removed']);
  // Old kubelets (≤ 1.20) log unstructured, naming pods name_ns(uid).
  const old = rng.chance(0.35);
  const workloads = plan.pods.filter((p) => !p.hostNetwork && p.kind !== 'daemonset');
  const templates = rng.shuffle(workloads.length ? workloads : plan.pods);
  const faultUs = plan.podsAddUs + sec(rng, 200, 420);
  const fixUs = faultUs + sec(rng, 420, 900);
  plan.endUs = Math.max(plan.endUs, fixUs + 240 * S);
  const pods: NewPod[] = templates.slice(0, rng.int(2, 5)).map((p) => ({ ns: p.ns, name: replicaName(rng, p), uid: rng.uuid() }));
  const podCidr = `10.244.${rng.int(1, 60)}`;
  const errors = faultErrors(fault, rng, podCidr);

  return () => {
    const journals = new VariantJournals(plan, rng);
    const { kubelet, containerd, at: w, kubeletLine: k } = journals;
    const c = journals.containerdLine;
    const ref = (p: NewPod): string => `${p.name}_${p.ns}(${p.uid})`;
    const notReady = old
      ? 'NetworkReady=false reason:NetworkPluginNotReady message:docker: network plugin is not ready: cni config uninitialized'
      : 'NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';
    let lastUs = faultUs;

    if (fault === 'config-removed') {
      // The conflist is deleted (a DaemonSet rollout gone wrong): containerd's watcher reloads and finds none.
      c(faultUs, 'error', 'failed to reload cni configuration after receiving fs change event("/etc/cni/net.d/10-calico.conflist": REMOVE)', kv('error', 'cni config load failed: no network config found in /etc/cni/net.d: cni plugin not initialized: failed to load cni config'));
      for (let t = faultUs + sec(rng, 1, 5); t < fixUs; t += 5 * S + rng.int(0, 60_000)) {
        k(t, 'E', 'kubelet.go:2855', old ? `Container runtime network not ready: ${notReady}` : `"Container runtime network not ready" networkReady="${notReady}"`);
        lastUs = t;
      }
      const lt = new Date(Math.floor(w(faultUs + 5 * S) / 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z');
      k(faultUs + sec(rng, 5, 10), 'I', 'setters.go:577', `"Node became not ready" node="${plan.host}" condition={Type:Ready Status:False LastHeartbeatTime:${lt} LastTransitionTime:${lt} Reason:KubeletNotReady Message:container runtime network not ready: ${notReady}}`);
    }

    for (const pod of pods) {
      const sandboxes: string[] = [];
      let t = faultUs + sec(rng, 2, 90);
      for (let backoff = 10; t < fixUs; t += sec(rng, backoff, backoff + 2), backoff = Math.min(300, backoff * 2)) {
        const sb = rng.hex(64);
        sandboxes.push(sb);
        lastUs = Math.max(lastUs, t);
        if (fault === 'config-removed') {
          // kubelet does not even ask for a sandbox while the runtime's network is not ready.
          k(t, 'E', 'pod_workers.go:1298', old
            ? `Error syncing pod ${pod.uid} ("${ref(pod)}"), skipping: network is not ready: [runtime network not ready: ${notReady}]`
            : `"Error syncing pod, skipping" err="network is not ready: container runtime network not ready: ${notReady}" pod="${pod.ns}/${pod.name}" podUID=${pod.uid}`);
          continue;
        }
        const meta = `&PodSandboxMetadata{Name:${pod.name},Uid:${pod.uid},Namespace:${pod.ns},Attempt:0,}`;
        c(t, 'info', `RunPodSandbox for ${meta}`);
        const setup = `failed to setup network for sandbox "${sb}": ${errors.add}`;
        let u = t + rng.int(20_000, 400_000) + (fault === 'cilium-down' ? 30 * S : 0);
        c(u, 'error', `RunPodSandbox for ${meta} failed, error`, kv('error', setup));
        if (errors.del) {
          // containerd tears the half-made sandbox down; the same cause breaks DEL.
          c(u - rng.int(1000, 10_000), 'error', `Failed to destroy network for sandbox "${sb}"`, kv('error', errors.del));
        }
        const grpc = `rpc error: code = Unknown desc = ${setup}`;
        u += rng.int(300, 3000);
        if (old) {
          k(u, 'E', 'remote_runtime.go:116', `RunPodSandbox from runtime service failed: ${grpc}`);
          k(u + 100, 'E', 'kuberuntime_sandbox.go:68', `CreatePodSandbox for pod "${ref(pod)}" failed: ${grpc}`);
          k(u + 200, 'E', 'kuberuntime_manager.go:733', `createPodSandbox for pod "${ref(pod)}" failed: ${grpc}`);
          k(u + 400, 'E', 'pod_workers.go:191', `Error syncing pod ${pod.uid} ("${ref(pod)}"), skipping: failed to "CreatePodSandbox" for "${ref(pod)}" with CreatePodSandboxError: ${goQuote(`CreatePodSandbox for pod "${ref(pod)}" failed: ${grpc}`)}`);
        } else {
          k(u, 'E', 'remote_runtime.go:222', `"RunPodSandbox from runtime service failed" err=${goQuote(grpc)}`);
          k(u + 100, 'E', 'kuberuntime_sandbox.go:72', `"Failed to create sandbox for pod" err=${goQuote(grpc)} pod="${pod.ns}/${pod.name}"`);
          k(u + 200, 'E', 'kuberuntime_manager.go:1166', `"CreatePodSandbox for pod failed" err=${goQuote(grpc)} pod="${pod.ns}/${pod.name}"`);
          const inner = `Failed to create sandbox for pod ${goQuote(ref(pod))}: ${grpc}`;
          k(u + 400, 'E', 'pod_workers.go:1298', `"Error syncing pod, skipping" err=${goQuote(`failed to "CreatePodSandbox" for "${ref(pod)}" with CreatePodSandboxError: ${goQuote(inner)}`)} pod="${pod.ns}/${pod.name}" podUID=${pod.uid}`);
        }
        k(u + rng.int(500, 2000), 'I', 'event.go:294', `"Event occurred" object="${pod.ns}/${pod.name}" fieldPath="" kind="Pod" apiVersion="v1" type="Warning" reason="FailedCreatePodSandBox" message=${goQuote(`Failed to create pod sandbox: ${grpc}`)}`);
      }
      // kubelet stops the failed sandboxes on its next sync: DEL fails the same way.
      if (errors.del) {
        for (const sb of sandboxes.slice(0, 3)) {
          const at = faultUs + sec(rng, 30, Math.max(31, (fixUs - faultUs) / S - 10));
          const stop = `rpc error: code = Unknown desc = failed to destroy network for sandbox "${sb}": ${errors.del}`;
          k(at, 'E', 'remote_runtime.go:205', old ? `StopPodSandbox "${sb}" from runtime service failed: ${stop}` : `"StopPodSandbox from runtime service failed" err=${goQuote(stop)} podSandboxID="${sb}"`);
          k(at + rng.int(100, 900), 'E', 'pod_workers.go:1298', old
            ? `Error syncing pod ${pod.uid} ("${ref(pod)}"), skipping: failed to "KillPodSandbox" for "${pod.uid}" with KillPodSandboxError: ${goQuote(stop)}`
            : `"Error syncing pod, skipping" err=${goQuote(`failed to "KillPodSandbox" for "${pod.uid}" with KillPodSandboxError: ${goQuote(stop)}`)} pod="${pod.ns}/${pod.name}" podUID=${pod.uid}`);
        }
      }
      // Fixed: the next attempt gets its network.
      const sb = rng.hex(64);
      const ok = t + rng.int(100_000, 900_000);
      c(ok, 'info', `RunPodSandbox for &PodSandboxMetadata{Name:${pod.name},Uid:${pod.uid},Namespace:${pod.ns},Attempt:0,} returns sandbox id "${sb}"`);
      k(ok + rng.int(1000, 20_000), 'I', 'kuberuntime_manager.go:766', `"Created PodSandbox for pod" podSandboxID="${sb}" pod="${pod.ns}/${pod.name}"`);
    }
    return { kubelet, containerd, containerdGoroutines: [], chainWindow: { fromUs: w(faultUs), toUs: w(lastUs) } };
  };
}

/** A new replica of a workload: the same base name with a fresh random suffix (or the next ordinal). */
function replicaName(rng: Rng, pod: Pod): string {
  if (pod.kind === 'statefulset') return pod.name.replace(/-\d+$/, `-${rng.int(3, 9)}`);
  const base = pod.name.replace(/-[a-z0-9]{5}$/, '');
  return `${base}-${rng.alnum(5)}`;
}
