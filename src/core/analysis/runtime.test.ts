import { describe, expect, it } from 'vitest';
import { cannotReachRuntime, detectRuntime } from './runtime';
import { containerdLine, inputOf, kinds, kubeletLine } from './test-helpers';

const T0 = Date.UTC(2023, 5, 15, 6, 39, 0) * 1000;
const SEC = 1e6;
const ID = '8f71eadd772ffde7f9537998844aa3f7a8a4f15ec182a5943ef0d60f242b1929';
const OTHER = 'af10720054623b8b324e1e3275d402d785c3e671c4b064805653427504165d4d';

describe('runtime detector', () => {
  it('TaskExit failures per container, in the 1.6 and the older wording', async () => {
    const containerd = [
      containerdLine(T0 + 10 * SEC, 'error', `failed to handle container TaskExit event &TaskExit{ContainerID:${ID},ID:${ID},Pid:3658,ExitStatus:0,ExitedAt:2023-06-15 06:39:36.566238047 +0000 UTC,XXX_unrecognized:[],}`, 'error="failed to stop container: failed to delete task: context deadline exceeded: unknown"'),
      containerdLine(T0 + 20 * SEC, 'error', `Failed to handle event &TaskExit{ContainerID:${OTHER},ID:${OTHER},Pid:23713,ExitStatus:255,} for ${OTHER}`, 'error="failed to handle container TaskExit event: failed to stop container: context deadline exceeded: unknown"'),
      containerdLine(T0 + 30 * SEC, 'error', `failed to handle container TaskExit event &TaskExit{ContainerID:${ID},ID:${ID},Pid:3658,ExitStatus:0,}`, 'error="failed to stop container: failed to delete task: context deadline exceeded: unknown"'),
    ];
    // containerd 1.7+ prints the event as protobuf text, quoted inside the logfmt msg.
    containerd.push(containerdLine(T0 + 40 * SEC, 'error', `failed to handle container TaskExit event container_id:\\"${OTHER}\\" id:\\"${OTHER}\\" pid:23713 exit_status:255 exited_at:{seconds:1686811176 nanos:566238047}`, 'error="failed to stop container: context deadline exceeded: unknown"'));
    const f = detectRuntime(await inputOf({ 'containerd.log': `${containerd.join('\n')}\n` }));
    const exits = kinds(f, 'taskexit-failed');
    expect(exits.map((e) => [e.facts.containerId, e.facts.count])).toEqual([[ID, 2], [OTHER, 2]]);
    expect(kinds(f, 'cri-deadline')).toEqual([]);
  });

  it('CRI deadlines name the call and the side; probe timeouts are not CRI deadlines', async () => {
    const kubelet = [
      kubeletLine(T0, 'E', 'remote_runtime.go:276', `"StopContainer from runtime service failed" err="rpc error: code = DeadlineExceeded desc = context deadline exceeded" containerID="${ID}"`),
      kubeletLine(T0 + 1000, 'E', 'kuberuntime_container.go:784', `"Container termination failed with gracePeriod" err="rpc error: code = DeadlineExceeded desc = context deadline exceeded" pod="ops/report-gen-28806338-tszrl" containerID="containerd://${ID}" gracePeriod=30`),
      kubeletLine(T0 + 2 * SEC, 'I', 'prober.go:116', '"Probe failed" probeType="Readiness" pod="a/b" probeResult=failure output="Get \\"http://10.0.0.1:8080/\\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"'),
      kubeletLine(T0 + 3 * SEC, 'E', 'remote_runtime.go:390', '"ListContainers with filter from runtime service failed" err="rpc error: code = DeadlineExceeded desc = context deadline exceeded" filter="&ContainerFilter{}"'),
    ];
    const containerd = [containerdLine(T0 + 500, 'error', `StopContainer for \\"${ID}\\" failed`, `error="failed to stop container \\"${ID}\\": wait container: context deadline exceeded"`)];
    const f = detectRuntime(await inputOf({ 'kubelet.log': `${kubelet.join('\n')}\n`, 'containerd.log': `${containerd.join('\n')}\n` }));
    const d = kinds(f, 'cri-deadline').map((x) => [x.facts.call, x.facts.origin, x.facts.count]).sort();
    expect(d).toEqual([['KillContainer', 'kubelet', 1], ['ListContainers', 'kubelet', 1], ['StopContainer', 'containerd', 1], ['StopContainer', 'kubelet', 1]]);
  });

  it('unreachable runtime, dead shims and restarts (the first start is the boot)', async () => {
    const kubelet = [
      kubeletLine(T0, 'E', 'remote_runtime.go:222', '"ListPodSandbox with filter from runtime service failed" err="rpc error: code = Unavailable desc = connection error: desc = \\"transport: Error while dialing dial unix /run/containerd/containerd.sock: connect: connection refused\\""'),
      kubeletLine(T0 + 2 * SEC, 'E', 'kubelet.go:2040', '"Container runtime not ready" runtimeReady="RuntimeReady=false reason: message:"'),
    ];
    const containerd = [
      containerdLine(T0 - 600 * SEC, 'info', 'starting containerd', 'revision=3dce8eb055cbb6872793272b4f20ed16117344f8 version=1.6.21'),
      containerdLine(T0 - 300 * SEC, 'info', 'shim disconnected', `id=${ID} namespace=k8s.io`),
      containerdLine(T0 - 300 * SEC + 1000, 'info', 'cleaning up dead shim', 'namespace=k8s.io'),
      containerdLine(T0 + 5 * SEC, 'info', 'starting containerd', 'revision=3dce8eb055cbb6872793272b4f20ed16117344f8 version=1.6.21'),
      containerdLine(T0 + 5 * SEC + 50_000, 'info', 'containerd successfully booted in 0.052s'),
    ];
    const f = detectRuntime(await inputOf({ 'kubelet.log': `${kubelet.join('\n')}\n`, 'containerd.log': `${containerd.join('\n')}\n` }));
    expect(kinds(f, 'runtime-unavailable').map((x) => x.facts.count)).toEqual([1]);
    expect(kinds(f, 'shim-disconnected').map((x) => x.facts.count)).toEqual([2]);
    const restarts = kinds(f, 'runtime-restart');
    expect(restarts).toHaveLength(1);
    expect(restarts[0]!.from).toBe(T0 + 5 * SEC);
  });

  it('a refused dial inside the runtime\'s reply (CNI plugin, API server) is not the runtime being unreachable', () => {
    const q = (x: string) => x.replace(/"/g, '\\"');
    // The runtime answered (code = Unknown): what refused was the CNI plugin's own peer.
    const cni = [
      `plugin type="calico" failed (add): error getting ClusterInformation: Get "https://10.96.0.1:443/apis/crd.projectcalico.org/v1/clusterinformations/default": dial tcp 10.96.0.1:443: connect: connection refused`,
      'plugin type="cilium-cni" failed (add): unable to connect to Cilium daemon: Get "http:///var/run/cilium/cilium.sock/v1/config": dial unix /var/run/cilium/cilium.sock: connect: connection refused',
      'plugin type="aws-cni" failed (add): add cmd: Error received from AddNetwork gRPC call: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial tcp 127.0.0.1:50051: connect: connection refused"',
    ];
    for (const e of cni) {
      const reply = `failed to setup network for sandbox "${ID}": ${e}`;
      expect(cannotReachRuntime(kubeletLine(T0, 'E', 'remote_runtime.go:176', `"RunPodSandbox from runtime service failed" err="rpc error: code = Unknown desc = ${q(reply)}"`), 'kubelet'), e).toBe(false);
      // containerd logging the same failure is the runtime talking about its own peer.
      expect(cannotReachRuntime(containerdLine(T0, 'error', 'RunPodSandbox for &PodSandboxMetadata{Name:web-0,Uid:1,Namespace:web,Attempt:0,} failed, error', `error="${q(reply)}"`), 'containerd'), e).toBe(false);
    }
    // Without the CRI status (older kubelets), a dial to a TCP peer is still not the runtime's socket.
    expect(cannotReachRuntime('E0602 "CreatePodSandbox for pod failed" runtime: dial tcp 10.0.0.1:443: connect: connection refused', 'kubelet')).toBe(false);
    for (const sock of ['/run/containerd/containerd.sock', '/var/run/crio/crio.sock', '/run/cri-dockerd.sock']) {
      expect(cannotReachRuntime(`"ListPodSandbox with filter from runtime service failed" err="rpc error: code = Unavailable desc = connection error: desc = \\"transport: Error while dialing dial unix ${sock}: connect: connection refused\\""`, 'kubelet'), sock).toBe(true);
    }
    expect(cannotReachRuntime('"ListContainers with filter from runtime service failed" err="rpc error: code = Unavailable desc = transport is closing"', 'kubelet')).toBe(true);
  });

  it('kubelet\'s own API-server calls are not the runtime, even when they name a RuntimeClass', () => {
    // A failed lookup's dial names no address, and the reflector's resource says "runtime".
    const reflector = 'k8s.io/client-go/informers/factory.go:150: Failed to watch *v1.RuntimeClass: failed to list *v1.RuntimeClass: Get "https://api.cluster.example.com:6443/apis/node.k8s.io/v1/runtimeclasses?limit=500&resourceVersion=0": dial tcp: lookup api.cluster.example.com on 10.0.0.2:53: read udp 10.0.1.2:41234->10.0.0.2:53: read: connection refused';
    expect(cannotReachRuntime(kubeletLine(T0, 'E', 'reflector.go:147', reflector), 'kubelet')).toBe(false);
    const status = `"Error updating node status, will retry" err="error getting node \\"n\\": Get \\"https://10.0.0.1:6443/api/v1/nodes/n?resourceVersion=0&timeout=10s\\": dial tcp 10.0.0.1:6443: connect: connection refused"`;
    expect(cannotReachRuntime(kubeletLine(T0, 'E', 'kubelet_node_status.go:535', status), 'kubelet')).toBe(false);
  });
});
