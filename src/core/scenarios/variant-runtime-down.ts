// runtime-down: containerd is OOM-killed; systemd restarts it after RestartSec, and its start is slow
// (recovering the state of every container). Meanwhile kubelet's CRI calls are refused, PLEG cannot
// list, and kubelet reports the runtime not ready. Running containers survive (their shims do).

import { kv } from './containerd';
import { S, type Plan } from './plan';
import { Rng } from './rng';
import { sec, VariantJournals, type VariantExtras } from './variant-common';

const DIAL = 'connection error: desc = \\"transport: Error while dialing dial unix /run/containerd/containerd.sock: connect: connection refused\\"';

export function reshapeRuntimeDown(plan: Plan): () => VariantExtras {
  const rng = new Rng(plan.seed).fork('variant-runtime-down');
  const crashUs = plan.podsAddUs + sec(rng, 180, 360);
  const restartUs = crashUs + sec(rng, 5, 12);
  const bootedUs = restartUs + sec(rng, 12, 70);
  plan.endUs = Math.max(plan.endUs, bootedUs + 300 * S);
  if (plan.dumpUs > crashUs - 10 * S && plan.dumpUs < bootedUs + 10 * S) plan.dumpUs = bootedUs + sec(rng, 30, 90);
  plan.shimDumpUs = plan.dumpUs + sec(rng, 2, 15);

  return () => {
    const journals = new VariantJournals(plan, rng);
    const { kubelet, containerd, at: w, kubeletLine: k } = journals;
    const c = journals.containerdLine;
    const sd = journals.containerdUnitLine;

    // The kill and systemd's restart.
    sd(crashUs, 'containerd.service: Main process exited, code=killed, status=9/KILL');
    sd(crashUs + rng.int(200, 900), "containerd.service: Failed with result 'signal'.");
    sd(restartUs - rng.int(1000, 5000), 'containerd.service: Scheduled restart job, restart counter is at 1.');
    sd(restartUs - rng.int(500, 900), 'Stopped containerd container runtime.');
    sd(restartUs - rng.int(100, 400), 'Starting containerd container runtime...');
    c(restartUs, 'info', 'starting containerd', `${kv('revision', '3dce8eb055cbb6872793272b4f20ed16117344f8')}${kv('version', '1.6.21')}`);
    let t = restartUs;
    for (const [id, type] of [['io.containerd.content.v1.content', 'io.containerd.content.v1'], ['io.containerd.snapshotter.v1.overlayfs', 'io.containerd.snapshotter.v1'], ['io.containerd.metadata.v1.bolt', 'io.containerd.metadata.v1'], ['io.containerd.runtime.v2.task', 'io.containerd.runtime.v2'], ['io.containerd.grpc.v1.cri', 'io.containerd.grpc.v1']] as const) {
      t += rng.int(200, 4000);
      c(t, 'info', `loading plugin "${id}"...`, kv('type', type));
    }
    c(t + rng.int(1000, 20000), 'info', 'Start recovering state');
    c(bootedUs - rng.int(20000, 90000), 'info', 'serving...', kv('address', '/run/containerd/containerd.sock'));
    c(bootedUs, 'info', `containerd successfully booted in ${((bootedUs - restartUs) / S).toFixed(6)}s`);
    sd(bootedUs + rng.int(1000, 5000), 'Started containerd container runtime.');

    // kubelet while the socket is gone: in-flight calls cut, then refused dials, PLEG failing.
    const cut = 'err="rpc error: code = Unavailable desc = transport is closing"';
    k(crashUs + rng.int(1000, 30000), 'E', 'remote_runtime.go:390', `"ListContainers with filter from runtime service failed" ${cut} filter="&ContainerFilter{Id:,State:nil,PodSandboxId:,LabelSelector:map[string]string{},}"`);
    k(crashUs + rng.int(30000, 60000), 'E', 'generic.go:205', `"GenericPLEG: Unable to retrieve pods" ${cut}`);
    const refused = `err="rpc error: code = Unavailable desc = ${DIAL}"`;
    for (let u = crashUs + sec(rng, 0.8, 1.2); u < bootedUs; u += sec(rng, 0.9, 1.1)) {
      k(u, 'E', 'remote_runtime.go:277', `"ListPodSandbox with filter from runtime service failed" ${refused} filter="nil"`);
      k(u + rng.int(100, 900), 'E', 'kuberuntime_sandbox.go:292', `"Failed to list pod sandboxes" ${refused}`);
      k(u + rng.int(1000, 2000), 'E', 'generic.go:205', `"GenericPLEG: Unable to retrieve pods" ${refused}`);
    }
    for (let u = crashUs + sec(rng, 2, 5); u < bootedUs + 2 * S; u += sec(rng, 4.5, 5.5)) {
      k(u, 'E', 'kubelet.go:2183', '"Container runtime not ready" runtimeReady="RuntimeReady=false reason:ContainerdNotReady message:container runtime is down"');
      k(u + rng.int(500, 3000), 'E', 'kubelet.go:1846', '"Skipping pod synchronization" err="container runtime is down"');
    }
    return { kubelet, containerd, containerdGoroutines: [], chainWindow: { fromUs: w(crashUs), toUs: w(bootedUs) } };
  };
}
