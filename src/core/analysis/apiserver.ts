// The node losing the API server: kubelet's node status and lease updates failing (the control
// plane marks the node NotReady once neither arrives for node-monitor-grace-period, 40 s by
// default, and taint-based eviction removes its pods after their toleration, 300 s by default),
// its informers' lists and watches failing with them, and why: the error class and the endpoint
// every failure names, an expired or untrusted certificate, credentials the API server rejects,
// and the certificate manager failing to rotate or bootstrap the client certificate. A few
// isolated errors are not an outage: they are left to `problems`.

import { Level } from '../model';
import { apiFailure, certificateLine, type ApiCall, type ApiCause, type ApiFailure, type CertificateLine } from './apiserver-lines';
import type { AnalysisInput, Finding, LineSignal, SourceSpan } from './types';
import { clamp01, clusters, finish, lineEvidence, mostCommon, type NewFinding, originOf, SEC } from './util';

/** Status updates retry every 10 s, lease renewals back off to 7 s, reflectors to ~30 s: failures further apart are separate outages. */
const OUTAGE_GAP_US = 120 * SEC;
/** node-monitor-grace-period: this long without a status or lease update and the node controller sets Ready=Unknown. */
const NOT_READY_SEC = 40;
/** The default tolerationSeconds of node.kubernetes.io/unreachable: pods are evicted after this. */
const EVICTION_SEC = 300;
/** The certificate manager retries with back-off up to ~2 minutes, and gives up a rotation after ~15: failures this close are one episode. */
const CERT_GAP_US = 30 * 60 * SEC;
/** kubelet logging on for this long past the last failure, with none after it, recovered. */
const RECOVERY_US = 60 * SEC;
/**
 * kubelet starts before a control-plane node's own (static pod) API server and retries until it
 * answers: failures while kubelet registers its node (only a starting kubelet does), over and
 * recovered within this long, are start-up, not an outage.
 */
const STARTUP_OUTAGE_US = 5 * 60 * SEC;
/** Lines cited per finding: enough to claim a 20-minute outage's failures (about 100 a minute) from `problems`. */
const MAX_EVIDENCE = 2500;
const NODE_CALLS = new Set<ApiCall>(['status', 'lease']);
const CERT_CALLS = new Set<ApiCall>(['csr', 'bootstrap']);

interface Failure { s: LineSignal; f: ApiFailure; ts: number }
interface Cert { s: LineSignal; c: CertificateLine; ts: number }

/** What each cause means for the node, in the words of the fix. */
const MEANING: Record<ApiCause, string> = {
  timeout: 'connections to the API server time out: the network path or the load balancer in front of it drops them, or the API server is overloaded',
  refused: 'nothing accepts connections at the endpoint: the API server (or the load balancer\'s backend) is down or restarting, or the address is wrong',
  reset: 'established connections to the API server are cut: the load balancer, a proxy or the API server restarting drops them',
  unreachable: 'the node has no route to the API server: routing, security groups or the node\'s network interface',
  dns: 'the API server\'s name does not resolve: the node\'s DNS resolver or the record is wrong',
  'tls-expired': 'the API server\'s certificate has expired as the node sees it: renew the control plane\'s serving certificate (or correct the node\'s clock)',
  'tls-not-yet-valid': 'the API server\'s certificate is not valid yet as the node sees it: the node\'s clock is behind',
  'tls-unknown-authority': 'the API server\'s certificate is signed by a CA the node does not trust: the cluster CA was rotated or kubelet\'s kubeconfig holds the wrong CA',
  'tls-other': 'the TLS handshake with the API server fails: the serving certificate does not match the name or address kubelet uses',
  unauthorized: 'the API server rejects kubelet\'s credentials: its client certificate expired or was revoked, or its token is invalid',
  'not-approved': 'kubelet\'s certificate signing requests are not approved: nothing (kube-controller-manager\'s csrapproving controller, a cluster\'s approver) signs them in time',
  forbidden: 'the API server denies kubelet\'s requests: the node authorizer or RBAC does not allow its identity (system:node:<name>)',
  other: 'the errors name no network, DNS, TLS or authentication cause',
};

/** Words every line apiFailure or certificateLine reads holds (keep in step with apiserver-lines.ts). */
const API_HINT = /node status|patch status|rror getting node|lease|watch|to list \*|regist|event|ertificate|bootstrap|client CA|kubeconfig|failed to run Kubelet|rotat|Rotating/;

export function detectApiServer(input: AnalysisInput): Finding[] {
  const failures: Failure[] = [];
  const certs: Cert[] = [];
  for (const s of input.signals) {
    if (s.text === '' || (s.kind !== 'apiserver' && (s.level ?? 0) < Level.warn)) continue;
    // kubelet's own traffic; another agent's (a CNI plugin, kube-proxy) is not the node's status.
    if (originOf(s.sourceId) !== 'kubelet') continue;
    // Most of kubelet's warnings and errors are about something else: one scan rules them out before the readers' dozen.
    if (s.kind !== 'apiserver' && !API_HINT.test(s.text)) continue;
    const f = apiFailure(s.text);
    if (f) {
      failures.push({ s, f, ts: s.ts });
      continue;
    }
    const c = certificateLine(s.text);
    if (c) certs.push({ s, c, ts: s.ts });
  }
  failures.sort((a, b) => a.ts - b.ts);
  certs.sort((a, b) => a.ts - b.ts);
  const out: NewFinding[] = [];
  const outages = clusters(failures.filter((x) => !CERT_CALLS.has(x.f.call)), OUTAGE_GAP_US);
  for (const group of outages) out.push(...outageFindings(group, input.sources ?? []));
  out.push(...certificateFindings(failures, certs));
  return finish('apiserver', out);
}

function outageFindings(group: Failure[], sources: SourceSpan[]): NewFinding[] {
  const node = group.filter((x) => NODE_CALLS.has(x.f.call));
  const calls = group.filter((x) => !NODE_CALLS.has(x.f.call));
  const first = group[0]!.ts;
  const last = group[group.length - 1]!.ts;
  // An outage: node updates failing again and again, or many calls failing over a while; one failed update is a hiccup.
  if (node.length < 2 && !(group.length >= 5 && last - first >= 30 * SEC)) return [];
  const cause = dominantCause(group);
  const endpoint = mostCommon(group.map((x) => x.f.endpoint));
  const span = sources.find((s) => s.id === group[group.length - 1]!.s.sourceId);
  const recovered = span !== undefined && span.to >= last + RECOVERY_US;
  const out: NewFinding[] = [];
  const where = endpoint ? ` (${endpoint})` : '';
  if (recovered && last - first <= STARTUP_OUTAGE_US && group.some((x) => x.f.call === 'register')) {
    const seconds = Math.round((last - first) / SEC);
    return [{
      kind: 'startup-unreachable',
      title: `API server${where} not answering for ${seconds} s while kubelet started (${cause}), then reachable: normal on a control-plane node whose API server is a static pod`,
      severity: 'info', from: first, to: last, strength: 0.1,
      facts: { cause, endpoint, durationSec: seconds, count: group.length },
      evidence: group.slice(0, MAX_EVIDENCE).map((x) => lineEvidence(x.s)),
    }];
  }
  if (node.length) {
    const from = node[0]!.ts;
    const to = node[node.length - 1]!.ts;
    // The node controller counts from the last update that arrived: the span of the failures is a lower bound.
    const durationSec = Math.round((to - from) / SEC);
    const statusFailures = node.filter((x) => x.f.call === 'status').length;
    const leaseFailures = node.length - statusFailures;
    const notReady = durationSec >= NOT_READY_SEC;
    out.push({
      kind: 'node-status-failed',
      title: `kubelet cannot update its node status and lease for ${durationSec} s${where}: ${cause}${notReady ? ', the node is NotReady' : ''}${recovered ? ', recovered' : ''}`,
      severity: notReady ? 'error' : 'warn', from, to,
      strength: clamp01(0.5 + Math.min(0.3, durationSec / 600) + Math.min(0.15, node.length / 100) + (statusFailures && leaseFailures ? 0.05 : 0)),
      facts: { cause, endpoint, durationSec, statusFailures, leaseFailures, count: node.length, notReady, evictionsLikely: durationSec >= EVICTION_SEC, recovered },
      evidence: node.slice(0, MAX_EVIDENCE).map((x) => lineEvidence(x.s)),
    });
  }
  if (calls.length) {
    const kinds = [...new Set(calls.map((x) => x.f.call))].sort();
    const resources = new Set(calls.map((x) => x.f.resource).filter((r) => r !== ''));
    out.push({
      kind: 'api-calls-failed',
      title: `kubelet's API calls fail${where}: ${calls.length} ${kinds.join('/')} failure(s)${resources.size ? ` over ${resources.size} resource type(s)` : ''}`,
      severity: 'error', from: calls[0]!.ts, to: calls[calls.length - 1]!.ts,
      strength: clamp01(0.45 + Math.min(0.3, calls.length / 60) + Math.min(0.15, resources.size / 40)),
      facts: { cause, endpoint, calls: kinds.join(','), resources: resources.size, watchFailures: calls.filter((x) => x.f.call === 'watch').length, count: calls.length },
      evidence: calls.slice(0, MAX_EVIDENCE).map((x) => lineEvidence(x.s)),
    });
  }
  const because = group.filter((x) => x.f.cause === cause);
  const causes = [...new Set(group.map((x) => x.f.cause))];
  out.push({
    kind: 'api-failure-cause',
    title: `API server${where} unusable from the node: ${cause} (${because.length} of ${group.length} failures)`,
    severity: cause === 'other' ? 'warn' : 'error', from: because[0]!.ts, to: because[because.length - 1]!.ts,
    strength: clamp01((cause === 'other' ? 0.3 : 0.55) + 0.35 * (because.length / group.length) + Math.min(0.1, because.length / 200)),
    facts: { cause, endpoint, server: endpoint || 'the API server (the errors name no address)', means: MEANING[cause], causes: causes.join(','), count: because.length, share: Math.round((100 * because.length) / group.length) / 100 },
    evidence: because.slice(0, MAX_EVIDENCE).map((x) => lineEvidence(x.s)),
  });
  return out;
}

/** The most frequent cause that says something (`other` only when no failure names one); ties go to the first seen. */
function dominantCause(group: Failure[]): ApiCause {
  return (mostCommon(group.map((x) => (x.f.cause === 'other' ? '' : x.f.cause))) || 'other') as ApiCause;
}

/**
 * Certificates: the server's certificate refused for its validity (kubelet's x509 errors), the
 * client's expired (the certificate manager says so, or the API server answers Unauthorized after
 * the expiry the manager logged), and the manager failing to rotate or bootstrap it.
 */
function certificateFindings(failures: Failure[], certs: Cert[]): NewFinding[] {
  const out: NewFinding[] = [];
  const tls = failures.filter((x) => x.f.cause === 'tls-expired' || x.f.cause === 'tls-not-yet-valid');
  for (const group of clusters(tls, CERT_GAP_US)) {
    const notYet = group.some((x) => x.f.cause === 'tls-not-yet-valid');
    const notAfter = group.map((x) => x.f.notAfter).find((d) => d !== '') ?? '';
    const what = notYet ? 'The API server\'s certificate is not yet valid by the node\'s clock' : `The API server's certificate has expired${notAfter ? ` (NotAfter ${notAfter})` : ''}`;
    out.push({
      kind: 'cert-expired', title: what,
      severity: 'error', from: group[0]!.ts, to: group[group.length - 1]!.ts, strength: clamp01(0.75 + group.length / 100),
      facts: { side: 'server', notAfter, notYetValid: notYet, what, count: group.length },
      evidence: group.slice(0, MAX_EVIDENCE).map((x) => lineEvidence(x.s)),
    });
  }
  // The client certificate: the last expiry the manager logged for kubelet's client signer before each line.
  const expirations = certs.filter((x) => x.c.what === 'expiration' && isClientSigner(x.c.signer));
  const expiryBefore = (ts: number): Cert | undefined => {
    let found: Cert | undefined;
    for (const e of expirations) if (e.ts <= ts) found = e;
    return found;
  };
  const said = certs.filter((x) => x.c.what === 'expired' && isClientSigner(x.c.signer));
  const rejected = failures.filter((x) => {
    if (x.f.cause !== 'unauthorized') return false;
    const e = expiryBefore(x.ts);
    return e !== undefined && e.c.what === 'expiration' && e.c.notAfterUs <= x.ts;
  });
  const client = [...said.map((x) => ({ s: x.s, ts: x.ts })), ...rejected.map((x) => ({ s: x.s, ts: x.ts }))].sort((a, b) => a.ts - b.ts);
  if (client.length) {
    const e = expiryBefore(client[0]!.ts);
    const saidAfter = said.map((x) => (x.c.what === 'expired' ? x.c.notAfterUs : NaN)).find((u) => u === u);
    const notAfter = isoOf(e && e.c.what === 'expiration' ? e.c.notAfterUs : saidAfter ?? NaN);
    const what = `kubelet's client certificate has expired${notAfter ? ` (NotAfter ${notAfter})` : ''}: the API server rejects it`;
    out.push({
      kind: 'cert-expired', title: what,
      severity: 'error', from: client[0]!.ts, to: client[client.length - 1]!.ts, strength: clamp01(0.8 + client.length / 100),
      facts: { side: 'client', notAfter, notYetValid: false, what, count: client.length },
      evidence: [...(e ? [e.s] : []), ...client.map((x) => x.s)].slice(0, MAX_EVIDENCE).map(lineEvidence),
    });
  }
  const rotation = failures.filter((x) => CERT_CALLS.has(x.f.call));
  for (const group of clusters(rotation, CERT_GAP_US)) {
    const stage = group.some((x) => x.f.call === 'bootstrap') ? 'bootstrap' : 'rotation';
    const cause = dominantCause(group);
    const e = expiryBefore(group[group.length - 1]!.ts);
    const notAfterUs = e && e.c.what === 'expiration' ? e.c.notAfterUs : NaN;
    const notAfter = isoOf(notAfterUs);
    const expired = notAfterUs === notAfterUs && notAfterUs <= group[group.length - 1]!.ts;
    const what = `kubelet cannot ${stage === 'bootstrap' ? 'bootstrap its client credentials' : 'rotate its client certificate'}: ${cause} (${group.length}×)${notAfter ? `, current certificate ${expired ? 'expired' : 'expires'} ${notAfter}` : ''}`;
    out.push({
      kind: 'cert-rotation-failed', title: what,
      severity: expired || stage === 'bootstrap' ? 'error' : 'warn', from: group[0]!.ts, to: group[group.length - 1]!.ts,
      strength: clamp01(0.55 + (expired ? 0.25 : 0) + Math.min(0.15, group.length / 40)),
      facts: { stage, cause, notAfter, expired, what, count: group.length },
      evidence: [...(e ? [e.s] : []), ...group.map((x) => x.s)].slice(0, MAX_EVIDENCE).map(lineEvidence),
    });
  }
  return out;
}

/** kubelet's client certificate signer (the serving one, kubelet-serving, is for the API server calling kubelet). */
function isClientSigner(signer: string): boolean {
  return signer === '' || signer.includes('client');
}

/** A certificate date as RFC 3339 ('' when unknown). */
function isoOf(us: number): string {
  return us === us ? new Date(us / 1000).toISOString().replace('.000Z', 'Z') : '';
}

