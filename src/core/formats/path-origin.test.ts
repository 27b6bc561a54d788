import { describe, expect, it } from 'vitest';
import { originOfPath } from './path-origin';

describe('originOfPath', () => {
  it.each([
    ['node-7/kube-proxy.log', 'kube-proxy'],
    ['bundle.tar.gz!/var/log/kube-apiserver.log.1', 'kube-apiserver'],
    ['logs/kube-controller-manager-20240602.log.gz', 'kube-controller-manager'],
    ['kubelet.ip-10-0-3-7.root.log.INFO.20231231-235958.1680', 'kubelet'],
    ['node1_kubelet.txt', 'kubelet'],
    ['containerd.log', 'containerd'],
    ['containerd-shim.log', 'shim'],
    ['dockerd-2024-06-02.log', 'docker'],
    ['etcd.log', 'etcd'],
    ['C:\\dump\\kube-scheduler.log', 'kube-scheduler'],
    ['var/log/pods/kube-system_kube-proxy-x2x7q_5f0e8c1a-4b7d-4c1e-9a2b-3c4d5e6f7a8b/kube-proxy/0.log', 'kube-proxy'],
    ['var/log/pods/default_web-0_0c3f5b52-1d7e-4f0e-9a57-2b1c7f3e6d10/app/3.log.20240602-054806.gz', 'app'],
    [`var/log/containers/coredns-5d78c9869d-x2x7q_kube-system_coredns-${'7f0e2d1c'.repeat(8)}.log`, 'coredns'],
    // Docker's json-file driver names only the container's id: its short form.
    [`var/lib/docker/containers/${'4b1e0c3a'.repeat(8)}/${'4b1e0c3a'.repeat(8)}-json.log`, 'container 4b1e0c3a4b1e'],
    [`sos.tar.xz!/var/lib/docker/containers/${'a9'.repeat(32)}/${'a9'.repeat(32)}-json.log.1`, 'container a9a9a9a9a9a9'],
    ['var/log/aws-routed-eni/ipamd.log', 'ipamd'],
    ['var/log/aws-routed-eni/plugin.log', 'aws-cni'],
    // Dropped alone (a file input gives no folder).
    [`${'0f'.repeat(32)}-json.log`, 'container 0f0f0f0f0f0f'],
  ])('%s → %s', (path, origin) => {
    expect(originOfPath(path)).toBe(origin);
  });

  it.each([
    'node-7/journal.txt', 'messages', 'kubeletish.log', 'my-kubelets.log', 'logs/app.log', 'var/log/containers/readme.log',
    // A directory named after a program says nothing about the files beside it.
    'kubelet/notes.txt',
    // Not a container id.
    `var/lib/docker/containers/${'1'.repeat(63)}-json.log`, 'app-json.log',
  ])('%s names no program', (path) => {
    expect(originOfPath(path)).toBeNull();
  });
});
