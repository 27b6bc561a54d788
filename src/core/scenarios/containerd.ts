// containerd's journal: logrus logfmt (`time="…+08:00" level=info msg="…" key=value`) behind the
// journald short-precise prefix. Signal: startup, pulls, sandboxes and containers, shim-relayed
// lines, TaskExit timeouts, StopContainer failures, the SIGUSR1 goroutine dump. Noise: exec probes,
// events, GC, benign NotFound errors.

import { mergeStream, sortByTime, type NoiseSource, type TimedLine } from './chunks';
import { PAUSE_IMAGE } from './catalog';
import { RunningIndex, type Container, type Pod } from './inventory';
import { S, type Plan } from './plan';
import { Rng } from './rng';
import { WallClock, goDuration, goUtcString } from './stamps';
import { logfmtValue } from './text';
import type { TaskExitTruth } from './types';

export class ContainerdFmt {
  private readonly prefix: string;
  readonly delay: number;
  constructor(
    private readonly plan: Plan,
    private readonly clock: WallClock,
    private readonly rng: Rng,
  ) {
    this.prefix = ` ${plan.host} containerd[${plan.containerdPid}]: `;
    this.delay = new Rng(plan.seed).fork('containerd-delay').int(10, 90);
  }

  /** `fields` is pre-rendered ` key=value` text (keys sorted, as logrus does). */
  text(wUs: number, level: string, msg: string, fields = ''): string {
    const nanos = Math.floor(this.rng.float() * 1000);
    return `${this.clock.journal(wUs + this.delay)}${this.prefix}time="${this.clock.rfc3339Nano(wUs, nanos)}" level=${level} msg=${logfmtValue(msg)}${fields}\n`;
  }

  systemd(wUs: number, msg: string): string {
    return `${this.clock.journal(wUs + this.delay)} ${this.plan.host} systemd[1]: ${msg}\n`;
  }

  /** Shim output relayed by containerd: its own second-precision stamp inside a cleanup warning. */
  shimStamp(wUs: number): string {
    return this.clock.isoSeconds(wUs);
  }
}

export const kv = (k: string, v: string | number): string => ` ${k}=${typeof v === 'number' ? v : logfmtValue(v)}`;
const taskPath = (id: string): string => `/run/containerd/io.containerd.runtime.v2.task/k8s.io/${id}`;

const PLUGINS: [string, string, string?][] = [
  ['io.containerd.content.v1.content', 'io.containerd.content.v1'],
  ['io.containerd.snapshotter.v1.aufs', 'io.containerd.snapshotter.v1', 'skip:aufs'],
  ['io.containerd.snapshotter.v1.btrfs', 'io.containerd.snapshotter.v1', 'skip:btrfs'],
  ['io.containerd.snapshotter.v1.devmapper', 'io.containerd.snapshotter.v1', 'warn:devmapper not configured'],
  ['io.containerd.snapshotter.v1.native', 'io.containerd.snapshotter.v1'],
  ['io.containerd.snapshotter.v1.overlayfs', 'io.containerd.snapshotter.v1'],
  ['io.containerd.snapshotter.v1.zfs', 'io.containerd.snapshotter.v1', 'skip:zfs'],
  ['io.containerd.metadata.v1.bolt', 'io.containerd.metadata.v1'],
  ['io.containerd.differ.v1.walking', 'io.containerd.differ.v1'],
  ['io.containerd.event.v1.exchange', 'io.containerd.event.v1'],
  ['io.containerd.gc.v1.scheduler', 'io.containerd.gc.v1'],
  ['io.containerd.service.v1.introspection-service', 'io.containerd.service.v1'],
  ['io.containerd.service.v1.containers-service', 'io.containerd.service.v1'],
  ['io.containerd.service.v1.content-service', 'io.containerd.service.v1'],
  ['io.containerd.service.v1.diff-service', 'io.containerd.service.v1'],
  ['io.containerd.service.v1.images-service', 'io.containerd.service.v1'],
  ['io.containerd.service.v1.leases-service', 'io.containerd.service.v1'],
  ['io.containerd.service.v1.namespaces-service', 'io.containerd.service.v1'],
  ['io.containerd.service.v1.snapshots-service', 'io.containerd.service.v1'],
  ['io.containerd.runtime.v1.linux', 'io.containerd.runtime.v1'],
  ['io.containerd.runtime.v2.task', 'io.containerd.runtime.v2'],
  ['io.containerd.monitor.v1.cgroups', 'io.containerd.monitor.v1'],
  ['io.containerd.service.v1.tasks-service', 'io.containerd.service.v1'],
  ['io.containerd.grpc.v1.introspection', 'io.containerd.grpc.v1'],
  ['io.containerd.internal.v1.restart', 'io.containerd.internal.v1'],
  ['io.containerd.grpc.v1.containers', 'io.containerd.grpc.v1'],
  ['io.containerd.grpc.v1.content', 'io.containerd.grpc.v1'],
  ['io.containerd.grpc.v1.diff', 'io.containerd.grpc.v1'],
  ['io.containerd.grpc.v1.events', 'io.containerd.grpc.v1'],
  ['io.containerd.grpc.v1.healthcheck', 'io.containerd.grpc.v1'],
  ['io.containerd.grpc.v1.images', 'io.containerd.grpc.v1'],
  ['io.containerd.grpc.v1.leases', 'io.containerd.grpc.v1'],
  ['io.containerd.grpc.v1.namespaces', 'io.containerd.grpc.v1'],
  ['io.containerd.internal.v1.opt', 'io.containerd.internal.v1'],
  ['io.containerd.grpc.v1.snapshots', 'io.containerd.grpc.v1'],
  ['io.containerd.grpc.v1.tasks', 'io.containerd.grpc.v1'],
  ['io.containerd.grpc.v1.version', 'io.containerd.grpc.v1'],
  ['io.containerd.tracing.processor.v1.otlp', 'io.containerd.tracing.processor.v1', 'skip:otlp'],
  ['io.containerd.internal.v1.tracing', 'io.containerd.internal.v1'],
  ['io.containerd.grpc.v1.cri', 'io.containerd.grpc.v1'],
];

const CRI_CONFIG =
  'Start cri plugin with config {PluginConfig:{ContainerdConfig:{Snapshotter:overlayfs DefaultRuntimeName:runc DefaultRuntime:{Type: Path: Engine: PodAnnotations:[] ContainerAnnotations:[] Root: Options:map[] PrivilegedWithoutHostDevices:false BaseRuntimeSpec: NetworkPluginConfDir: NetworkPluginMaxConfNum:0} UntrustedWorkloadRuntime:{Type: Path: Engine: PodAnnotations:[] ContainerAnnotations:[] Root: Options:map[] PrivilegedWithoutHostDevices:false BaseRuntimeSpec: NetworkPluginConfDir: NetworkPluginMaxConfNum:0} Runtimes:map[runc:{Type:io.containerd.runc.v2 Path: Engine: PodAnnotations:[] ContainerAnnotations:[] Root: Options:map[SystemdCgroup:true] PrivilegedWithoutHostDevices:false BaseRuntimeSpec: NetworkPluginConfDir: NetworkPluginMaxConfNum:0}] NoPivot:false DisableSnapshotAnnotations:true DiscardUnpackedLayers:false IgnoreRdtNotEnabledErrors:false} CniConfig:{NetworkPluginBinDir:/opt/cni/bin NetworkPluginConfDir:/etc/cni/net.d NetworkPluginMaxConfNum:1 NetworkPluginConfTemplate: IPPreference:} Registry:{ConfigPath: Mirrors:map[] Configs:map[] Auths:map[] Headers:map[]} ImageDecryption:{KeyModel:node} DisableTCPService:true StreamServerAddress:127.0.0.1 StreamServerPort:0 StreamIdleTimeout:4h0m0s EnableSelinux:false SelinuxCategoryRange:1024 SandboxImage:registry.k8s.io/pause:3.6 StatsCollectPeriod:10 SystemdCgroup:false EnableTLSStreaming:false X509KeyPairStreaming:{TLSCertFile: TLSKeyFile:} MaxContainerLogLineSize:16384 DisableCgroup:false DisableApparmor:false RestrictOOMScoreAdj:false MaxConcurrentDownloads:3 DisableProcMount:false UnsetSeccompProfile: TolerateMissingHugetlbController:true DisableHugetlbController:true DeviceOwnershipFromSecurityContext:false IgnoreImageDefinedVolumes:false NetNSMountsUnderStateDir:false EnableUnprivilegedPorts:false EnableUnprivilegedICMP:false} ContainerdRootDir:/var/lib/containerd ContainerdEndpoint:/run/containerd/containerd.sock RootDir:/var/lib/containerd/io.containerd.grpc.v1.cri StateDir:/run/containerd/io.containerd.grpc.v1.cri}';

export interface ContainerdSignal {
  lines: TimedLine[];
  taskExits: TaskExitTruth[];
}

/** `goroutineDump` is the raw dump text; it is logged escaped as one line. */
export function containerdSignal(plan: Plan, goroutineDump: string): ContainerdSignal {
  const rng = new Rng(plan.seed).fork('containerd-signal');
  const clock = new WallClock(plan.zoneOffsetMin);
  const fmt = new ContainerdFmt(plan, clock, rng);
  const w = (us: number): number => us + plan.skewUs;
  const out: TimedLine[] = [];
  const put = (us: number, level: string, msg: string, fields = ''): void => {
    out.push({ us: w(us), text: fmt.text(w(us), level, msg, fields) });
  };
  const ms = (lo: number, hi: number): number => Math.round(rng.range(lo, hi) * 1000);
  const ns = kv('namespace', 'k8s.io');

  // Startup.
  let t = plan.containerdStartUs;
  const starting = w(t - ms(30, 80));
  out.push({ us: starting, text: fmt.systemd(starting, 'Starting containerd container runtime...') });
  put(t, 'info', 'starting containerd', `${kv('revision', '3dce8eb055cbb6872793272b4f20ed16117344f8')}${kv('version', '1.6.21')}`);
  for (const [id, type, note] of PLUGINS) {
    t += ms(0.05, 4);
    put(t, 'info', `loading plugin "${id}"...`, kv('type', type));
    if (!note) {
      if (id === 'io.containerd.metadata.v1.bolt') put(t + ms(0.05, 0.3), 'info', 'metadata content store policy set', kv('policy', 'shared'));
      continue;
    }
    t += ms(0.05, 2);
    if (note === 'skip:aufs') {
      put(t, 'info', `skip loading plugin "${id}"...`, `${kv('error', `aufs is not supported (modprobe aufs failed: exit status 1 "modprobe: FATAL: Module aufs not found in directory /lib/modules/${plan.kernel}\\n"): skip plugin`)}${kv('type', type)}`);
    } else if (note === 'skip:btrfs') {
      put(t, 'info', `skip loading plugin "${id}"...`, `${kv('error', 'path /var/lib/containerd/io.containerd.snapshotter.v1.btrfs (ext4) must be a btrfs filesystem to be used with the btrfs snapshotter: skip plugin')}${kv('type', type)}`);
    } else if (note === 'skip:zfs') {
      put(t, 'info', `skip loading plugin "${id}"...`, `${kv('error', 'path /var/lib/containerd/io.containerd.snapshotter.v1.zfs must be a zfs filesystem to be used with the zfs snapshotter: skip plugin')}${kv('type', type)}`);
    } else if (note === 'skip:otlp') {
      put(t, 'info', `skip loading plugin "${id}"...`, `${kv('error', 'no OpenTelemetry endpoint: skip plugin')}${kv('type', type)}`);
    } else {
      put(t, 'warning', `failed to load plugin ${id}`, kv('error', 'devmapper not configured'));
    }
  }
  const step = (msg: string, fields = '', lo = 0.05, hi = 3): void => {
    t += ms(lo, hi);
    put(t, 'info', msg, fields);
  };
  step(CRI_CONFIG);
  step('Connect containerd service');
  step('Get image filesystem path "/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs"');
  step('Start subscribing containerd event');
  step('Start recovering state');
  step('serving...', kv('address', '/run/containerd/containerd.sock.ttrpc'));
  step('serving...', kv('address', '/run/containerd/containerd.sock'));
  const booted = t - plan.containerdStartUs + ms(0.2, 2);
  step('containerd successfully booted in ' + (booted / S).toFixed(6) + 's');
  const started = w(t + ms(1, 5));
  out.push({ us: started, text: fmt.systemd(started, 'Started containerd container runtime.') });
  step('Start event monitor');
  step('Start snapshots syncer');
  step('Start cni network conf syncer for default');
  step('Start streaming server');
  step('No cni config template is specified, wait for other system components to drop the config.');

  // Image pulls.
  const imageCreate = (us: number, name: string): void => put(us, 'info', `ImageCreate event &ImageCreate{Name:${name},Labels:map[string]string{io.cri-containerd.image: managed,},XXX_unrecognized:[],}`);
  const pulled = (startUs: number, endUs: number, ref: string, size: number, dedupe: boolean): void => {
    const ids = plan.images.get(ref);
    const id = ids?.id ?? 'sha256:';
    const repo = ref.replace(/:[^:/]+$/, '');
    put(startUs, 'info', `PullImage "${ref}"`);
    if (!dedupe) {
      imageCreate(endUs - ms(6, 30), id);
      imageCreate(endUs - ms(3, 6), ref);
      imageCreate(endUs - ms(1, 3), `${repo}@${ids?.digest ?? ''}`);
      put(endUs - ms(0.2, 1), 'info', `stop pulling image ${ref}: active requests=0, bytes read=${size}`);
    }
    put(endUs, 'info', `Pulled image "${ref}" with image id "${id}", repo tag "${ref}", repo digest "${repo}@${ids?.digest ?? ''}", size "${size}" in ${goDuration((endUs - startUs) / S)}`);
    put(endUs + ms(0.05, 1), 'info', `PullImage "${ref}" returns image reference "${id}"`);
  };
  if (plan.pauseReadyUs > plan.podsAddUs) pulled(plan.podsAddUs + ms(100, 300), plan.pauseReadyUs, PAUSE_IMAGE.ref, PAUSE_IMAGE.size, false);
  const seen = new Set<string>();
  for (const pl of plan.pulls) {
    pulled(pl.startUs + ms(1, 8), pl.endUs - ms(0.5, 3), pl.image.ref, pl.image.size, seen.has(pl.image.ref));
    seen.add(pl.image.ref);
  }

  // Sandboxes and containers, with the shim's relayed "starting signal loop".
  for (const pod of plan.pods) {
    const meta = `&PodSandboxMetadata{Name:${pod.name},Uid:${pod.uid},Namespace:${pod.ns},Attempt:0,}`;
    put(pod.sandboxStartUs, 'info', `RunPodSandbox for ${meta}`);
    const sig = pod.sandboxStartUs + ms(60, 300);
    put(sig, 'info', 'starting signal loop', `${ns}${kv('path', taskPath(pod.sandboxId))}${kv('pid', pod.shimPid)}${kv('runtime', 'io.containerd.runc.v2')}`);
    put(pod.sandboxReadyUs, 'info', `RunPodSandbox for ${meta} returns sandbox id "${pod.sandboxId}"`);
    for (const c of pod.containers) {
      const cm = `&ContainerMetadata{Name:${c.name},Attempt:0,}`;
      put(c.createUs, 'info', `CreateContainer within sandbox "${pod.sandboxId}" for container ${cm}`);
      put(Math.min(c.startUs - 1000, c.createUs + ms(15, 80)), 'info', `CreateContainer within sandbox "${pod.sandboxId}" for ${cm} returns container id "${c.id}"`);
      put(c.startUs, 'info', `StartContainer for "${c.id}"`);
      put(c.startUs + ms(40, 250), 'info', `StartContainer for "${c.id}" returns successfully`);
      if (c.exitUs !== null) put(c.exitUs + ms(0.3, 2), 'debug', 'event forwarded', `${kv('ns', 'k8s.io')}${kv('topic', '/tasks/exit')}${kv('type', 'containerd.events.TaskExit')}`);
    }
  }

  // TaskExit handling that times out while the shim's Delete hangs in umount.
  const taskExits: TaskExitTruth[] = [];
  for (const e of plan.exitErrors) {
    const ev = `&TaskExit{ContainerID:${e.ctr.id},ID:${e.ctr.id},Pid:${e.ctr.pid},ExitStatus:${e.ctr.exitCode},ExitedAt:${goUtcString(w(e.exitUs), rng.int(0, 999))},XXX_unrecognized:[],}`;
    put(e.logUs, 'error', `failed to handle container TaskExit event ${ev}`, kv('error', 'failed to stop container: failed to delete task: context deadline exceeded: unknown'));
    taskExits.push({ containerId: e.ctr.id, exitedAtUs: w(e.exitUs), loggedAtUs: w(e.logUs) });
  }

  // kubelet's StopContainer calls, as containerd sees them.
  for (const f of plan.stopFailures) {
    const id = f.ctr.id;
    put(f.killUs + ms(1, 5), 'info', `StopContainer for "${id}" with timeout ${f.grace} (s)`);
    put(f.killUs + ms(5, 20), 'info', `Stop container "${id}" with signal terminated`);
    put(f.killUs + f.grace * S + ms(1, 20), 'info', `Kill container "${id}"`);
    put(f.errorUs + ms(0.2, 2), 'error', `StopContainer for "${id}" failed`, kv('error', `failed to stop container "${id}": an error occurs during waiting for container "${id}" to be killed: wait container "${id}": context deadline exceeded`));
  }

  // After the storm: the stopped pods are torn down and their shims exit.
  const after = plan.storm ? plan.storm.toUs : plan.endUs;
  for (const f of plan.stopFailures) {
    let u = after + ms(5000, 60000);
    const sb = f.pod.sandboxId;
    put(u, 'info', `StopPodSandbox for "${sb}"`);
    put((u += ms(20, 300)), 'info', `TearDown network for sandbox "${sb}" successfully`);
    put((u += ms(50, 400)), 'info', 'shim disconnected', `${kv('id', sb)}${ns}`);
    put((u += ms(0.2, 2)), 'warning', 'cleaning up after shim disconnected', `${kv('id', sb)}${ns}`);
    put((u += ms(0.2, 2)), 'info', 'cleaning up dead shim', ns);
    const nested = `time="${fmt.shimStamp(w(u))}" level=info msg="starting signal loop" namespace=k8s.io pid=${f.pod.shimPid + rng.int(200, 9000)} runtime=io.containerd.runc.v2\n`;
    put((u += ms(5, 40)), 'warning', `cleanup warnings ${nested}`);
    put(u + ms(1, 20), 'info', `StopPodSandbox for "${sb}" returns successfully`);
  }

  // The SIGUSR1 dump: one logfmt line with the whole dump escaped, then the file it wrote.
  put(plan.dumpUs, 'info', `=== BEGIN goroutine stack dump ===\n${goroutineDump}\n=== END goroutine stack dump ===`);
  put(plan.dumpUs + ms(2, 30), 'info', `goroutine stack dump written to /tmp/containerd.${plan.containerdPid}.stacks.log`);

  return { lines: sortByTime(out), taskExits };
}

// Noise -----------------------------------------------------------------------------------

const EXEC_CMDS: Record<string, string> = {
  'calico-node': '[/bin/calico-node -felix-live -bird-live]',
  redis: '[sh -c /health/ping_liveness_local.sh 5]',
  metrics: '[/bin/sh -c wget -q -O- localhost:9121/metrics >/dev/null]',
  elasticsearch: '[bash -c /mnt/elastic-internal/scripts/readiness-probe-script.sh]',
  'ledger-worker': '[/app/bin/healthcheck --local]',
};

export class ContainerdNoise implements NoiseSource {
  readonly maxSpanUs = 50_000;
  private readonly fmt: ContainerdFmt;
  private readonly rng: Rng;
  private readonly running: RunningIndex;
  private readonly execTargets: { pod: Pod; ctr: Container; cmd: string }[];

  constructor(plan: Plan) {
    this.rng = new Rng(plan.seed).fork('containerd-noise');
    this.fmt = new ContainerdFmt(plan, new WallClock(plan.zoneOffsetMin), this.rng);
    this.running = new RunningIndex(plan.pods, plan.skewUs);
    this.execTargets = plan.pods.flatMap((pod) =>
      pod.containers.filter((c) => !c.init && EXEC_CMDS[c.name] !== undefined).map((ctr) => ({ pod, ctr, cmd: EXEC_CMDS[ctr.name] ?? '' })),
    );
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
    const t = us;
    const next = (lo = 40, hi = 3000): number => (this.t += r.int(lo, hi));
    const x = r.float();
    if (x < 0.45) {
      const target = this.execTargets.length > 0 && r.chance(0.7) ? r.pick(this.execTargets) : null;
      const ctr = target ? target.ctr : this.running.pick(r, us).ctr;
      const cmd = target ? target.cmd : '[/bin/sh -c true]';
      const exec = r.hex(64);
      const ev = (topic: string, type: string): string => f.text(next(), 'debug', 'event forwarded', `${kv('ns', 'k8s.io')}${kv('topic', topic)}${kv('type', type)}`);
      return (
        f.text(t, 'debug', `ExecSync for "${ctr.id}" with command ${cmd} and timeout ${r.pick([1, 5, 10])} (s)`) +
        ev('/tasks/exec-added', 'containerd.events.TaskExecAdded') +
        ev('/tasks/exec-started', 'containerd.events.TaskExecStarted') +
        f.text(next(500, 20000), 'debug', `Exec process "${exec}" exits with exit code 0 and error <nil>`) +
        ev('/tasks/exit', 'containerd.events.TaskExit') +
        f.text(next(), 'debug', `Finish piping "stderr" of container exec "${exec}"`) +
        f.text(next(), 'debug', `Finish piping "stdout" of container exec "${exec}"`) +
        f.text(next(), 'debug', `ExecSync for "${ctr.id}" returns with exit code 0`)
      );
    }
    if (x < 0.62) {
      const { ctr } = this.running.pick(r, us);
      return f.text(t, 'debug', `Container exec "${r.hex(64)}" stdin closed`) + f.text(next(), 'debug', 'event forwarded', `${kv('ns', 'k8s.io')}${kv('topic', '/tasks/exec-added')}${kv('type', 'containerd.events.TaskExecAdded')}`) + f.text(next(), 'debug', `ContainerStats for "${ctr.id}"`);
    }
    if (x < 0.72) {
      return f.text(t, 'debug', 'schedule snapshotter cleanup', kv('snapshotter', 'overlayfs')) + f.text(next(100, 4000), 'debug', 'garbage collected', kv('d', goDuration(r.range(0.0004, 0.012))));
    }
    if (x < 0.8) {
      const id = r.hex(64);
      return f.text(t, 'error', `ContainerStatus for "${id}" failed`, kv('error', `rpc error: code = NotFound desc = an error occurred when try to find container "${id}": not found`));
    }
    if (x < 0.87) {
      const id = r.hex(64);
      return f.text(t, 'info', `RemoveContainer for "${id}"`) + f.text(next(2000, 30000), 'info', `RemoveContainer for "${id}" returns successfully`);
    }
    if (x < 0.93) {
      const { ctr } = this.running.pick(r, us);
      return f.text(t, 'info', `ImageUpdate event &ImageUpdate{Name:${ctr.image.ref},Labels:map[string]string{io.cri-containerd.image: managed,},XXX_unrecognized:[],}`);
    }
    if (x < 0.97) {
      const { pod } = this.running.pick(r, us);
      return f.text(t, 'debug', 'event forwarded', `${kv('ns', 'k8s.io')}${kv('topic', '/containers/update')}${kv('type', 'containerd.events.ContainerUpdate')}`) + f.text(next(), 'debug', `PodSandboxStatus for "${pod.sandboxId}"`);
    }
    return f.text(t, 'warning', 'failed to get usage for container', `${kv('error', 'failed to get container stats: not found')}${kv('id', r.hex(64))}`);
  }
}

export function containerdChunks(plan: Plan, signal: readonly TimedLine[], noiseBudget: number): Generator<string> {
  return mergeStream({
    signal,
    noise: noiseBudget > 0 ? new ContainerdNoise(plan) : null,
    noiseBudget,
    noiseFromUs: plan.containerdStartUs + plan.skewUs + 2 * S,
    noiseToUs: plan.endUs + plan.skewUs,
    rng: new Rng(plan.seed).fork('containerd-merge'),
  });
}

