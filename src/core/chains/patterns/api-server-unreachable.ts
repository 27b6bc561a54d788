import type { Pattern } from '../pattern';

/**
 * The node lost the API server: kubelet's status and lease updates fail, so the control plane marks
 * it NotReady. One pattern for every cause (network, DNS, TLS, credentials): the symptom and the
 * blocked calls are the same, and the cause fact of the failures picks the branch of the remedy;
 * a certificate pattern of its own would compete for the same symptom.
 */
export const apiServerUnreachable: Pattern = {
  id: 'api-server-unreachable',
  title: 'Node cannot reach the API server: NotReady',
  description:
    'kubelet reports the node\'s status every 10 s (nodeStatusUpdateFrequency) and renews its Lease in kube-node-lease; when neither reaches the API server for node-monitor-grace-period (40 s by default) the node controller sets the Ready condition to Unknown, taints the node node.kubernetes.io/unreachable, and evicts its pods once their toleration runs out (300 s by default). The containers keep running on the node: it is the control plane that no longer hears from it. kubelet\'s informers cannot list or watch pods, secrets and config maps either. The error every failure ends with says why: timeouts or refused connections (the network path, a load balancer, the API server down), a name that does not resolve, a certificate the node rejects (expired, not yet valid by a wrong clock, signed by an unknown CA), or credentials the API server rejects (an expired or revoked client certificate, a rotation that kept failing).',
  steps: [
    { id: 'status', role: 'symptom', title: 'Node status and lease updates fail', explanation: 'kubelet could not update its node status or lease for {durationSec} s ({statusFailures} status, {leaseFailures} lease failure(s)) ({cause}): past 40 s the node controller marks the node NotReady (NotReady: {notReady}); past 300 s its pods are evicted (likely: {evictionsLikely}). Recovered: {recovered}.', query: { detector: 'apiserver', kind: 'node-status-failed' }, required: true, weight: 3, missingHint: 'no failed node status or lease updates: add the kubelet journal (journalctl -u kubelet) covering the NotReady time' },
    { id: 'calls', role: 'blocked-call', title: 'Every API call from kubelet fails', explanation: 'kubelet\'s other API calls failed too ({total} failures: {calls}, over {resources} resource type(s)): the node saw no pod, secret or config map changes meanwhile.', query: { detector: 'apiserver', kind: 'api-calls-failed' }, required: false, weight: 1.5, missingHint: 'no failing list/watch lines: add the kubelet journal (reflector.go lines)' },
    { id: 'cause', role: 'root-cause', title: 'Why the API server is unusable from the node', explanation: '{server}: {cause}, {means}.', query: { detector: 'apiserver', kind: 'api-failure-cause' }, required: false, weight: 2, missingHint: 'the failures name no cause: add the kubelet journal at its default verbosity (the wrapped error ends each line)' },
    { id: 'certificate', role: 'root-cause', title: 'A certificate expired or could not be renewed', explanation: '{what}.', query: { detector: 'apiserver', kinds: ['cert-expired', 'cert-rotation-failed'] }, required: false, weight: 1, missingHint: 'no certificate errors: if the failures say Unauthorized or x509, add the kubelet journal from before the outage (certificate_manager.go lines) and the certificate dates (openssl x509 -enddate)' },
  ],
  links: [
    { from: 'calls', to: 'status', relation: 'overlaps', seconds: 120 },
    { from: 'cause', to: 'status', relation: 'overlaps', seconds: 120 },
    { from: 'certificate', to: 'status', relation: 'overlaps', seconds: 1800 },
  ],
  absent: [
    // kubelet stuck on its runtime or a saturated disk is slow to report status too; those incidents explain NotReady better.
    { id: 'runtime-down', title: 'The container runtime was down at the same time (kubelet reports NotReady itself)', query: { detector: 'runtime', kinds: ['runtime-unavailable', 'runtime-restart'] }, penalty: 0.4 },
    { id: 'io-storm', title: 'The disk was saturated at the same time', query: { detector: 'io-pressure', kind: 'io-window' }, penalty: 0.3 },
  ],
  remedy: {
    text:
      'Test the path kubelet uses, from the node, to the endpoint the errors name (its kubeconfig\'s `server:`). Timeouts, refused or reset connections: `nc -vz <host> <port>` and `curl -k https://<endpoint>/healthz` (200 "ok" means reachable), then routes, security groups / firewall rules and the load balancer\'s targets and health checks; check the API servers themselves (`kubectl get --raw=/readyz?verbose`, their logs). DNS: `resolvectl query <name>` or `dig <name>` against the node\'s resolver. x509 expired / not yet valid: compare the node\'s clock (`timedatectl`) and the serving certificate\'s dates (`openssl s_client -connect <endpoint> | openssl x509 -noout -dates`); on kubeadm clusters `kubeadm certs check-expiration` and `kubeadm certs renew all` on the control plane. Unknown authority: the CA in kubelet\'s kubeconfig (or /etc/kubernetes/pki/ca.crt) no longer matches the cluster\'s. Unauthorized: kubelet\'s client certificate expired or was revoked — check `openssl x509 -enddate -noout -in /var/lib/kubelet/pki/kubelet-client-current.pem`; with `rotateCertificates: true` kubelet renews it through a CSR, which must be approved (`kubectl get csr`); a node whose certificate already expired must be re-bootstrapped (a new bootstrap token, or `kubeadm join` again). After fixing, `journalctl -u kubelet -f` shows status updates stop failing, and `kubectl get node <name>` turns Ready within a minute. Set pods\' `tolerationSeconds` for node.kubernetes.io/unreachable if a short outage should not evict them.',
    snippets: [
      { title: 'Can the node reach the API server?', language: 'sh', code: 'grep server: /etc/kubernetes/kubelet.conf /var/lib/kubelet/kubeconfig 2>/dev/null\nnc -vz -w 5 10.0.0.1 6443\ncurl -k -sS -m 5 https://10.0.0.1:6443/healthz; echo\nresolvectl query api.cluster.example.com   # or: dig +short api.cluster.example.com\njournalctl -u kubelet --since "-30 min" | grep -E "node status|lease|x509|Unauthorized"' },
      { title: 'Certificates: client, serving and the node\'s clock', language: 'sh', code: 'openssl x509 -enddate -noout -in /var/lib/kubelet/pki/kubelet-client-current.pem\necho | openssl s_client -connect 10.0.0.1:6443 2>/dev/null | openssl x509 -noout -dates -issuer\ntimedatectl status\n# on a kubeadm control-plane node:\nkubeadm certs check-expiration\n# pending kubelet CSRs (client rotation needs approval when not auto-approved):\nkubectl get csr' },
      { title: 'kubelet config: rotate client and serving certificates', language: 'yaml', code: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nrotateCertificates: true\nserverTLSBootstrap: true\nnodeStatusUpdateFrequency: 10s' },
    ],
    references: [
      'https://kubernetes.io/docs/concepts/architecture/nodes/#heartbeats',
      'https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/#taint-based-evictions',
      'https://kubernetes.io/docs/reference/access-authn-authz/kubelet-tls-bootstrapping/',
      'https://kubernetes.io/docs/tasks/tls/certificate-rotation/',
      'https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-certs/',
      'https://kubernetes.io/docs/tasks/debug/debug-cluster/',
    ],
  },
};
