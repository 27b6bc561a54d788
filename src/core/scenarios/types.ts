// Public types of the scenario generator.

export type ScenarioName = 'io-storm-umount-bbolt' | 'healthy' | 'pleg-slow-relist' | 'shim-umount-hung' | 'cri-lock-contention' | 'runtime-down' | 'disk-pressure-eviction' | 'container-oom-killed' | 'node-memory-exhausted' | 'cni-sandbox-failure' | 'api-server-unreachable';

export interface ScenarioOptions {
  scenario: ScenarioName;
  seed: number;
  /** Approximate total size of the bundle in bytes: 1 MB .. 1 GB. Noise lines fill the logs to reach it; the incident's signal lines are always there. */
  targetBytes: number;
  /** Node's local zone as minutes east of UTC (default 0): wall-clock stamps (klog, journald short prefix, vmstat, iostat -t, dmesg -T) are written in this zone, absolute stamps (containerd time=..., journal JSON) stay correct UTC/offset. */
  zoneOffsetMin?: number;
  /** Clock skew of the node in µs added to every stamp the node writes (default 0). */
  skewUs?: number;
  /** Incident start (µs UTC): the node's boot, which starts the incident; default derived from the seed (2023-2025, sometimes New Year's Eve). */
  startUs?: number;
  /**
   * The gap between the relist before the stall and the one after it, in seconds (default: 30-60 s from
   * the seed). kubelet's PLEG health
   * threshold is 3 minutes, so `PLEG is not healthy: pleg was last seen active ...` lines only appear
   * when this is set above 180.
   */
  plegGapSec?: number;
  /** 0..1 (default 0): unrelated trouble mixed in — failing probes, exec timeouts, another pod's ImagePullBackOff, stats warnings. */
  noise?: number;
}

export interface GeneratedFile {
  path: string;
  /** Yields the content in chunks of roughly 64 KiB–1 MiB, so a 1 GB file never sits in memory. Re-iterable: every call yields the same bytes. */
  chunks(): Generator<string>;
  approxBytes: number;
}

export interface TimeWindow {
  fromUs: number;
  toUs: number;
}

export interface ImagePullTruth {
  image: string;
  /** kubelet `Pulling image` event time. */
  startUs: number;
  /** kubelet `Successfully pulled image` event time. */
  endUs: number;
  /** The duration kubelet prints (`in 47.3s`). */
  seconds: number;
}

export interface TaskExitTruth {
  containerId: string;
  /** `ExitedAt` inside `&TaskExit{...}`. */
  exitedAtUs: number;
  /** containerd `time=` of the error line. */
  loggedAtUs: number;
}

/**
 * What a correct analysis must find. All times are µs UTC exactly as the node wrote them (true time
 * + `skewUs`), i.e. what a parser gets after resolving year and zone, before any clock correction.
 */
export interface ScenarioTruth {
  scenario: ScenarioName;
  seed: number;
  hostname: string;
  zoneOffsetMin: number;
  skewUs: number;
  /** Node boot (wall clock as written). */
  bootUs: number;
  /** First and last stamp in the bundle (approximately). */
  capture: TimeWindow;
  /** Paths of the files by role. */
  paths: {
    kubelet: string;
    containerd: string;
    containerdStacks: string;
    shimStacks: string;
    psiIo: string;
    psiMemory: string;
    psiCpu: string;
    iostat: string;
    vmstat: string;
    dmesg: string;
  };
  pids: { kubelet: number; containerd: number; shim: number };
  /** klog stamps of the last `GenericPLEG: Relisting` before the stall and the first after it. */
  plegGap?: TimeWindow;
  /** Number of `GenericPLEG: Relisting` lines in the kubelet file. */
  relistCount: number;
  /** `PLEG is not healthy` lines (only when the stall exceeds 3 minutes). */
  plegUnhealthyLines: number;
  /** The disk-saturation window (PSI io / iostat / vmstat); the avg10 values lag it by ~10 s. */
  ioPressure?: TimeWindow;
  /** kubelet image pulls (Pulling → Successfully pulled). */
  imagePulls: ImagePullTruth[];
  /** Lines with `failed to handle container TaskExit event` in the containerd log. */
  taskExitErrors: number;
  taskExits: TaskExitTruth[];
  /** kubelet `StopContainer from runtime service failed` lines (DeadlineExceeded). */
  stopContainerErrors: number;
  /** containerd goroutine in `bbolt.(*DB).Update` → `Fsync` that holds the bbolt write lock. */
  lockHolderGoroutine?: number;
  /** `UpdateContainerResources` goroutine: holds the container status lock, waits for bbolt. */
  lockWaiterGoroutine?: number;
  /** Other goroutines queued on the same bbolt lock (`beginRWTx` → `Mutex.lockSlow`). */
  bboltWaiterGoroutines: number[];
  /** `ListContainers` / `ContainerStatus` goroutines blocked in `statusStorage.Get` → `RWMutex.RLock`. */
  statusWaiterGoroutines: number[];
  /** CRI exit handler waiting in ttrpc `dispatch` for the shim's `Delete`. */
  exitHandlerGoroutine?: number;
  /** The shim goroutine stuck in the `Unmount` syscall. */
  shimDeleteGoroutine?: number;
  /** `metadata.(*DB)` pointer shared by the holder and the waiter (e.g. `0xc0001e92d0`). */
  dbPointer?: string;
  /** `statusStorage` pointer shared by the waiter (UpdateSync) and the status readers (Get). */
  statusPointer?: string;
  containerdDump: { path: string; pid: number; takenAtUs: number; goroutines: number };
  shimDump: { path: string; pid: number; containerId: string; goroutines: number };
  /** Kernel hung-task report (`INFO: task containerd-shim:<pid> blocked for more than 120 seconds.`). */
  hungTask?: { pid: number; atUs: number; uptimeSec: number };
  /** Containers whose start was held up by the stall (started right after it). */
  delayedContainers: number;
  /** Variants other than the reference incident: the fault's window, which the expected chain must cover. */
  chainWindow?: TimeWindow;
}

export interface GeneratedScenario {
  name: string;
  files: GeneratedFile[];
  truth: ScenarioTruth;
}
