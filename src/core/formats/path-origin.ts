// The program a file's name says wrote it. A raw klog or logrus file carries no identifier on its
// lines, so without this every klog file of a bundle (kube-proxy.log, kube-apiserver.log) would be
// listed, laned and analysed as the kubelet's. Container logs kept by the kubelet name their
// container in the path (/var/log/pods/NS_POD_UID/CONTAINER/0.log,
// /var/log/containers/POD_NS_CONTAINER-ID.log).
import type { Origin } from '../model';
import { originOfIdent } from './prefix';

/** Programs whose log files are named after them; longer names first (kube-proxy before kube). */
const PROGRAMS = [
  'kube-controller-manager', 'cloud-controller-manager', 'node-problem-detector', 'cluster-autoscaler',
  'containerd-shim-runc-v2', 'containerd-shim', 'kube-apiserver', 'kube-scheduler', 'kube-proxy', 'cri-containerd',
  'containerd', 'kubelet', 'hyperkube', 'dockerd', 'docker', 'crio', 'cri-o', 'etcd', 'coredns',
  // Node agents that log in klog, logrus or zap too (CNI, CSI, proxies, log shippers).
  'cilium-agent', 'cilium', 'calico-node', 'calico', 'flanneld', 'aws-node', 'ipamd', 'kube-router', 'konnectivity-agent',
  'ebs-csi-driver', 'cri-dockerd', 'fluent-bit', 'fluentd', 'nvidia-device-plugin', 'metrics-server',
];

const CONTAINER_ID = /-[0-9a-f]{64}$/;
/** Docker's json-file driver: /var/lib/docker/containers/ID/ID-json.log (rotated: .1, .2…). */
const DOCKER_JSON_LOG = /^([0-9a-f]{64})-json\.log/;

export function originOfPath(path: string): Origin | null {
  // Inside an archive the member's path counts; `\` from Windows-made zips is a separator too.
  const inner = path.slice(path.lastIndexOf('!/') + 1).replace(/\\/g, '/');
  const parts = inner.split('/').filter((p) => p.length > 0);
  const name = parts[parts.length - 1] ?? '';
  const pods = parts.lastIndexOf('pods');
  if (pods >= 0 && parts.length - pods === 4 && /^\d+\.log/.test(name)) return parts[pods + 2] ?? null;
  if (parts[parts.length - 2] === 'containers') {
    const stem = name.replace(/\.log.*$/, '');
    const fields = stem.split('_');
    if (fields.length === 3 && CONTAINER_ID.test(fields[2]!)) return fields[2]!.replace(CONTAINER_ID, '') || null;
  }
  // The file names no container, only its id: the short id `docker ps` shows. (Its folder is
  // the same id, but a file dropped alone, or picked with the file picker, comes without it.)
  const docker = DOCKER_JSON_LOG.exec(name);
  if (docker) return `container ${docker[1]!.slice(0, 12)}`;
  // The AWS VPC CNI keeps its logs in one folder: ipamd.log, plugin.log, egress-v6-plugin.log…
  return programIn(name.toLowerCase()) ?? (parts[parts.length - 2] === 'aws-routed-eni' ? 'aws-cni' : null);
}

/** A program name at the start of the file name, or after a separator, and not inside a longer word. */
function programIn(name: string): Origin | null {
  for (const program of PROGRAMS) {
    for (let at = name.indexOf(program); at >= 0; at = name.indexOf(program, at + 1)) {
      if (at > 0 && !isSeparator(name.charCodeAt(at - 1))) continue;
      const after = at + program.length;
      if (after < name.length && !isSeparator(name.charCodeAt(after))) continue;
      return originOfIdent(program === 'crio' ? 'cri-o' : program);
    }
  }
  return null;
}

function isSeparator(c: number): boolean {
  return c === 46 || c === 45 || c === 95 || c === 32 || (c >= 48 && c <= 57); // . - _ space digits
}
