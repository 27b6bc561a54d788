// The API-server detector on hand-written lines shaped like real kubelet output: structured
// (≥ 1.20) and unstructured (older) wording, IPv4, IPv6 and DNS endpoints, each cause class, the
// certificate manager's lines; and what it must leave alone: isolated errors, a CNI plugin's own
// API calls, and the runtime detector must not take API errors for the runtime being down.

import { describe, expect, it } from 'vitest';
import { apiFailure, causeOf, certificateLine, endpointOf, goTimeUs } from './apiserver-lines';
import { detectApiServer } from './apiserver';
import { detectRuntime } from './runtime';
import { inputOf, kinds, kubeletLine } from './test-helpers';

const T0 = Date.UTC(new Date().getUTCFullYear(), 5, 2, 5, 40, 0) * 1000;
const SEC = 1e6;
const at = (s: number) => T0 + s * SEC;
const file = (lines: string[]) => `${lines.join('\n')}\n`;
const q = (s: string) => JSON.stringify(s);

async function apiOf(lines: string[]) {
  const input = await inputOf({ 'kubelet.log': file(lines) });
  return { findings: detectApiServer(input), runtime: detectRuntime(input) };
}

/** A node's status and lease failing every ~10 s for `sec` seconds, then a normal line a while later. */
function outage(from: number, sec: number, err: (n: number) => string, legacy = false, host = 'ip-10-0-1-2.ec2.internal'): string[] {
  const out: string[] = [];
  for (let t = from, n = 0; t <= from + sec; t += 10, n++) {
    const status = `error getting node "${host}": ${err(n)}`;
    out.push(kubeletLine(at(t), 'E', 'kubelet_node_status.go:535', legacy ? `Error updating node status, will retry: ${status}` : `"Error updating node status, will retry" err=${q(status)}`));
    out.push(kubeletLine(at(t + 3), 'E', 'controller.go:193', legacy ? `failed to update lease, error: ${err(n)}` : `"Failed to update lease" err=${q(err(n))}`));
  }
  out.push(kubeletLine(at(from + sec + 200), 'I', 'kubelet.go:2008', '"SyncLoop (housekeeping) end"'));
  return out;
}

describe('apiserver lines', () => {
  it('classes the causes whatever wraps them', () => {
    expect(causeOf('Get "https://10.0.0.1:6443/api/v1/nodes/n?timeout=10s": net/http: request canceled (Client.Timeout exceeded while awaiting headers)')).toBe('timeout');
    expect(causeOf('Get https://10.0.0.1:6443/api/v1/nodes/n: dial tcp 10.0.0.1:6443: i/o timeout')).toBe('timeout');
    expect(causeOf('Put "https://x/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n?timeout=10s": context deadline exceeded')).toBe('timeout');
    expect(causeOf('dial tcp 10.0.0.1:6443: connect: connection refused')).toBe('refused');
    expect(causeOf('dial tcp: lookup api.cluster.example.com on 10.0.0.2:53: no such host')).toBe('dns');
    expect(causeOf('dial tcp: lookup api.cluster.example.com on 127.0.0.53:53: server misbehaving')).toBe('dns');
    expect(causeOf('x509: certificate has expired or is not yet valid: current time 2024-06-02T05:48:06Z is after 2024-06-01T00:00:00Z')).toBe('tls-expired');
    expect(causeOf('x509: certificate has expired or is not yet valid: current time 2019-01-01T00:00:00Z is before 2024-06-01T00:00:00Z')).toBe('tls-not-yet-valid');
    expect(causeOf('tls: failed to verify certificate: x509: certificate signed by unknown authority')).toBe('tls-unknown-authority');
    expect(causeOf('x509: certificate is valid for 10.96.0.1, 10.0.0.10, not 10.0.0.1')).toBe('tls-other');
    expect(causeOf('Unauthorized')).toBe('unauthorized');
    expect(causeOf('the server has asked for the client to provide credentials')).toBe('unauthorized');
    expect(causeOf('nodes "n" is forbidden: User "system:node:m" cannot get resource "nodes"')).toBe('forbidden');
    expect(causeOf('an error on the server ("unable to decode an event from the watch stream: http2: client connection lost") has prevented the request from succeeding')).toBe('reset');
    expect(causeOf('dial tcp 10.0.0.1:6443: connect: no route to host')).toBe('unreachable');
    expect(causeOf('certificate request was not signed: timed out waiting for the condition')).toBe('not-approved');
    expect(causeOf('update node status exceeds retry count')).toBe('other');
  });

  it('names the endpoint: IPv4, IPv6, a DNS name with and without a port', () => {
    expect(endpointOf('Get "https://10.0.0.1:6443/api/v1/nodes/n"')).toBe('10.0.0.1:6443');
    expect(endpointOf('Get https://[fd00:10:96::1]:6443/api/v1/nodes/n: dial tcp [fd00:10:96::1]:6443: i/o timeout')).toBe('[fd00:10:96::1]:6443');
    expect(endpointOf('Get \\"https://ABCDEF0123.gr7.us-east-1.eks.amazonaws.com/api/v1/nodes/n\\"')).toBe('ABCDEF0123.gr7.us-east-1.eks.amazonaws.com:443');
    expect(endpointOf('dial tcp 10.0.0.1:6443: connect: connection refused')).toBe('10.0.0.1:6443');
    expect(endpointOf('dial tcp: lookup api.cluster.example.com on 10.0.0.2:53: no such host')).toBe('api.cluster.example.com');
    expect(goTimeUs('2024-06-01 00:00:00 +0000 UTC')).toBe(Date.UTC(2024, 5, 1) * 1000);
    expect(goTimeUs('2024-06-01 02:00:00.123456789 +0200 CEST')).toBe((Date.UTC(2024, 5, 1) + 123) * 1000);
  });

  it('reads the client certificate\'s expiry in the old and the structured wording', () => {
    const notAfterUs = Date.UTC(2025, 4, 15, 10, 20) * 1000;
    expect(certificateLine('kubernetes.io/kube-apiserver-client-kubelet: Certificate expiration is 2025-05-15 10:20:00 +0000 UTC, rotation deadline is 2025-03-08 01:02:03.456 +0000 UTC')).toEqual({ what: 'expiration', signer: 'kubernetes.io/kube-apiserver-client-kubelet', notAfterUs });
    expect(certificateLine('"Certificate rotation deadline determined" logger="kubernetes.io/kube-apiserver-client-kubelet" expiration="2025-05-15 10:20:00 +0000 UTC" deadline="2025-03-08 01:02:03.456 +0000 UTC"')).toEqual({ what: 'expiration', signer: 'kubernetes.io/kube-apiserver-client-kubelet', notAfterUs });
    expect(certificateLine('"Waiting for next certificate rotation" logger="kubernetes.io/kubelet-serving" sleep="1h2m3s"')).toEqual({ what: 'rotating' });
    expect(certificateLine('"Certificate rotation detected, shutting down client connections to start using new credentials"')).toEqual({ what: 'rotated' });
  });

  it('a reflector closing a watch normally, or an unrelated line, is no failure', () => {
    expect(apiFailure('k8s.io/client-go/informers/factory.go:134: Watch close - *v1.Pod total 12 items received')).toBeNull();
    expect(apiFailure('"Failed to create sandbox for pod" err="rpc error: code = Unknown desc = failed to setup network for sandbox: plugin type=\\"calico\\" failed (add): error getting ClusterInformation: Get \\"https://10.96.0.1:443/apis/crd.projectcalico.org/v1/clusterinformations/default\\": dial tcp 10.96.0.1:443: i/o timeout"')).toBeNull();
    expect(apiFailure('k8s.io/client-go/informers/factory.go:150: Failed to watch *v1.Service: failed to list *v1.Service: Get "https://10.0.0.1:6443/api/v1/services?limit=500&resourceVersion=0": dial tcp 10.0.0.1:6443: connect: connection refused')).toMatchObject({ call: 'watch', cause: 'refused', endpoint: '10.0.0.1:6443', resource: '*v1.Service' });
  });
});

describe('apiserver detector', () => {
  it('structured wording, IPv4, timeouts: status and lease failing, lists failing, the cause and the endpoint', async () => {
    const url = (p: string) => `"https://10.0.0.1:6443${p}"`;
    const lines = [
      kubeletLine(at(-5), 'W', 'reflector.go:347', 'k8s.io/client-go/informers/factory.go:150: watch of *v1.Pod ended with: an error on the server ("unable to decode an event from the watch stream: http2: client connection lost") has prevented the request from succeeding'),
      ...outage(0, 120, (n) => (n % 2 ? `Get ${url('/api/v1/nodes/ip-10-0-1-2.ec2.internal?resourceVersion=0&timeout=10s')}: net/http: request canceled (Client.Timeout exceeded while awaiting headers)` : `Get ${url('/api/v1/nodes/ip-10-0-1-2.ec2.internal?resourceVersion=0&timeout=10s')}: dial tcp 10.0.0.1:6443: i/o timeout`)),
      kubeletLine(at(50), 'E', 'kubelet_node_status.go:522', '"Unable to update node status" err="update node status exceeds retry count"'),
      kubeletLine(at(12), 'E', 'controller.go:144', `"Failed to ensure lease exists, will retry" err=${q(`Get ${url('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/ip-10-0-1-2.ec2.internal?timeout=10s')}: context deadline exceeded`)} interval="7s"`),
      ...['Service', 'Node', 'CSIDriver'].map((k, i) => kubeletLine(at(20 + i), 'E', 'reflector.go:147', `k8s.io/client-go/informers/factory.go:150: Failed to watch *v1.${k}: failed to list *v1.${k}: Get ${url(`/api/v1/${k.toLowerCase()}s?limit=500&resourceVersion=0`)}: dial tcp 10.0.0.1:6443: i/o timeout`)),
    ].sort();
    const { findings, runtime } = await apiOf(lines);
    const [status, ...more] = kinds(findings, 'node-status-failed');
    expect(more).toHaveLength(0);
    expect(status!.facts).toMatchObject({ cause: 'timeout', endpoint: '10.0.0.1:6443', notReady: true, evictionsLikely: false, recovered: true, durationSec: 123 });
    expect(status!.facts.statusFailures).toBe(14);
    expect(status!.facts.leaseFailures).toBe(14);
    expect(status!.severity).toBe('error');
    expect(kinds(findings, 'api-calls-failed')[0]!.facts).toMatchObject({ cause: 'timeout', resources: 4, watchFailures: 4, calls: 'watch' });
    expect(kinds(findings, 'api-failure-cause')[0]!.facts).toMatchObject({ cause: 'timeout', endpoint: '10.0.0.1:6443', server: '10.0.0.1:6443' });
    // Deadlines and refusals in API calls are not the runtime's.
    expect(runtime.filter((f) => f.kind === 'runtime-unavailable' || f.kind === 'cri-deadline')).toEqual([]);
  });

  it('a control-plane node starting: kubelet cannot register until its own API server answers; that is start-up, not an outage', async () => {
    const starting = (sec: number) => {
      const out: string[] = [kubeletLine(at(0), 'I', 'server.go:487', '"Kubelet version" kubeletVersion="v1.29.8"')];
      for (let t = 1; t <= sec; t += 4) {
        const refused = 'dial tcp 10.0.0.11:6443: connect: connection refused';
        out.push(kubeletLine(at(t), 'E', 'kubelet_node_status.go:96', `"Unable to register node with API server" err=${q(`Post "https://10.0.0.11:6443/api/v1/nodes": ${refused}`)} node="cp-1"`));
        out.push(kubeletLine(at(t) + 100_000, 'E', 'controller.go:145', `"Failed to ensure lease exists, will retry" err=${q(`Get "https://10.0.0.11:6443/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/cp-1?timeout=10s": ${refused}`)} interval="7s"`));
        out.push(kubeletLine(at(t) + 150_000, 'W', 'reflector.go:539', `k8s.io/client-go/informers/factory.go:159: failed to list *v1.Service: Get "https://10.0.0.11:6443/api/v1/services?limit=500&resourceVersion=0": ${refused}`));
      }
      out.push(kubeletLine(at(sec + 2), 'I', 'kubelet_node_status.go:76', '"Successfully registered node" node="cp-1"'));
      out.push(kubeletLine(at(sec + 400), 'I', 'kubelet.go:2008', '"SyncLoop (housekeeping) end"'));
      return out;
    };
    for (const sec of [12, 28, 90]) {
      const { findings } = await apiOf(starting(sec));
      expect(findings.map((f) => f.kind), `${sec} s`).toEqual(['startup-unreachable']);
      expect(findings[0]!.severity).toBe('info');
    }
    // Never answering for ten minutes is an outage, start-up or not.
    const { findings } = await apiOf(starting(600));
    expect(kinds(findings, 'node-status-failed')).toHaveLength(1);
    expect(kinds(findings, 'startup-unreachable')).toHaveLength(0);
  });

  it('old wording, IPv6, refused', async () => {
    const ep = '[fd00:10:96::1]:6443';
    const { findings } = await apiOf(outage(0, 60, () => `Get https://${ep}/api/v1/nodes/node-3?resourceVersion=0&timeout=10s: dial tcp ${ep}: connect: connection refused`, true, 'node-3'));
    expect(kinds(findings, 'node-status-failed')[0]!.facts).toMatchObject({ cause: 'refused', endpoint: ep, notReady: true });
  });

  it('DNS: the name does not resolve (an EKS endpoint without a port)', async () => {
    const name = 'ABCDEF0123456789.gr7.us-east-1.eks.amazonaws.com';
    const { findings, runtime } = await apiOf([
      ...outage(0, 90, (n) => `Get "https://${name}/api/v1/nodes/node-3?timeout=10s": dial tcp: lookup ${name} on 10.0.0.2:53: ${n % 2 ? 'no such host' : 'read udp 10.0.1.2:41234->10.0.0.2:53: read: connection refused'}`, false, 'node-3'),
      kubeletLine(at(30), 'E', 'reflector.go:147', `k8s.io/client-go/informers/factory.go:150: Failed to watch *v1.RuntimeClass: failed to list *v1.RuntimeClass: Get "https://${name}/apis/node.k8s.io/v1/runtimeclasses?limit=500": dial tcp: lookup ${name} on 10.0.0.2:53: read udp 10.0.1.2:41234->10.0.0.2:53: read: connection refused`),
    ].sort());
    expect(kinds(findings, 'node-status-failed')[0]!.facts).toMatchObject({ cause: 'dns', endpoint: `${name}:443` });
    // A RuntimeClass reflector whose lookup was refused names "runtime" and "connection refused": still not the runtime.
    expect(runtime.filter((f) => f.kind === 'runtime-unavailable')).toEqual([]);
  });

  it('the API server\'s certificate expired: NotAfter from the x509 error', async () => {
    const { findings } = await apiOf(outage(0, 60, () => 'Get "https://10.0.0.1:6443/api/v1/nodes/n": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2024-06-02T05:48:06Z is after 2024-06-01T00:00:00Z'));
    expect(kinds(findings, 'node-status-failed')[0]!.facts.cause).toBe('tls-expired');
    const [cert] = kinds(findings, 'cert-expired');
    expect(cert!.facts).toMatchObject({ side: 'server', notAfter: '2024-06-01T00:00:00Z', notYetValid: false });
  });

  it('the cluster CA changed: unknown authority', async () => {
    const { findings } = await apiOf(outage(0, 60, () => 'Get "https://10.0.0.1:6443/api/v1/nodes/n": x509: certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying to verify candidate authority certificate "kubernetes")'));
    expect(kinds(findings, 'api-failure-cause')[0]!.facts.cause).toBe('tls-unknown-authority');
    expect(kinds(findings, 'cert-expired')).toEqual([]);
  });

  it('the client certificate expired after rotation kept failing: Unauthorized, cert-expired (client) and cert-rotation-failed', async () => {
    const notAfter = new Date(at(-1) / 1000).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' +0000 UTC');
    const { findings } = await apiOf([
      kubeletLine(at(-900), 'I', 'certificate_manager.go:422', '"Certificate rotation is enabled"'),
      kubeletLine(at(-899), 'I', 'certificate_manager.go:356', `kubernetes.io/kube-apiserver-client-kubelet: Certificate expiration is ${notAfter}, rotation deadline is 2023-01-01 00:00:00 +0000 UTC`),
      kubeletLine(at(-899), 'I', 'certificate_manager.go:356', 'kubernetes.io/kubelet-serving: Certificate expiration is 2099-01-01 00:00:00 +0000 UTC, rotation deadline is 2098-01-01 00:00:00 +0000 UTC'),
      kubeletLine(at(-600), 'I', 'certificate_manager.go:270', 'kubernetes.io/kube-apiserver-client-kubelet: Rotating certificates'),
      kubeletLine(at(-300), 'E', 'certificate_manager.go:488', 'kubernetes.io/kube-apiserver-client-kubelet: certificate request was not signed: timed out waiting for the condition'),
      kubeletLine(at(20), 'E', 'certificate_manager.go:488', '"Failed while requesting a signed certificate from the control plane" err="cannot create certificate signing request: Unauthorized" logger="kubernetes.io/kube-apiserver-client-kubelet"'),
      kubeletLine(at(80), 'E', 'certificate_manager.go:488', '"Failed while requesting a signed certificate from the control plane" err="cannot create certificate signing request: Unauthorized" logger="kubernetes.io/kube-apiserver-client-kubelet"'),
      ...outage(0, 100, () => 'Unauthorized'),
    ].sort());
    expect(kinds(findings, 'node-status-failed')[0]!.facts).toMatchObject({ cause: 'unauthorized', endpoint: '' });
    const [client] = kinds(findings, 'cert-expired');
    expect(client!.facts.side).toBe('client');
    expect(client!.facts.notAfter).toBe(new Date(at(-1) / 1000).toISOString().replace('.000Z', 'Z'));
    const [rotation] = kinds(findings, 'cert-rotation-failed');
    expect(rotation!.facts).toMatchObject({ stage: 'rotation', cause: 'unauthorized', expired: true, count: 3 });
  });

  it('bootstrap: kubelet cannot load its bootstrap kubeconfig', async () => {
    const { findings } = await apiOf([
      kubeletLine(at(0), 'E', 'run.go:74', '"command failed" err="failed to run Kubelet: unable to load bootstrap kubeconfig: stat /etc/kubernetes/bootstrap-kubelet.conf: no such file or directory"'),
    ]);
    expect(kinds(findings, 'cert-rotation-failed')[0]!.facts).toMatchObject({ stage: 'bootstrap' });
  });

  it('isolated errors are no outage, and a CNI plugin\'s API call is not kubelet\'s', async () => {
    const { findings, runtime } = await apiOf([
      kubeletLine(at(0), 'E', 'kubelet_node_status.go:535', `"Error updating node status, will retry" err=${q('error getting node "n": Get "https://10.0.0.1:6443/api/v1/nodes/n?timeout=10s": context deadline exceeded')}`),
      kubeletLine(at(400), 'E', 'reflector.go:147', 'k8s.io/client-go/informers/factory.go:150: Failed to watch *v1.Service: failed to list *v1.Service: Get "https://10.0.0.1:6443/api/v1/services": dial tcp 10.0.0.1:6443: connect: connection refused'),
      kubeletLine(at(900), 'E', 'controller.go:193', '"Failed to update lease" err="Put \\"https://10.0.0.1:6443/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n?timeout=10s\\": http2: client connection lost"'),
      ...[0, 10, 20, 30, 40].map((s) => kubeletLine(at(1200 + s), 'E', 'pod_workers.go:1300', '"Error syncing pod, skipping" err="failed to \\"CreatePodSandbox\\" for \\"web-0_shop(1)\\" with CreatePodSandboxError: \\"Failed to create sandbox for pod \\\\\\"web-0_shop(1)\\\\\\": rpc error: code = Unknown desc = failed to setup network for sandbox \\\\\\"abc\\\\\\": plugin type=\\\\\\"calico\\\\\\" failed (add): error getting ClusterInformation: Get \\\\\\"https://10.96.0.1:443/apis/crd.projectcalico.org/v1/clusterinformations/default\\\\\\": dial tcp 10.96.0.1:443: connect: connection refused\\"" pod="shop/web-0"')),
    ]);
    expect(findings).toEqual([]);
    expect(runtime.filter((f) => f.kind === 'runtime-unavailable')).toEqual([]);
  });
});
