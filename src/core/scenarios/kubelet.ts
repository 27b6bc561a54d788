// kubelet's journal (`journalctl -u kubelet -o short-precise`): klog v2 structured text behind the
// journald prefix. Signal: startup, PLEG relists (with the stall), image pulls, container events,
// StopContainer timeouts. Noise: pod syncs, probes, volumes, HTTP requests, cadvisor warnings.

import { mergeStream, sortByTime, type NoiseSource, type TimedLine } from './chunks';
import { RunningIndex, type Container, type Pod } from './inventory';
import { S, type Plan } from './plan';
import { Rng } from './rng';
import { WallClock, goDuration } from './stamps';
import { goQuote } from './text';
import type { ImagePullTruth } from './types';

export class KubeletFmt {
  private readonly prefix: string;
  private readonly tid: string;
  readonly delay: number;
  constructor(
    private readonly plan: Plan,
    private readonly clock: WallClock,
  ) {
    this.prefix = ` ${plan.host} ${plan.kubeletIdent}[${plan.kubeletJournalPid}]: `;
    this.tid = String(plan.kubeletPid).padStart(7, ' ');
    // journald's receive delay; constant per file so the prefix keeps the klog order.
    this.delay = new Rng(plan.seed).fork('kubelet-delay').int(0, 60);
  }

  /** One klog line; `wUs` is the klog stamp as written (true + skew). */
  text(wUs: number, sev: string, src: string, msg: string): string {
    const recv = wUs + this.delay;
    return `${this.clock.journal(recv)}${this.prefix}${this.clock.klog(wUs, sev)} ${this.tid} ${src}] ${msg}\n`;
  }

  /** A non-klog line on kubelet's stdout/stderr (flag warnings, CNI plugin output). */
  raw(wUs: number, msg: string): string {
    return `${this.clock.journal(wUs + this.delay)}${this.prefix}${msg}\n`;
  }

  systemd(wUs: number, msg: string): string {
    return `${this.clock.journal(wUs + this.delay)} ${this.plan.host} systemd[1]: ${msg}\n`;
  }
}

export const podRef = (p: Pod): string => `"${p.ns}/${p.name}"`;

/** Kubelet events as the legacy recorder prints them, or as structured `Event occurred`. */
function eventMsg(legacy: boolean, pod: Pod, ctr: Container | null, type: string, reason: string, message: string): string {
  if (legacy) {
    const field = ctr ? `spec.${ctr.init ? 'initContainers' : 'containers'}{${ctr.name}}` : '';
    return `Event(v1.ObjectReference{Kind:"Pod", Namespace:"${pod.ns}", Name:"${pod.name}", UID:"${pod.uid}", APIVersion:"v1", ResourceVersion:"${(pod.uid.charCodeAt(0) * 997) % 90000 + 10000}", FieldPath:"${field}"}): type: '${type}' reason: '${reason}' ${message}`;
  }
  return `"Event occurred" object="${pod.ns}/${pod.name}" kind="Pod" apiVersion="v1" type="${type}" reason="${reason}" message=${goQuote(message)}`;
}

export interface KubeletSignal {
  lines: TimedLine[];
  pulls: ImagePullTruth[];
  stopErrors: number;
  unhealthy: number;
  relists: number;
}

export function kubeletSignal(plan: Plan): KubeletSignal {
  const rng = new Rng(plan.seed).fork('kubelet-signal');
  const clock = new WallClock(plan.zoneOffsetMin);
  const fmt = new KubeletFmt(plan, clock);
  const legacy = new Rng(plan.seed).fork('kubelet-style').chance(0.5);
  const w = (us: number): number => us + plan.skewUs;
  const out: TimedLine[] = [];
  const put = (us: number, sev: string, src: string, msg: string): void => {
    out.push({ us: w(us), text: fmt.text(w(us), sev, src, msg) });
  };
  const ms = (lo: number, hi: number): number => Math.round(rng.range(lo, hi) * 1000);
  const host = plan.host;

  // Startup.
  let t = plan.kubeletStartUs;
  const started = w(t - ms(150, 400));
  out.push({ us: started, text: fmt.systemd(started, 'Started kubelet: The Kubernetes Node Agent.') });
  const raw = (msg: string): void => {
    t += ms(0.05, 2);
    out.push({ us: w(t), text: fmt.raw(w(t), msg) });
  };
  raw("Flag --cgroup-driver has been deprecated, This parameter should be set via the config file specified by the Kubelet's --config flag. See https://kubernetes.io/docs/tasks/administer-cluster/kubelet-config-file/ for more information.");
  raw("Flag --container-runtime-endpoint has been deprecated, This parameter should be set via the config file specified by the Kubelet's --config flag. See https://kubernetes.io/docs/tasks/administer-cluster/kubelet-config-file/ for more information.");
  const step = (sev: string, src: string, msg: string, lo = 0.1, hi = 30): void => {
    t += ms(lo, hi);
    put(t, sev, src, msg);
  };
  step('I', 'server.go:411', '"Kubelet version" kubeletVersion="v1.19.16"');
  step('I', 'server.go:413', '"Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""');
  step('I', 'dynamic_cafile_content.go:167', '"Starting controller" name="client-ca-bundle::/etc/kubernetes/pki/ca.crt"');
  step('I', 'server.go:657', '"--cgroups-per-qos enabled, but --cgroup-root was not specified.  defaulting to /"', 50, 300);
  step('I', 'container_manager_linux.go:280', `"Creating Container Manager object based on Node Config" nodeConfig={RuntimeCgroupsName: SystemCgroupsName: KubeletCgroupsName: ContainerRuntime:remote CgroupsPerQOS:true CgroupRoot:/ CgroupDriver:systemd KubeletRootDir:/var/lib/kubelet ProtectKernelDefaults:false NodeAllocatableConfig:{KubeReservedCgroupName: SystemReservedCgroupName: ReservedSystemCPUs: EnforceNodeAllocatable:map[pods:{}] KubeReserved:map[] SystemReserved:map[] HardEvictionThresholds:[{Signal:memory.available Operator:LessThan Value:{Quantity:100Mi Percentage:0} GracePeriod:0s MinReclaim:<nil>} {Signal:nodefs.available Operator:LessThan Value:{Quantity:<nil> Percentage:0.1} GracePeriod:0s MinReclaim:<nil>} {Signal:nodefs.inodesFree Operator:LessThan Value:{Quantity:<nil> Percentage:0.05} GracePeriod:0s MinReclaim:<nil>} {Signal:imagefs.available Operator:LessThan Value:{Quantity:<nil> Percentage:0.15} GracePeriod:0s MinReclaim:<nil>}]} QOSReserved:map[] ExperimentalCPUManagerPolicy:static ExperimentalTopologyManagerScope:container ExperimentalCPUManagerReconcilePeriod:10s ExperimentalPodPidsLimit:-1 EnforceCPULimits:true CPUCFSQuotaPeriod:100ms ExperimentalTopologyManagerPolicy:none}`);
  step('I', 'topology_manager.go:133', '"Creating topology manager with policy per scope" topologyPolicyName="none" topologyScopeName="container"');
  step('I', 'container_manager_linux.go:311', '"Creating device plugin manager" devicePluginEnabled=true');
  step('I', 'state_mem.go:36', '"Initialized new in-memory state store"');
  step('I', 'kubelet.go:418', '"Attempting to sync node with API server"');
  step('I', 'kubelet.go:279', '"Adding static pod path" path="/etc/kubernetes/manifests"');
  step('I', 'kubelet.go:290', '"Adding apiserver pod source"');
  step('I', 'kuberuntime_manager.go:222', '"Container runtime initialized" containerRuntime="containerd" version="1.6.21" apiVersion="v1alpha2"', 20, 200);
  step('I', 'server.go:1164', '"Started kubelet"', 50, 400);
  step('I', 'fs_resource_analyzer.go:67', '"Starting FS ResourceAnalyzer"');
  step('I', 'volume_manager.go:289', '"Starting Kubelet Volume Manager"');
  step('I', 'desired_state_of_world_populator.go:146', '"Desired state populator starts to run"');
  step('I', 'server.go:149', '"Starting to listen" address="0.0.0.0" port=10250');
  step('I', 'server.go:405', '"Adding debug handlers to kubelet server"');
  step('I', 'cpu_manager.go:209', '"Starting CPU manager" policy="static"', 20, 200);
  step('I', 'cpu_manager.go:210', '"Reconciling" reconcilePeriod="10s"');
  step('I', 'state_mem.go:88', `"Updated default CPUSet" cpuSet="0-${plan.cpus - 1}"`);
  step('I', 'kubelet_node_status.go:71', `"Attempting to register node" node="${host}"`);
  step('I', 'kubelet.go:1822', '"Starting kubelet main sync loop"');
  let back = 0.1;
  let ts = t + ms(5, 40);
  while (ts < (plan.relists[0] ?? ts)) {
    put(ts, 'E', 'kubelet.go:1846', '"Skipping pod synchronization" err="[container runtime status check may not have completed yet, PLEG is not healthy: pleg has yet to be successful]"');
    ts += Math.round(back * S) + rng.int(100, 3000);
    back = Math.min(5, back * 2);
  }
  put(t + ms(300, 900), 'I', 'kubelet_node_status.go:109', `"Node was previously registered" node="${host}"`);
  put(t + ms(900, 1500), 'I', 'kubelet_node_status.go:74', `"Successfully registered node" node="${host}"`);
  put((plan.relists[0] ?? t) + ms(500, 3000), 'I', 'kubelet_node_status.go:581', `"Recording event message for node" node="${host}" event="NodeReady"`);
  put(plan.podsAddUs, 'I', 'kubelet.go:1908', `"SyncLoop ADD" source="api" pods=[${plan.pods.map((p) => `${p.ns}/${p.name}`).join(' ')}]`);

  // PLEG relists, and when their listing observed a change.
  for (const r of plan.relists) put(r, 'I', 'generic.go:191', '"GenericPLEG: Relisting"');
  const observedAt = (x: number): number => {
    const g = plan.gap;
    if (g && x > g.fromUs + 1000 && x <= g.unblockUs) return g.unblockUs + ms(0.3, 4);
    let lo = 0;
    let hi = plan.relists.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((plan.relists[mid] ?? 0) + 1000 < x) lo = mid + 1;
      else hi = mid;
    }
    return (plan.relists[lo] ?? x) + ms(1, 6);
  };
  const plegEvent = (pod: Pod, type: string, id: string, x: number): void => {
    put(observedAt(x), 'I', 'kubelet.go:2130', `"SyncLoop (PLEG): event for pod" pod=${podRef(pod)} event=&{ID:${pod.uid} Type:${type} Data:${id}}`);
  };

  // Sandboxes, pulls, containers.
  for (const pod of plan.pods) {
    put(pod.sandboxStartUs - ms(2, 40), 'I', 'kuberuntime_manager.go:484', `"No sandbox for pod can be found. Need to start a new one" pod=${podRef(pod)}`);
    put(pod.sandboxReadyUs + ms(1, 20), 'I', 'kuberuntime_manager.go:766', `"Created PodSandbox for pod" podSandboxID="${pod.sandboxId}" pod=${podRef(pod)}`);
    plegEvent(pod, 'ContainerStarted', pod.sandboxId, pod.sandboxReadyUs);
    for (const c of pod.containers) {
      if (c.startUs === 0) continue;
      put(c.createUs + ms(30, 250), 'I', 'event.go:291', eventMsg(legacy, pod, c, 'Normal', 'Created', `Created container ${c.name}`));
      put(c.startUs + ms(40, 300), 'I', 'event.go:291', eventMsg(legacy, pod, c, 'Normal', 'Started', `Started container ${c.name}`));
      plegEvent(pod, 'ContainerStarted', c.id, c.startUs);
      if (c.exitUs !== null) plegEvent(pod, 'ContainerDied', c.id, c.exitUs);
    }
  }
  const pulls: ImagePullTruth[] = [];
  for (const pl of plan.pulls) {
    const start = pl.startUs + ms(0.2, 3);
    const end = pl.endUs + ms(0.5, 5);
    const seconds = (end - start) / S;
    put(start, 'I', 'event.go:291', eventMsg(legacy, pl.pod, pl.ctr, 'Normal', 'Pulling', `Pulling image "${pl.image.ref}"`));
    put(end, 'I', 'event.go:291', eventMsg(legacy, pl.pod, pl.ctr, 'Normal', 'Pulled', `Successfully pulled image "${pl.image.ref}" in ${goDuration(seconds)}`));
    pulls.push({ image: pl.image.ref, startUs: w(start), endUs: w(end), seconds });
  }
  for (const pr of plan.present) {
    put(pr.atUs + ms(0.2, 2), 'I', 'event.go:291', eventMsg(legacy, pr.pod, pr.ctr, 'Normal', 'Pulled', `Container image "${pr.ctr.image.ref}" already present on machine`));
  }

  // The CPU manager's reconcile issues the UpdateContainerResources that waits on bbolt.
  if (plan.gap) {
    const pod = plan.pods.find((p) => p.containers.some((c) => !c.init && c.startUs < plan.waiterStartUs)) ?? plan.pods[0];
    const c = pod?.containers.find((x) => !x.init && x.startUs < plan.waiterStartUs);
    if (pod && c) {
      put(plan.waiterStartUs - ms(0.2, 2), 'I', 'cpu_manager.go:422', `"ReconcileState: updating container" pod=${podRef(pod)} containerName="${c.name}" containerID="${c.id}" cpuSet="0-${plan.cpus - 1}"`);
    }
  }

  // kubelet stops that time out.
  for (const f of plan.stopFailures) {
    const cid = `containerID="containerd://${f.ctr.id}"`;
    put(f.killUs - ms(2, 30), 'I', 'kubelet.go:1924', `"SyncLoop DELETE" source="api" pods=[${f.pod.ns}/${f.pod.name}]`);
    put(f.killUs, 'I', 'kuberuntime_container.go:709', `"Killing container with a grace period" pod=${podRef(f.pod)} podUID=${f.pod.uid} containerName="${f.ctr.name}" ${cid} gracePeriod=${f.grace}`);
    const err = 'err="rpc error: code = DeadlineExceeded desc = context deadline exceeded"';
    put(f.errorUs, 'E', 'remote_runtime.go:276', `"StopContainer from runtime service failed" ${err} containerID="${f.ctr.id}"`);
    put(f.errorUs + ms(0.05, 0.5), 'E', 'kuberuntime_container.go:734', `"Container termination failed with gracePeriod" ${err} pod=${podRef(f.pod)} podUID=${f.pod.uid} containerName="${f.ctr.name}" ${cid} gracePeriod=${f.grace}`);
    put(f.errorUs + ms(0.1, 1), 'E', 'kuberuntime_manager.go:699', `"killContainer for pod failed" ${err} containerName="${f.ctr.name}" containerID={"Type":"containerd","ID":"${f.ctr.id}"} pod=${podRef(f.pod)} podUID=${f.pod.uid}`);
    put(f.errorUs + ms(0.2, 2), 'E', 'pod_workers.go:191', `"Error syncing pod, skipping" err="failed to \\"KillContainer\\" for \\"${f.ctr.name}\\" with KillContainerError: \\"rpc error: code = DeadlineExceeded desc = context deadline exceeded\\"" pod=${podRef(f.pod)} podUID=${f.pod.uid}`);
  }

  // PLEG health: only when the stall passes the 3-minute threshold.
  const gap = plan.gap;
  for (const u of plan.unhealthyUs) {
    const ago = goDuration((u - (gap?.lastSuccessUs ?? u)) / S);
    put(u, 'E', 'kubelet.go:1846', `"Skipping pod synchronization" err="[container runtime status check may not have completed yet, PLEG is not healthy: pleg was last seen active ${ago} ago; threshold is 3m0s]"`);
  }
  if (plan.unhealthyUs.length > 0 && gap) {
    const u = (plan.unhealthyUs[0] ?? 0) + ms(100, 900);
    const lt = new Date(Math.floor(w(u) / 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const ago = goDuration((u - gap.lastSuccessUs) / S);
    put(u, 'I', 'setters.go:577', `"Node became not ready" node="${host}" condition={Type:Ready Status:False LastHeartbeatTime:${lt} LastTransitionTime:${lt} Reason:KubeletNotReady Message:PLEG is not healthy: pleg was last seen active ${ago} ago; threshold is 3m0s}`);
  }

  return { lines: sortByTime(out), pulls, stopErrors: plan.stopFailures.length, unhealthy: plan.unhealthyUs.length, relists: plan.relists.length };
}

// Noise -----------------------------------------------------------------------------------

const HTTP_PATHS = ['/metrics/cadvisor', '/metrics', '/metrics/resource', '/stats/summary?only_cpu_and_memory=true', '/healthz', '/pods', '/metrics/probes'];
const AGENTS = ['Prometheus/2.44.0', 'metrics-server/v0.6.3 (linux/amd64) kubernetes/5ec6f8c', 'kube-probe/1.19', 'Go-http-client/1.1'];

export class KubeletNoise implements NoiseSource {
  readonly maxSpanUs = 8000;
  private readonly fmt: KubeletFmt;
  private readonly running: RunningIndex;
  private readonly rng: Rng;
  private readonly calicoPid: number;
  private readonly calicoClock: WallClock;

  constructor(private readonly plan: Plan) {
    this.rng = new Rng(plan.seed).fork('kubelet-noise');
    this.fmt = new KubeletFmt(plan, new WallClock(plan.zoneOffsetMin));
    this.running = new RunningIndex(plan.pods, plan.skewUs);
    this.calicoPid = this.rng.int(3000, 9000);
    this.calicoClock = new WallClock(plan.zoneOffsetMin);
  }

  private inStorm(us: number): boolean {
    const s = this.plan.storm;
    return s !== null && us >= s.fromUs + this.plan.skewUs && us <= s.toUs + this.plan.skewUs;
  }

  lastUs = 0;
  private t = 0;

  burst(us: number): string {
    this.t = us;
    const text = this.make(us);
    this.lastUs = this.t;
    return text;
  }

  private make(us: number): string {
    const r = this.rng;
    const f = this.fmt;
    const { pod, ctr } = this.running.pick(r, us);
    const pr = podRef(pod);
    const t = us;
    const next = (): number => (this.t += r.int(30, 900));
    const x = r.float();
    if (x < 0.24) {
      const sb = pod.sandboxId;
      return (
        f.text(t, 'I', 'kubelet.go:1934', `"SyncLoop (SYNC) pods" total=1 pods=[${pod.ns}/${pod.name}]`) +
        f.text(next(), 'I', 'kubelet_pods.go:1485', `"Generating pod status" pod=${pr}`) +
        f.text(next(), 'I', 'volume_manager.go:404', `"Waiting for volumes to attach and mount for pod" pod=${pr}`) +
        f.text(next(), 'I', 'volume_manager.go:435', `"All volumes are attached and mounted for pod" pod=${pr}`) +
        f.text(next(), 'I', 'kuberuntime_manager.go:711', `"computePodActions got for pod" podActions={KillPod:false CreateSandbox:false SandboxID:${sb} Attempt:0 NextInitContainerToStart:nil ContainersToStart:[] ContainersToKill:map[] EphemeralContainersToStart:[]} pod=${pr}`) +
        f.text(next(), 'I', 'status_manager.go:449', `"Ignoring same status for pod" pod=${pr} status={Phase:Running Conditions:[] PodIP:${pod.ip} QOSClass:Burstable}`)
      );
    }
    if (x < 0.44) {
      const probe = r.chance(0.7) ? 'Readiness' : 'Liveness';
      const failRate = this.inStorm(us) ? 0.25 : 0.01;
      if (ctr.probe && r.chance(failRate)) {
        const url = `http://${pod.ip}:${ctr.probe.port}${ctr.probe.path}`;
        return f.text(t, 'I', 'prober.go:116', `"Probe failed" probeType="${probe}" pod=${pr} podUID=${pod.uid} containerName="${ctr.name}" probeResult=failure output="Get \\"${url}\\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"`);
      }
      return f.text(t, 'I', 'prober.go:126', `"Probe succeeded" probeType="${probe}" pod=${pr} podUID=${pod.uid} containerName="${ctr.name}"`);
    }
    if (x < 0.56) {
      const path = r.pick(HTTP_PATHS);
      const lat = this.inStorm(us) ? r.range(40, 900) : r.range(0.3, 60);
      return f.text(t, 'I', 'httplog.go:109', `"HTTP" verb="GET" URI="${path}" latency="${goDuration(lat / 1000)}" userAgent="${r.pick(AGENTS)}" audit-ID="" srcIP="10.244.${r.int(0, 250)}.${r.int(2, 250)}:${r.int(32768, 60999)}" resp=200`);
    }
    if (x < 0.66) {
      const vol = r.pick(pod.volumes);
      const kind = vol.startsWith('kube-api-access') ? 'projected' : vol === 'config' ? 'configmap' : vol === 'tls-certs' ? 'secret' : 'host-path';
      const uniq = `(UniqueName: \\"kubernetes.io/${kind}/${pod.uid}-${vol}\\") pod \\"${pod.name}\\" (UID: \\"${pod.uid}\\") "`;
      return (
        f.text(t, 'I', 'reconciler.go:269', `"operationExecutor.MountVolume started for volume \\"${vol}\\" ${uniq} pod=${pr}`) +
        f.text(next(), 'I', 'operation_generator.go:714', `"MountVolume.SetUp succeeded for volume \\"${vol}\\" ${uniq} pod=${pr}`)
      );
    }
    if (x < 0.71) {
      const uidU = pod.uid.replace(/-/g, '_');
      return f.text(t, 'W', 'manager.go:1174', `Failed to process watch event {EventType:0 Name:/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${uidU}.slice/cri-containerd-${ctr.id}.scope WatchSource:0}: task ${ctr.id} not found: not found`);
    }
    if (x < 0.77) {
      return (
        f.text(t, 'I', 'kubelet.go:1999', '"SyncLoop (housekeeping)"') +
        f.text(next(), 'I', 'kubelet_pods.go:1095', '"Clean up pod workers for terminated pods"') +
        f.text(next(), 'I', 'kubelet_pods.go:1124', '"Clean up probes for terminated pods"') +
        f.text(next(), 'I', 'kubelet_pods.go:1161', '"Clean up orphaned pod statuses"') +
        f.text(next(), 'I', 'kubelet_pods.go:1193', '"Clean up orphaned pod directories"') +
        f.text(next(), 'I', 'kubelet_pods.go:1211', '"Clean up orphaned pod cgroups"') +
        f.text(next(), 'I', 'kubelet.go:2008', '"SyncLoop (housekeeping) end"')
      );
    }
    if (x < 0.82) {
      const lt = new Date(Math.floor(us / 1000) - r.int(1000, 600000)).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const patch = `{\\"metadata\\":{\\"uid\\":\\"${pod.uid}\\"},\\"status\\":{\\"$setElementOrder/conditions\\":[{\\"type\\":\\"Initialized\\"},{\\"type\\":\\"Ready\\"},{\\"type\\":\\"ContainersReady\\"},{\\"type\\":\\"PodScheduled\\"}],\\"conditions\\":[{\\"lastProbeTime\\":null,\\"lastTransitionTime\\":\\"${lt}\\",\\"status\\":\\"True\\",\\"type\\":\\"Ready\\"},{\\"lastProbeTime\\":null,\\"lastTransitionTime\\":\\"${lt}\\",\\"status\\":\\"True\\",\\"type\\":\\"ContainersReady\\"}]}}`;
      return f.text(t, 'I', 'status_manager.go:682', `"Patch status for pod" pod=${pr} patch="${patch}"`);
    }
    if (x < 0.86) {
      return f.text(t, 'I', 'eviction_manager.go:338', '"Eviction manager: no observation found for eviction signal" signal="allocatableNodeFs.available"');
    }
    if (x < 0.89) {
      return f.text(t, 'I', 'kubelet_node_status.go:486', '"Updating node status"');
    }
    if (x < 0.915) {
      return f.text(t, 'E', 'cri_stats_provider.go:643', `"Unable to fetch container log stats" err="failed to get fsstats for \\"/var/log/pods/${pod.ns}_${pod.name}_${pod.uid}/${ctr.name}/0.log\\": no such file or directory" containerName="${ctr.name}"`);
    }
    if (x < 0.935) {
      const stamp = this.calicoClock.calico(us);
      return f.raw(t, `${stamp} [INFO][${this.calicoPid + r.int(0, 400)}] k8s.go 386: Populated endpoint ContainerID="${pod.sandboxId}" Namespace="${pod.ns}" Pod="${pod.name}" WorkloadEndpoint="${this.plan.host}-k8s-${pod.name}-eth0"`);
    }
    if (x < 0.96) {
      const kind = r.pick(['*v1.Pod', '*v1.ConfigMap', '*v1.Secret', '*v1.Service', '*v1.Node', '*v1.RuntimeClass']);
      return f.text(t, 'I', 'reflector.go:535', `k8s.io/client-go/informers/factory.go:134: Watch close - ${kind} total ${r.int(0, 40)} items received`);
    }
    if (x < 0.98) {
      return f.text(t, 'I', 'qos_container_manager_linux.go:374', '"Updated QoS cgroup configuration"');
    }
    return f.text(t, 'I', 'kubelet.go:1919', `"SyncLoop RECONCILE" source="api" pods=[${pod.ns}/${pod.name}]`);
  }
}

export function kubeletChunks(plan: Plan, signal: readonly TimedLine[], noiseBudget: number): Generator<string> {
  const clock = new WallClock(plan.zoneOffsetMin);
  const headerRng = new Rng(plan.seed).fork('kubelet-head');
  const head = headerRng.chance(0.5)
    ? `-- Logs begin at ${clock.journalHeader(plan.bootUs + plan.skewUs)}, end at ${clock.journalHeader(plan.endUs + plan.skewUs)}. --\n`
    : '';
  return mergeStream({
    head,
    signal,
    noise: noiseBudget > 0 ? new KubeletNoise(plan) : null,
    noiseBudget,
    noiseFromUs: plan.kubeletStartUs + plan.skewUs + S,
    noiseToUs: plan.endUs + plan.skewUs,
    rng: new Rng(plan.seed).fork('kubelet-merge'),
  });
}
