// journalctl short* output and syslog files holding several units (FORMATS.md §1.1-1.3). Each
// line's origin comes from its identifier; its time from the producer's own stamp when there is
// one (klog local, logrus absolute), else from the prefix.
import { Level } from '../model';
import { createLayeredParser, layeredAnchors } from './layered-parser';
import { sniffStats } from './sniff-stats';
import type { FormatDef } from './types';

export const syslogFormat: FormatDef = {
  id: 'syslog',
  title: 'journalctl short / syslog (several units)',
  origin: 'unknown',
  detect(sniff) {
    const stats = sniffStats(sniff);
    if (stats.prefixed === 0 || stats.heads === 0) return 0;
    const share = stats.prefixed / stats.heads;
    if (stats.units.size > 1) return 0.5 + 0.47 * share;
    // One unit: klog.ts or containerd.ts describe it better when it is theirs.
    const [unit] = stats.units;
    const producer = stats.klog + stats.klogJson + stats.containerd > 0;
    if (producer && (unit === undefined || unit === 'kubelet' || unit === 'containerd')) return 0.3 * share;
    return 0.45 + 0.4 * share;
  },
  createParser: createLayeredParser,
  anchors: layeredAnchors,
  samples: [
    {
      line: 'Jan 12 15:35:44 k8s-worker-44 kubelet[116050]: E0112 15:35:44.767958  116050 kubelet.go:1877] "Skipping pod synchronization" err="[container runtime status check may not have completed yet, PLEG is not healthy: pleg has yet to be successful]"',
      iso: '2024-01-12T15:35:44.767958Z', level: Level.error, origin: 'kubelet',
    },
    {
      line: 'Jun 09 02:21:21 k8s-cp-473 containerd[21197]: time="2023-06-09T02:21:21.385262455+08:00" level=warning msg="cleanup warnings time=\\"2023-06-09T02:21:21+08:00\\" level=info msg=\\"starting signal loop\\" namespace=k8s.io pid=903678 runtime=io.containerd.runc.v2\\n"',
      iso: '2023-06-08T18:21:21.385262Z', level: Level.warn, origin: 'containerd',
    },
    {
      line: 'Mar 31 07:55:31.545065 localhost kernel: last_pfn = 0xbff21 max_arch_pfn = 0x400000000',
      iso: '2024-03-31T07:55:31.545065Z', origin: 'kernel',
    },
    {
      // RFC 3164 file: space-padded day.
      line: 'Aug  5 07:27:14 node-2 systemd[1]: Started Kubernetes transient mount for /var/lib/kubelet/pods/9b131aa4-e669-11e7-8132-0254a9767590/volumes/kubernetes.io~secret/default-token-4x8xq.',
      iso: '2024-08-05T07:27:14.000000Z', origin: 'systemd',
    },
    {
      line: '2024-05-07T10:26:23.142118+00:00 lnx69631 dockerd[52789]: time="2024-05-07T10:26:23.141970662Z" level=info msg="shim disconnected" id=42f50e7f256149777cecba721584c16f4d30d8c03aa12acc8598b16b64db483f',
      iso: '2024-05-07T10:26:23.141970Z', level: Level.info, origin: 'docker',
    },
    {
      line: '1583353899.094400 node-9 systemd-udevd[412]: Could not generate persistent MAC address for cali9195c289a32: No such file or directory',
      iso: '2020-03-04T20:31:39.094400Z', origin: 'systemd',
    },
    {
      // RFC 5424 as rsyslog or syslog-ng forwards it: APP-NAME and PROCID fields, no MSGID or structured data.
      line: '<30>1 2024-06-02T05:48:06.351912+02:00 node-4.prod.example.com kubelet 1680 - - E0602 05:48:06.350695    1680 kubelet.go:2412] "Skipping pod synchronization" err="PLEG is not healthy: pleg was last seen active 3m0.5s ago; threshold is 3m0s"',
      iso: '2024-06-02T03:48:06.350695Z', level: Level.error, origin: 'kubelet', ctx: { zoneOffsetMin: 120 },
    },
    {
      // Structured data with escaped `\"` and `\]`, then the BOM RFC 5424 allows before a UTF-8 MSG.
      line: '<27>1 2024-06-02T03:48:10.353336Z ip-10-0-4-17 containerd 2206 - [meta sequenceId="12" note="a \\"quoted\\" \\] bracket"][origin ip="10.0.4.17"] \ufefftime="2024-06-02T03:48:10.353336Z" level=error msg="failed to delete task" error="context deadline exceeded"',
      iso: '2024-06-02T03:48:10.353336Z', level: Level.error, origin: 'containerd',
    },
    {
      line: '<6>1 2024-06-02T03:50:10.353484-05:00 node-4 kernel - - - EXT4-fs (nvme0n1p1): mounted filesystem with ordered data mode. Opts: (null)',
      iso: '2024-06-02T08:50:10.353484Z', origin: 'kernel',
    },
    {
      // An RFC 3164 line that kept its `<PRI>` (a forwarder's raw capture).
      line: '<30>Jun  2 05:48:06 node-4 systemd[1]: Started Kubernetes transient mount for /var/lib/kubelet/pods/9b131aa4/volumes/kubernetes.io~secret/token.',
      iso: '2024-06-02T05:48:06.000000Z', origin: 'systemd',
    },
    { line: '-- Boot 3d5f4c1b2a1e4d0f9c8b7a6e5d4c3b2a --', iso: null, continuation: true },
    { line: '-- No entries --', iso: null, continuation: true },
    {
      line: 'Mär 05 09:12:44 knoten-1 containerd[881]: time="2024-03-05T09:12:44.102938475+01:00" level=error msg="failed to delete task" error="context deadline exceeded: unknown" id=7f3c2a11',
      iso: '2024-03-05T08:12:44.102938Z', level: Level.error, origin: 'containerd',
    },
    {
      line: 'févr. 14 03:00:01 noeud-3 CRON[22711]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)',
      iso: '2024-02-14T03:00:01.000000Z', origin: 'CRON',
    },
    {
      line: 'déc. 31 23:59:59 noeud-3 ntpd[620]: bind(23) AF_INET6 fe80::40df:bcff:fe46:40e4%51#123 flags 0x11 failed: Cannot assign requested address',
      iso: '2024-12-31T22:59:59.000000Z', origin: 'ntpd', ctx: { zoneOffsetMin: 60 },
    },
    {
      line: '2025-03-04T11:47:29.149489+00:00 node-7 kernel: EXT4-fs (nvme0n1p1): mounted filesystem with ordered data mode. Opts: (null)',
      iso: '2025-03-04T11:47:29.149489Z', origin: 'kernel',
    },
    {
      line: 'Jun 19 21:51:02 containerd-shim-runc-v2[9912]: time="2019-06-19T21:51:02.894458282-07:00" level=info msg="cleaning up dead shim"',
      iso: '2019-06-20T04:51:02.894458Z', level: Level.info, origin: 'shim',
    },
    {
      line: 'Dec 21 16:11:32 ip-10-0-9-16 kubelet[1133]: Calico CNI IPAM request count IPv4=1 IPv6=0',
      iso: '2017-12-21T16:11:32.000000Z', origin: 'kubelet', ctx: { year: 2017 },
    },
    {
      // journalctl lines up a multi-line MESSAGE under the message column.
      line: '                                             goroutine 1 [running]:',
      iso: null, continuation: true,
    },
    {
      line: 'sept. 02 05:48:06 noeud-3 kubelet[2211]: I0902 05:48:06.350695    2211 kubelet.go:2453] "SyncLoop (PLEG): event for pod" pod="default/web-0"',
      iso: '2024-09-02T03:48:06.350695Z', level: Level.info, origin: 'kubelet', ctx: { zoneOffsetMin: 120 },
    },
    {
      // journalctl -o short-full: dated, and IST could be India, Israel or Ireland: wall-clock time.
      line: 'Tue 2024-12-31 23:59:59.912345 IST ip-10-0-1-5 systemd[1]: Started kubelet.service - kubelet: The Kubernetes Node Agent.',
      iso: '2024-12-31T18:29:59.912345Z', origin: 'systemd', ctx: { year: 2019, zoneOffsetMin: 330 },
    },
    {
      line: 'Wed 2025-01-01 00:00:02 UTC ip-10-0-1-5 kernel: IPVS: Registered protocols (TCP, UDP, SCTP, AH, ESP)',
      iso: '2025-01-01T00:00:02.000000Z', origin: 'kernel', ctx: { zoneOffsetMin: 330 },
    },
  ],
};
