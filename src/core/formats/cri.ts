// Container logs as the CRI runtime (containerd, CRI-O) writes them for the kubelet:
// /var/log/pods/NS_POD_UID/CONTAINER/N.log, linked from /var/log/containers. Each line is
// `<RFC 3339 nano> <stdout|stderr> <F|P> <message>`; P marks a message cut at the runtime's buffer
// size and continued by the stream's next line. The message is whatever the container printed:
// klog (kube-proxy, CoreDNS's Kubernetes plugin), logrus, JSON or free text. The runtime's stamp,
// absolute, is the line's time; the container is named by the path (path-origin.ts).
import { Level } from '../model';
import { createLayeredParser, layeredAnchors } from './layered-parser';
import { sniffStats } from './sniff-stats';
import type { FormatDef } from './types';

export const criFormat: FormatDef = {
  id: 'cri',
  title: 'container log (CRI: /var/log/pods, /var/log/containers)',
  origin: 'container',
  originFromPath: true,
  detect(sniff) {
    const stats = sniffStats(sniff);
    if (stats.cri === 0 || stats.heads === 0) return 0;
    // Above a producer's best (0.95): the file is one container's log whatever it printed.
    return 0.5 + 0.48 * (stats.cri / stats.heads);
  },
  createParser: createLayeredParser,
  anchors: layeredAnchors,
  samples: [
    {
      line: '2024-06-02T05:48:06.350695123Z stderr F I0602 05:48:06.350601       1 server_others.go:72] "Using iptables proxy"',
      iso: '2024-06-02T05:48:06.350695Z', level: Level.info,
    },
    {
      // The container's klog clock is UTC while the node runs at +08:00: the runtime's stamp counts.
      line: '2024-06-02T13:48:07.100000001+08:00 stderr F E0602 05:48:07.099999       1 reflector.go:147] failed to list *v1.Service: Get "https://10.96.0.1:443/api/v1/services": dial tcp 10.96.0.1:443: i/o timeout',
      iso: '2024-06-02T05:48:07.100000Z', level: Level.error, ctx: { zoneOffsetMin: 480 },
    },
    {
      line: '2024-06-02T05:48:09.000000000Z stdout F [INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908',
      iso: '2024-06-02T05:48:09.000000Z', level: Level.info,
    },
    {
      line: '2024-06-02T05:48:09.500000000Z stdout F {"level":"error","ts":1717307289.5,"caller":"app/main.go:42","msg":"upstream timeout","upstream":"db:5432"}',
      iso: '2024-06-02T05:48:09.500000Z', level: Level.error,
    },
    {
      line: '2025-01-07T22:14:01.002932774Z stdout P time="2025-01-07T22:14:01Z" level=warning msg="slow request" path=/api/v1/reports duration=12.4s body="',
      iso: '2025-01-07T22:14:01.002932Z', level: Level.warn,
    },
    { line: '2024-06-02T05:48:10.000000000Z stdout F ', iso: '2024-06-02T05:48:10.000000Z' },
    {
      line: '2024-06-02T05:48:11.250000000Z stderr F 2024-06-02 05:48:11,249 WARN  [pool-3-thread-1] c.e.Reporter - retrying upload (attempt 3)',
      iso: '2024-06-02T05:48:11.250000Z', level: Level.warn,
    },
  ],
};
