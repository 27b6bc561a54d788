// api-server-unreachable: for a few minutes the node cannot use the API server. kubelet's node
// status updates (5 tries per 10 s round) and lease renewals fail, its informers' lists and watches
// fail, and the control plane marks the node NotReady. The seed picks why: the connections time out
// (the load balancer's path), are refused (the API servers restarting), the name does not resolve,
// the API server's certificate expired, the cluster CA changed, or kubelet's own client certificate
// expired after its rotation kept failing (CSRs nobody approved) and the API server answers
// Unauthorized. It also picks the endpoint (IPv4, IPv6, a DNS name on :443) and the kubelet's
// wording (structured since 1.20, or the older unstructured lines). Then the cause is fixed and the
// failures stop; the containers ran on throughout.

import { buildPlan, S, type Plan } from './plan';
import { Rng } from './rng';
import { goQuote } from './text';
import type { ScenarioOptions } from './types';
import { sec, VariantJournals, type VariantExtras } from './variant-common';

export type ApiOutageCause = 'timeout' | 'refused' | 'dns' | 'tls-expired' | 'tls-unknown-authority' | 'unauthorized';
const CAUSES: readonly ApiOutageCause[] = ['timeout', 'refused', 'dns', 'tls-expired', 'tls-unknown-authority', 'unauthorized'];

/** What the seed chose: the analysis must find this cause and endpoint. */
export interface ApiOutage {
  cause: ApiOutageCause;
  /** `host:port` as kubelet's URL names it (a URL without a port is :443). */
  endpoint: string;
  /** The host part of the URL (with brackets for IPv6) and whether the URL carries the port. */
  urlHost: string;
  /** Where a TCP dial goes (a DNS endpoint's resolved address). */
  dialAddr: string;
  /** The resolver a failed lookup names. */
  resolver: string;
  legacy: boolean;
  startUs: number;
  endUs: number;
}

/** The outage the `api-server-unreachable` scenario of these options has (tests compare findings with it). */
export function apiOutageOf(opts: ScenarioOptions): ApiOutage {
  return drawOutage(buildPlan(opts));
}

function drawOutage(plan: Plan): ApiOutage {
  const rng = new Rng(plan.seed).fork('variant-api-unreachable');
  const cause = CAUSES[plan.seed % CAUSES.length]!;
  const style = cause === 'dns' ? rng.pick(['eks', 'lb'] as const) : rng.pick(['ipv4', 'ipv6', 'eks', 'lb'] as const);
  const lbIp = `10.${rng.int(0, 3)}.${rng.int(0, 15)}.${rng.int(2, 250)}`;
  let urlHost: string;
  let endpoint: string;
  let dialAddr: string;
  if (style === 'ipv4') {
    urlHost = `${lbIp}:6443`;
    endpoint = dialAddr = urlHost;
  } else if (style === 'ipv6') {
    urlHost = `[fd00:10:${rng.hex(2)}::${rng.hex(3)}]:6443`;
    endpoint = dialAddr = urlHost;
  } else if (style === 'eks') {
    urlHost = `${rng.hex(32).toUpperCase()}.gr7.${rng.pick(['us-east-1', 'eu-west-1', 'ap-southeast-2'])}.eks.amazonaws.com`;
    endpoint = `${urlHost}:443`;
    dialAddr = `${lbIp}:443`;
  } else {
    urlHost = `api.${rng.pick(['prod', 'staging', 'k8s'])}-${rng.alnum(4)}.example.internal:6443`;
    endpoint = urlHost;
    dialAddr = `${lbIp}:6443`;
  }
  const resolver = rng.pick(['10.0.0.2:53', '127.0.0.53:53', '169.254.169.253:53']);
  const legacy = rng.chance(0.35);
  const startUs = plan.podsAddUs + sec(rng, 200, 420);
  const endUs = startUs + sec(rng, cause === 'unauthorized' || cause.startsWith('tls') ? 180 : 70, 420);
  return { cause, endpoint, urlHost, dialAddr, resolver, legacy, startUs, endUs };
}

export function reshapeApiUnreachable(plan: Plan): () => VariantExtras {
  const outage = drawOutage(plan);
  const rng = new Rng(plan.seed).fork('variant-api-unreachable-lines');
  plan.endUs = Math.max(plan.endUs, outage.endUs + 300 * S);

  return () => {
    const { cause, urlHost, dialAddr, resolver, legacy, startUs, endUs } = outage;
    const journals = new VariantJournals(plan, rng);
    const { kubelet, at: w, kubeletLine: k } = journals;
    const host = plan.host;
    const url = (path: string) => (legacy ? `https://${urlHost}${path}` : `"https://${urlHost}${path}"`);
    const rfc3339 = (us: number) => new Date(Math.floor(us / 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const goTime = (us: number) => `${new Date(Math.floor(us / 1000)).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '')} +0000 UTC`;
    // The server certificate's NotAfter (tls-expired) and the client certificate's (unauthorized), by the node's clock.
    const notAfterUs = Math.floor(w(startUs - sec(rng, 2, 40)) / S) * S;

    /** The error a request ends with: its verb and URL, then the cause's Go error text. */
    const fail = (verb: string, path: string, timeoutSide = rng.chance(0.5)): string => {
      const req = `${verb} ${url(path)}`;
      switch (cause) {
        case 'timeout':
          return timeoutSide ? `${req}: dial tcp ${dialAddr}: i/o timeout` : `${req}: net/http: request canceled (Client.Timeout exceeded while awaiting headers)`;
        case 'refused':
          return `${req}: dial tcp ${dialAddr}: connect: connection refused`;
        case 'dns':
          return `${req}: dial tcp: lookup ${urlHost.replace(/:\d+$/, '')} on ${resolver}: ${timeoutSide ? 'no such host' : 'server misbehaving'}`;
        case 'tls-expired':
          return `${req}: ${legacy ? '' : 'tls: failed to verify certificate: '}x509: certificate has expired or is not yet valid: current time ${rfc3339(w(startUs) + rng.int(0, 400) * S)} is after ${rfc3339(notAfterUs)}`;
        case 'tls-unknown-authority':
          return `${req}: ${legacy ? 'x509: certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying to verify candidate authority certificate "kubernetes")' : 'tls: failed to verify certificate: x509: certificate signed by unknown authority'}`;
        case 'unauthorized':
          return 'Unauthorized';
      }
    };
    const statusErr = () => {
      const e = fail('Get', `/api/v1/nodes/${host}?resourceVersion=0&timeout=10s`);
      return cause === 'unauthorized' ? `error getting node "${host}": Unauthorized` : `error getting node "${host}": ${e}`;
    };
    const leasePath = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${host}?timeout=10s`;

    // Start-up: the certificate manager's view of the client certificate (and the serving one).
    const clientNotAfter = cause === 'unauthorized' ? notAfterUs : w(plan.bootUs) + rng.int(90, 360) * 86400 * S;
    const certAt = plan.kubeletStartUs + sec(rng, 0.2, 1.5);
    k(certAt, 'I', 'certificate_manager.go:422', legacy ? 'Certificate rotation is enabled.' : '"Certificate rotation is enabled"');
    k(certAt + rng.int(1000, 50000), 'I', 'certificate_manager.go:356', `kubernetes.io/kube-apiserver-client-kubelet: Certificate expiration is ${goTime(clientNotAfter)}, rotation deadline is ${goTime(cause === 'unauthorized' ? w(plan.kubeletStartUs) + 30 * S : clientNotAfter - 40 * 86400 * S)}`);
    k(certAt + rng.int(60000, 90000), 'I', 'certificate_manager.go:356', `kubernetes.io/kubelet-serving: Certificate expiration is ${goTime(w(plan.bootUs) + 200 * 86400 * S)}, rotation deadline is ${goTime(w(plan.bootUs) + 150 * 86400 * S)}`);

    if (cause === 'unauthorized') {
      // The rotation deadline has passed: kubelet asks for a new certificate, nobody approves the CSR, it retries with back-off.
      for (let t = plan.kubeletStartUs + 31 * S, backoff = 30; t < endUs; t += backoff * S + rng.int(0, 900_000), backoff = Math.min(120, backoff * 2)) {
        k(t, 'I', 'certificate_manager.go:270', legacy ? 'kubernetes.io/kube-apiserver-client-kubelet: Rotating certificates' : '"Rotating certificates"');
        const why = t < startUs ? 'certificate request was not signed: timed out waiting for the condition' : 'cannot create certificate signing request: Unauthorized';
        k(t + rng.int(100_000, 2_000_000), 'E', 'certificate_manager.go:488', legacy ? `kubernetes.io/kube-apiserver-client-kubelet: Failed while requesting a signed certificate from the control plane: ${why}` : `"Failed while requesting a signed certificate from the control plane" err=${goQuote(why)} logger="kubernetes.io/kube-apiserver-client-kubelet"`);
      }
    }

    // Node status: a round of 5 tries every 10 s. A timeout takes its 10 s per try; other causes fail at once.
    const slow = cause === 'timeout';
    for (let round = startUs + sec(rng, 0, 9); round < endUs; ) {
      let t = round;
      for (let attempt = 0; attempt < 5 && t < endUs; attempt++) {
        t += slow ? 10 * S + rng.int(0, 20_000) : rng.int(2_000, 60_000);
        k(t, 'E', 'kubelet_node_status.go:535', legacy ? `Error updating node status, will retry: ${statusErr()}` : `"Error updating node status, will retry" err=${goQuote(statusErr())}`);
      }
      if (t < endUs) k(t + rng.int(100, 900), 'E', 'kubelet_node_status.go:522', legacy ? 'Unable to update node status: update node status exceeds retry count' : '"Unable to update node status" err="update node status exceeds retry count"');
      round = t + 10 * S + rng.int(0, 50_000);
    }

    // The lease: a failed renewal, then ensure-lease retries backing off from 200 ms to 7 s.
    for (let t = startUs + sec(rng, 0, 10); t < endUs; ) {
      const err = cause === 'unauthorized' ? 'Unauthorized' : fail('Put', leasePath, false).replace(/net\/http: request canceled \(Client\.Timeout exceeded while awaiting headers\)/, 'context deadline exceeded');
      k(t, 'E', 'controller.go:193', legacy ? `failed to update lease, error: ${err}` : `"Failed to update lease" err=${goQuote(err)}`);
      let interval = 0.2;
      for (let i = 0; i < 6 && t < endUs; i++) {
        t += (slow ? 10 : 0) * S + Math.round(interval * S);
        const getErr = cause === 'unauthorized' ? 'Unauthorized' : fail('Get', leasePath);
        k(t, 'E', 'controller.go:144', legacy ? `failed to ensure node lease exists, will retry in ${interval < 1 ? `${interval * 1000}ms` : `${interval}s`}, error: ${getErr}` : `"Failed to ensure lease exists, will retry" err=${goQuote(getErr)} interval="${interval < 1 ? `${Math.round(interval * 1000)}ms` : `${interval}s`}"`);
        interval = Math.min(7, interval * 2);
      }
      t += 7 * S + rng.int(0, 500_000);
    }

    // Informers: an open watch is cut first (network causes), then every list fails with back-off.
    const kinds: [string, string, string][] = [
      ['*v1.Pod', `/api/v1/pods?fieldSelector=spec.nodeName%3D${host}&limit=500&resourceVersion=0`, 'k8s.io/kubernetes/pkg/kubelet/config/apiserver.go:66'],
      ['*v1.Node', `/api/v1/nodes?fieldSelector=metadata.name%3D${host}&limit=500&resourceVersion=0`, 'k8s.io/kubernetes/pkg/kubelet/kubelet.go:453'],
      ['*v1.Service', '/api/v1/services?limit=500&resourceVersion=0', 'k8s.io/client-go/informers/factory.go:159'],
      ['*v1.RuntimeClass', '/apis/node.k8s.io/v1/runtimeclasses?limit=500&resourceVersion=0', 'k8s.io/client-go/informers/factory.go:159'],
      ['*v1.CSIDriver', '/apis/storage.k8s.io/v1/csidrivers?limit=500&resourceVersion=0', 'k8s.io/client-go/informers/factory.go:159'],
    ];
    const network = cause === 'timeout' || cause === 'refused' || cause === 'dns';
    for (const [kind, path, site] of kinds) {
      if (network) {
        const cut = `an error on the server ("unable to decode an event from the watch stream: http2: client connection lost") has prevented the request from succeeding`;
        k(startUs + rng.int(0, 3_000_000), 'W', 'reflector.go:462', `${site}: watch of ${kind} ended with: ${cut}`);
      }
      for (let t = startUs + sec(rng, 1, 8), backoff = 0.8; t < endUs; t += Math.round(backoff * S) + rng.int(0, 900_000), backoff = Math.min(30, backoff * 2)) {
        const err = cause === 'unauthorized' ? 'Unauthorized' : fail('Get', path);
        if (legacy) {
          k(t, 'E', 'reflector.go:138', `${site}: Failed to watch ${kind}: failed to list ${kind}: ${err}`);
        } else {
          k(t, 'W', 'reflector.go:539', `${site}: failed to list ${kind}: ${err}`);
          k(t + rng.int(50, 800), 'E', 'reflector.go:147', `${site}: Failed to watch ${kind}: failed to list ${kind}: ${err}`);
        }
      }
    }

    // A few events kubelet could not post.
    for (let i = 0, n = rng.int(1, 3); i < n; i++) {
      const err = cause === 'unauthorized' ? 'Unauthorized' : fail('Post', '/api/v1/namespaces/default/events');
      k(startUs + sec(rng, 5, Math.max(6, (endUs - startUs) / S)), 'E', 'event.go:368', `Unable to write event: '${err}' (may retry after sleeping)`);
    }

    if (cause === 'unauthorized') {
      // The CSR approved by hand: kubelet picks up the new certificate and reconnects.
      k(endUs + sec(rng, 1, 4), 'I', 'cert_rotation.go:88', legacy ? 'certificate rotation detected, shutting down client connections to start using new credentials' : '"Certificate rotation detected, shutting down client connections to start using new credentials"');
    }
    return { kubelet, containerd: [], containerdGoroutines: [], chainWindow: { fromUs: w(startUs), toUs: w(endUs) } };
  };
}
