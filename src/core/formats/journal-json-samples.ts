// Samples for journal-json.ts (kept apart: journal records are long). The first three are the
// FORMATS.md §1.4 examples; the rest vary the value shapes the export format allows.
import { Level } from '../model';
import type { FormatSample } from './types';

const CMDLINE = '/usr/bin/kubelet --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf --pod-manifest-path=/etc/kubernetes/manifests --allow-privileged=true --network-plugin=cni --cni-conf-dir=/etc/cni/net.d --cni-bin-dir=/opt/cni/bin --cluster-dns=192.0.2.146 --cluster-domain=cluster.local --authorization-mode=Webhook --client-ca-file=/etc/kubernetes/pki/ca.crt --cadvisor-port=0 --rotate-certificates=true --cert-dir=/var/lib/kubelet/pki --cloud-provider=aws';

/** A spaced (2017-style) kubelet stdout record around `message` (already JSON-escaped). */
function kubeletRecord(cursor: string, realtime: string, message: string): string {
  return `{ "__CURSOR" : "s=0cac7e4ff6a72faf4639eded07fd2037;i=${cursor};b=df2f9e5d3cb1e262e08ab5a556ce1ffd;m=6eb60ea573;t=55ec150363e61;x=c2527ad654f10736", "__REALTIME_TIMESTAMP" : "${realtime}", "__MONOTONIC_TIMESTAMP" : "475500815731", "_BOOT_ID" : "df2f9e5d3cb1e262e08ab5a556ce1ffd", "_TRANSPORT" : "stdout", "PRIORITY" : "6", "SYSLOG_FACILITY" : "3", "SYSLOG_IDENTIFIER" : "kubelet", "_PID" : "9509", "_UID" : "0", "_GID" : "0", "_COMM" : "kubelet", "_EXE" : "/usr/bin/kubelet", "_CMDLINE" : "${CMDLINE}", "_CAP_EFFECTIVE" : "3fffffffff", "_SYSTEMD_CGROUP" : "/system.slice/kubelet.service", "_SYSTEMD_UNIT" : "kubelet.service", "_SYSTEMD_SLICE" : "system.slice", "_MACHINE_ID" : "a53f463565239d717e90b936d6283546", "_HOSTNAME" : "ip-192-0-2-15", "MESSAGE" : "${message}" }`;
}

export const JOURNAL_SAMPLES: FormatSample[] = [
  {
    // klog's W wins over PRIORITY 6.
    line: kubeletRecord('1c9ed', '1511559250984545', 'W1124 21:34:10.984255    9509 helpers.go:847] eviction manager: no observation found for eviction signal allocatableNodeFs.available'),
    iso: '2017-11-24T21:34:10.984545Z', level: Level.warn, origin: 'kubelet',
  },
  {
    line: '{ "__CURSOR" : "s=0cac7e4ff6a72faf4639eded07fd2037;i=1c9f5;b=df2f9e5d3cb1e262e08ab5a556ce1ffd;m=6eb73fd1f2;t=55ec151676ae0;x=9b337e6f11ab9d35", "__REALTIME_TIMESTAMP" : "1511559270984416", "__MONOTONIC_TIMESTAMP" : "475520815602", "_BOOT_ID" : "df2f9e5d3cb1e262e08ab5a556ce1ffd", "_MACHINE_ID" : "a53f463565239d717e90b936d6283546", "_HOSTNAME" : "ip-192-0-2-15", "_SOURCE_MONOTONIC_TIMESTAMP" : "475520805535", "_TRANSPORT" : "kernel", "PRIORITY" : "4", "SYSLOG_FACILITY" : "0", "SYSLOG_IDENTIFIER" : "kernel", "MESSAGE" : "aufs au_opts_verify:1597:dockerd[26821]: dirperm1 breaks the protection by the permission bits on the lower branch" }',
    iso: '2017-11-24T21:34:30.984416Z', level: Level.warn, origin: 'kernel',
  },
  {
    // A fragment of a wrapped CNI line on kubelet's stdout: not klog, PRIORITY decides.
    line: kubeletRecord('1c9fc', '1511559271479325', 'els,omitempty\\\\\\"\\" }{Labels:[]struct { Key string \\"json:\\\\\\"key\\\\\\"\\"; Value string \\"json:\\\\\\"value\\\\\\"\\" }(nil)}}}}, EtcdScheme:\\"\\", EtcdKeyFile:\\"\\", EtcdCertFile:\\"\\", EtcdCaCertFile:\\"\\"} Workload=\\"heptio-sonobuoy.sonobuoy\\"'),
    iso: '2017-11-24T21:34:31.479325Z', level: Level.info, origin: 'kubelet',
  },
  {
    // --output-fields: the address fields come anyway; _SOURCE_REALTIME_TIMESTAMP wins.
    line: '{ "__CURSOR" : "s=71c4550142d14ace8e2959e3540cc15c;i=133c;b=44864010f0d94baba7b6bf8019f82a56;m=2945cd3;t=5a00d4eb59180;x=8ed47f7f9b3d798", "__REALTIME_TIMESTAMP" : "1583353899094400", "__MONOTONIC_TIMESTAMP" : "43277523", "_BOOT_ID" : "44864010f0d94baba7b6bf8019f82a56", "SYSLOG_IDENTIFIER" : "openfaas-fn:nodeinfo", "_PID" : "2254", "MESSAGE" : "2020/03/04 20:31:39 POST / - 200 OK - ContentLength: 83", "_SOURCE_REALTIME_TIMESTAMP" : "1583353899094372" }',
    iso: '2020-03-04T20:31:39.094372Z', level: Level.unknown, origin: 'openfaas-fn:nodeinfo',
  },
  {
    // Compact style; containerd's level= wins over PRIORITY 6.
    line: '{"__CURSOR":"s=9a1b;i=2f01;b=77c0;m=1a2b;t=61a8;x=3c4d","__REALTIME_TIMESTAMP":"1718000000123456","__MONOTONIC_TIMESTAMP":"912345678","_BOOT_ID":"77c0e1d2c3b4a5968778695a4b3c2d1e","__SEQNUM":"12033","__SEQNUM_ID":"9a1b2c3d","_TRANSPORT":"stdout","PRIORITY":"6","SYSLOG_IDENTIFIER":"containerd","_PID":"881","_COMM":"containerd","_SYSTEMD_UNIT":"containerd.service","MESSAGE":"time=\\"2024-06-10T06:13:20.122901113Z\\" level=error msg=\\"failed to delete task\\" error=\\"context deadline exceeded: unknown\\" id=7f3c2a11"}',
    iso: '2024-06-10T06:13:20.123456Z', level: Level.error, origin: 'containerd',
  },
  {
    // A shim record relayed by containerd.
    line: '{"__CURSOR":"s=9a1b;i=2f02;b=77c0;m=1a2c;t=61a9;x=3c4e","__REALTIME_TIMESTAMP":"1718000001000000","_TRANSPORT":"stdout","PRIORITY":"6","SYSLOG_IDENTIFIER":"containerd","MESSAGE":"time=\\"2024-06-10T06:13:20.999000000Z\\" level=info msg=\\"starting signal loop\\" namespace=k8s.io path=/run/containerd/io.containerd.runtime.v2.task/k8s.io/5c2f pid=40211 runtime=io.containerd.runc.v2"}',
    iso: '2024-06-10T06:13:21.000000Z', level: Level.info, origin: 'shim',
  },
  {
    // Non-UTF-8 data: MESSAGE as an array of byte values ("Hi" + 0xff).
    line: '{"__CURSOR":"s=9a1b;i=2f03","__REALTIME_TIMESTAMP":"1718000002500000","_TRANSPORT":"journal","PRIORITY":"3","SYSLOG_IDENTIFIER":["systemd-coredump","systemd-coredump"],"MESSAGE":[72,105,255]}',
    iso: '2024-06-10T06:13:22.500000Z', level: Level.error, origin: 'systemd',
  },
  {
    // MESSAGE over the size threshold becomes null; _COMM names the unit.
    line: '{"__CURSOR":"s=9a1b;i=2f04","__REALTIME_TIMESTAMP":"1718000002500000","_TRANSPORT":"stdout","PRIORITY":"7","_COMM":"dockerd","MESSAGE":null}',
    iso: '2024-06-10T06:13:22.500000Z', level: Level.debug, origin: 'docker',
  },
  {
    line: '{"__CURSOR":"s=9a1b;i=2f05","__REALTIME_TIMESTAMP":"1718000002500000","_TRANSPORT":"stdout","PRIORITY":"6","SYSLOG_IDENTIFIER":"kubelet","MESSAGE":"E0610 06:13:22.499871    2211 pod_workers.go:1301] \\"Error syncing pod, skipping\\" err=\\"failed to \\\\\\"StartContainer\\\\\\"\\""}',
    iso: '2024-06-10T06:13:22.500000Z', level: Level.error, origin: 'kubelet',
  },
  {
    // A record cut off at the end of a paste: no time, never an error.
    line: '{"__CURSOR":"s=9a1b;i=2f06","__REALTIME_TIMESTAMP":"17180000',
    iso: null,
  },
];
