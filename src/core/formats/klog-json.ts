// klog JSON (`--logging-format=json`, FORMATS.md §2.3): `{"ts":<epoch ms>,"caller":…,"msg":…}`.
// The stamp is absolute; there is no severity field, so entries with an `err` key are errors.
import { Level } from '../model';
import { createLayeredParser, layeredAnchors } from './layered-parser';
import { producerScore, sniffStats } from './sniff-stats';
import type { FormatDef } from './types';

export const klogJsonFormat: FormatDef = {
  id: 'klog-json',
  title: 'klog JSON (Kubernetes components with --logging-format=json)',
  origin: 'kubelet',
  originFromPath: true,
  detect(sniff) {
    const stats = sniffStats(sniff);
    return producerScore(stats, stats.klogJson);
  },
  createParser: createLayeredParser,
  anchors: layeredAnchors,
  samples: [
    {
      line: '198.51.100.10: {"ts":1755463071919.7622,"caller":"app/server.go:520","msg":"Kubelet version","v":0,"kubeletVersion":"v1.32.4"}',
      iso: '2025-08-17T20:37:51.919762Z', level: Level.info,
    },
    {
      line: '{"ts":1755463072104.5818,"caller":"kubelet/kubelet.go:2453","msg":"SyncLoop ADD","v":0,"source":"api","pods":["kube-system/kube-proxy-8zq2n"]}',
      iso: '2025-08-17T20:37:52.104581Z', level: Level.info,
    },
    {
      line: '{"ts":1755463080311.0427,"caller":"kuberuntime/kuberuntime_manager.go:1166","msg":"CreatePodSandbox for pod failed","pod":{"name":"web-0","namespace":"default"},"err":"rpc error: code = Unknown desc = failed to setup network for sandbox \\"4f2a\\": plugin type=\\"calico\\" failed (add)"}',
      iso: '2025-08-17T20:38:00.311042Z', level: Level.error,
    },
    {
      // Behind a journald prefix: the JSON stamp is absolute and wins over the local prefix.
      line: 'Aug 17 22:37:52 node-a kubelet[811]: {"ts":1755463072000.1,"caller":"app/server.go:800","msg":"Started kubelet","v":0}',
      iso: '2025-08-17T20:37:52.000100Z', level: Level.info, origin: 'kubelet', ctx: { zoneOffsetMin: 120 },
    },
    {
      line: '{"ts":1755463073000,"caller":"cm/container_manager_linux.go:300","msg":"Creating device plugin manager","v":2}',
      iso: '2025-08-17T20:37:53.000000Z', level: Level.info,
    },
    {
      // A record split by a collector: the tail has no stamp of its own.
      line: '  ,"v":0}',
      iso: null, continuation: true,
    },
  ],
};
