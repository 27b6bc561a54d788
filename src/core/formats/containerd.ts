// containerd, its shims and dockerd through logrus (FORMATS.md §3): logfmt, TTY text and JSON,
// raw or behind journald/syslog/collector prefixes. Stamps carry their offset (absolute).
import { Level } from '../model';
import { createLayeredParser, layeredAnchors } from './layered-parser';
import { producerScore, sniffStats } from './sniff-stats';
import type { FormatDef } from './types';

export const containerdFormat: FormatDef = {
  id: 'containerd',
  title: 'containerd / dockerd (logrus: logfmt, TTY or JSON)',
  origin: 'containerd',
  originFromPath: true,
  detect(sniff) {
    const stats = sniffStats(sniff);
    return producerScore(stats, stats.containerd);
  },
  createParser: createLayeredParser,
  anchors: layeredAnchors,
  samples: [
    {
      line: 'time="2023-10-25T10:53:37.652658888Z" level=warning msg="unknown status" status=0',
      iso: '2023-10-25T10:53:37.652658Z', level: Level.warn,
    },
    {
      line: '2023-10-25T10:57:16.6624587Z     default: time="2023-10-25T10:53:37.652658888Z" level=warning msg="unknown status" status=0',
      iso: '2023-10-25T10:53:37.652658Z', level: Level.warn,
    },
    {
      line: 'messages-2024-05-08-1715162101.gz:2725:2024-05-07T10:26:23.142118+00:00 lnx69631 dockerd[52789]: time="2024-05-07T10:26:23.142102041Z" level=warning msg="cleaning up after shim disconnected" id=42f50e7f256149777cecba721584c16f4d30d8c03aa12acc8598b16b64db483f namespace=moby',
      iso: '2024-05-07T10:26:23.142102Z', level: Level.warn, origin: 'docker',
    },
    {
      line: '8月 20 04:32:10 ctrlplane-a56 containerd[3264]: time="2020-08-20T04:32:10.913517124+08:00" level=warning msg="failed to clean up after shim disconnected" error="io.containerd.runc.v1: failed to connect: dial unix /run/containerd/containerd.sock.ttrpc: connect: connection refused\\n: exit status 1" id=20322b06ad30bcf15a0546a5d9870401c5835612f77f309cbbd589cd3466f664 namespace=k8s.io',
      iso: '2020-08-19T20:32:10.913517Z', level: Level.warn, origin: 'containerd',
    },
    {
      line: 'mai 27 15:25:45 k8s-worker82 containerd[399718]: time="2025-05-27T15:25:45.319398178+11:00" level=info msg="TaskExit event in podsandb',
      iso: '2025-05-27T04:25:45.319398Z', level: Level.info, origin: 'containerd',
    },
    {
      // The terminal hard-wrapped the entry above.
      line: 'ox handler container_id:\\"e6782fc8eccc2a71b6bb0d08f57b87774c19994ad776349428dd07eac0d0d463\\" id:\\"a21597e5e6bf34daaba22f813f3c487530e3',
      iso: null, continuation: true,
    },
    {
      line: 'Jun 19 21:51:02 containerd[83660]: time="2019-06-19T21:51:02.894458282-07:00" level=error msg="Failed to handle event &TaskExit{ContainerID:af10720054623b8b324e1e3275d402d785c3e671c4b064805653427504165d4d,ID:af10720054623b8b324e1e3275d402d785c3e671c4b064805653427504165d4d,Pid:23713,ExitStatus:255,ExitedAt:2019-06-20 04:50:19.073921379 +0000 UTC,} for af10720054623b8b324e1e3275d402d785c3e671c4b064805653427504165d4d" error="failed to handle container TaskExit event: failed to stop container: context deadline exceeded: unknown"',
      iso: '2019-06-20T04:51:02.894458Z', level: Level.error, origin: 'containerd',
    },
    {
      // Relayed from the shim: its logger fields follow the msg.
      line: 'Feb 13 22:39:51 VM-6-79-centos containerd[3761]: time="2024-02-13T22:39:51.062657805+08:00" level=info msg="starting signal loop" namespace=moby path=/run/containerd/io.containerd.runtime.v2.task/moby/45ef35ca93cb0e7c0c6caee4b5540e6845dd7a3d24ec17868a0f54c7438252de pid=1927 runtime=io.containerd.runc.v2',
      iso: '2024-02-13T14:39:51.062657Z', level: Level.info, origin: 'shim',
    },
    {
      // containerd's own warning that quotes a shim record inside its msg: not a shim line.
      line: 'Jun 09 02:21:21 k8s-cp-473 containerd[21197]: time="2023-06-09T02:21:21.385262455+08:00" level=warning msg="cleanup warnings time=\\"2023-06-09T02:21:21+08:00\\" level=info msg=\\"starting signal loop\\" namespace=k8s.io pid=903678 runtime=io.containerd.runc.v2\\n"',
      iso: '2023-06-08T18:21:21.385262Z', level: Level.warn, origin: 'containerd',
    },
    {
      line: 'time="2024-01-09T08:00:01.000000001Z" level=info msg="shim disconnected" id=9c1f0d2e namespace=k8s.io path=/run/containerd/io.containerd.runtime.v2.task/k8s.io/9c1f0d2e pid=40211 runtime=io.containerd.runc.v2',
      iso: '2024-01-09T08:00:01.000000Z', level: Level.info, origin: 'shim',
    },
    {
      line: 'INFO[2024-07-28T02:23:29.890473249+08:00] TaskExit event in podsandbox handler container_id:"042cd4bf4a7368e944e5ef5e1426adb9252ba172bb8023d7b1a96fe48369a555"  id:"042cd4bf4a7368e944e5ef5e1426adb9252ba172bb8023d7b1a96fe48369a555"  pid:105695  exit_status:137  exited_at:{seconds:1722104609  nanos:889854119} ',
      iso: '2024-07-27T18:23:29.890473Z', level: Level.info,
    },
    {
      line: '    \u001b[36mINFO\u001b[0m[2018-08-02T13:40:07.397856489Z] starting containerd                           \u001b[36mrevision\u001b[0m=d64c661f1d51c48782c9cec8fda7604785f93587 \u001b[36mversion\u001b[0m=v1.1.2',
      iso: '2018-08-02T13:40:07.397856Z', level: Level.info,
    },
    {
      line: 'ERRO[2024-03-05T09:12:44.102938475+01:00] failed to delete task                        error="context deadline exceeded: unknown" id=7f3c2a11',
      iso: '2024-03-05T08:12:44.102938Z', level: Level.error,
    },
    {
      line: '{"level":"info","msg":"starting containerd","revision":"7c3aca7a610df76212171d200ca3811ff6096eb8","time":"2024-03-01T10:00:00.123456789Z","version":"v1.7.13"}',
      iso: '2024-03-01T10:00:00.123456Z', level: Level.info,
    },
    {
      line: '{"error":"rpc error: code = NotFound desc = an error occurred when try to find container \\"5c2f\\": not found","level":"error","msg":"ContainerStatus for \\"5c2f\\" failed","time":"2024-03-01T10:00:02.500000000+09:00"}',
      iso: '2024-03-01T01:00:02.500000Z', level: Level.error,
    },
    {
      // A JSON record cut in two by the paste: neither half has a stamp.
      line: 'containerd[9897]: {"error":"failed to stop container: failed to delete task: context deadline exceeded:',
      iso: null, continuation: false, origin: 'containerd',
    },
    { line: ' unknown","level":"error"', iso: null, continuation: true },
    {
      line: 'time="2017-12-08T02:19:25Z" level=info msg="=== BEGIN goroutine stack dump ===',
      iso: '2017-12-08T02:19:25.000000Z', level: Level.info,
    },
    { line: 'goroutine 69 [running]:', iso: null, continuation: true },
    { line: '        /go/src/github.com/containerd/containerd/cmd/containerd/main.go:207 +0x8c', iso: null, continuation: true },
    {
      line: 'time="2024-04-02T11:12:13.000000001+02:00" level=debug msg=serving... address="/run/containerd/containerd.sock.ttrpc"',
      iso: '2024-04-02T09:12:13.000000Z', level: Level.debug,
    },
    {
      line: 'time="2024-04-02T11:12:13.5Z" level=trace msg="event published" ns=k8s.io topic=/tasks/exit type=containerd.events.TaskExit',
      iso: '2024-04-02T11:12:13.500000Z', level: Level.trace,
    },
    {
      line: 'time="2024-04-02T11:12:14.000000000Z" level=panic msg="runtime error: invalid memory address or nil pointer dereference"',
      iso: '2024-04-02T11:12:14.000000Z', level: Level.fatal,
    },
  ],
};
