// klog text (kubelet, kube-proxy, …): FORMATS.md §2.1-2.2, raw or behind any journald/syslog
// or collector prefix. Stamps are the process's local wall time without a year or zone.
import { Level } from '../model';
import { createLayeredParser, layeredAnchors } from './layered-parser';
import { producerScore, sniffStats } from './sniff-stats';
import type { FormatDef } from './types';

export const klogFormat: FormatDef = {
  id: 'klog',
  title: 'klog text (kubelet and other Kubernetes components)',
  origin: 'kubelet',
  originFromPath: true,
  detect(sniff) {
    const stats = sniffStats(sniff);
    return producerScore(stats, stats.klog);
  },
  createParser: createLayeredParser,
  anchors: layeredAnchors,
  samples: [
    {
      line: 'I0417 23:18:06.350695    1468 generic.go:191] "GenericPLEG: Relisting"',
      iso: '2024-04-17T23:18:06.350695Z', level: Level.info, origin: 'kubelet',
    },
    {
      line: 'kubelet_init[1469]: I0417 23:18:06.350695    1468 generic.go:191] "GenericPLEG: Relisting"',
      iso: '2024-04-17T23:18:06.350695Z', level: Level.info, origin: 'kubelet',
    },
    {
      line: 'Jan 12 15:35:44 k8s-worker-44 kubelet[116050]: E0112 15:35:44.767958  116050 kubelet.go:1877] "Skipping pod synchronization" err="[container runtime status check may not have completed yet, PLEG is not healthy: pleg has yet to be successful]"',
      iso: '2024-01-12T15:35:44.767958Z', level: Level.error, origin: 'kubelet',
    },
    {
      // 7-digit thread id (one space), cut by `less -S`.
      line: 'Sep 11 13:47:03 5k8s-vt12-worker680s kubelet[1828714]: I0911 13:47:03.438225 1828714 pod_container_deletor.go:79] "Container not found in pod\'s containers" containerID="a4b56c5e094c9f160d6df88ef3fca06bc95115bdfa35b94>',
      iso: '2024-09-11T13:47:03.438225Z', level: Level.info,
    },
    {
      line: 'Oct 08 12:26:36 ip-203-0-113-102.ap-southeast-1.compute.internal kubelet[5303]: E1008 12:26:36.124233    5303 kuberuntime_container.go:784] "Container termination failed with gracePeriod" err="rpc error: code = DeadlineExceeded desc = context deadline exceeded" pod="ops/report-gen-28806338-tszrl" podUID="7d4b1503-bb88-4af3-9f1c-e85ac545ad8c" containerName="worker" containerID="containerd://dd3653dbaaa637bbe408a01d7616c06b3830ccd6e0df1593bde77e97479383db" gracePeriod=30',
      iso: '2024-10-08T04:26:36.124233Z', level: Level.error, ctx: { zoneOffsetMin: 480 },
    },
    {
      line: 'W1124 21:34:10.984255    9509 helpers.go:847] eviction manager: no observation found for eviction signal allocatableNodeFs.available',
      iso: '2017-11-25T02:34:10.984255Z', level: Level.warn, ctx: { year: 2017, zoneOffsetMin: -300 },
    },
    {
      // short-iso-precise prefix: its date gives the year; the klog stamp stays the event time.
      line: '2025-03-04T11:47:29.149489+0000 ip-10-0-3-7 kubelet[2211]: E0304 11:47:29.149321    2211 pod_workers.go:1301] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"app\\" with CrashLoopBackOff" pod="default/app-7c9d" podUID="0c3f5b52-1d7e-4f0e-9a57-2b1c7f3e6d10"',
      iso: '2025-03-04T11:47:29.149321Z', level: Level.error, origin: 'kubelet',
    },
    {
      line: 'kubelet.log:1042:I0602 05:48:06.350695    4567 kubelet.go:2453] "SyncLoop (PLEG): event for pod" pod="kube-system/coredns-5d78c9869d-x2x7q" event={"ID":"5f0e8c1a-4b7d-4c1e-9a2b-3c4d5e6f7a8b","Type":"ContainerStarted","Data":"7f0e2d1c"}',
      iso: '2024-06-02T05:48:06.350695Z', level: Level.info,
    },
    {
      line: '198.51.100.10: I0602 05:48:07.000218    4567 kubelet_node_status.go:493] "Fast updating node status as it just became ready"',
      iso: '2024-06-02T05:48:07.000218Z', level: Level.info,
    },
    {
      line: '2023-10-25T10:57:16.6621956Z     default: I1025 10:53:37.652658   31337 kubelet.go:2429] "SyncLoop ADD" source="api" pods=["default/web-0"]',
      iso: '2023-10-25T10:53:37.652658Z', level: Level.info,
    },
    {
      line: 'F0602 05:49:12.000001   12345 server.go:269] failed to run Kubelet: validate service connection: CRI v1 runtime API is not implemented for endpoint "unix:///run/containerd/containerd.sock"',
      iso: '2024-06-02T05:49:12.000001Z', level: Level.fatal,
    },
    {
      line: 'I0602 05:48:06.350695    4567 prober.go:107] "Probe failed" probeType="Readiness" pod="default/web-0" output=<',
      iso: '2024-06-02T05:48:06.350695Z', level: Level.info,
    },
    { line: '\tHTTP probe failed with statuscode: 503', iso: null, continuation: true },
    { line: ' >', iso: null, continuation: true },
    {
      line: 'Mar 01 16:06:35 ip-192-0-2-82 kubelet[7845]: I0301 16:06:35.414429    7845 kubelet.go:1953] SyncLoop (PLEG): "isolated-web_default(6780f7e5-3433-1dd4-8dcc-17b52c99254b)", event: &pleg.PodLifecycleEvent{ID:"6780f7e5-3433-1dd4-8dcc-17b52c99254b", Type:"ContainerStarted", Data:"229aa606746135d2831edded89cba8147897c81d08a11e2295fff71afdf102f2"}',
      iso: '2024-03-01T16:06:35.414429Z', level: Level.info,
    },
    {
      line: 'ERROR: logging before flag.Parse: E0602 05:48:06.350601    1680 kubelet.go:1234] unable to read config path "/etc/kubernetes/manifests": path does not exist, ignoring',
      iso: '2024-06-02T05:48:06.350601Z', level: Level.error,
    },
    {
      line: 'Jun 02 05:48:06 node-7 kubelet[1680]: ERROR: logging before flag.Parse: W0602 05:48:06.350601    1680 server.go:191] no cloud provider',
      iso: '2024-06-02T05:48:06.350601Z', level: Level.warn, origin: 'kubelet',
    },
    { line: '-- Logs begin at Tue 2022-09-06 18:34:56 UTC, end at Sun 2022-09-11 14:03:42 UTC. --', iso: null, continuation: true },
    {
      // Markdown indentation, and padding lost in transit (one space before a 4-digit id).
      line: '    E1203 14:51:07.634790 5184 controller.go:195] "Failed to update lease" err="Put \\"https://192.0.2.10:6443/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-3?timeout=10s\\": context deadline exceeded"',
      iso: '2024-12-03T14:51:07.634790Z', level: Level.error,
    },
    {
      // CNI plugin output on kubelet's stdout: not klog, but its own journal entry.
      line: 'Dec 21 16:11:31 ip-10-0-9-16 kubelet[1133]: 2017-12-21 16:11:31.469 [INFO][4923] calico.go 87: Extracted identifiers ContainerID="7c9138f06d0f" Node="ip-10-0-9-16"',
      iso: '2017-12-21T16:11:31.000000Z', level: Level.unknown, origin: 'kubelet', ctx: { year: 2017 },
    },
  ],
};
