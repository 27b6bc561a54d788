// What one kubelet line says about its own traffic to the API server: which call failed (node
// status, node lease, informer list/watch, events, registration, certificate signing requests),
// why (the error's class), and where it was going (the endpoint). Also kubelet's certificate
// manager (client certificate expiry, rotation, bootstrap). Wording differs between kubelet
// versions (structured `"msg" err="…"` since 1.20, `msg: err` before it, klog JSON, a journal
// JSON export's escaped quotes): calls are recognised by their stable phrases, causes by the Go
// network, DNS, TLS and HTTP error texts that end the wrapped error whatever wraps them.
// A CNI plugin failing to reach the API server while a sandbox is set up is not kubelet's own
// traffic: those lines name no call below and are left alone.

export type ApiCall = 'status' | 'lease' | 'watch' | 'register' | 'event' | 'csr' | 'bootstrap';

/**
 * Why a call failed. `timeout` (dial or request timed out), `refused` (nothing listening),
 * `reset` (an established connection dropped), `unreachable` (no route), `dns` (the name did not
 * resolve), `tls-expired` / `tls-not-yet-valid` (the server's certificate is outside its validity
 * as the node's clock sees it), `tls-unknown-authority` (signed by a CA the node does not trust),
 * `tls-other` (another verification failure, e.g. a name the certificate is not valid for),
 * `unauthorized` (401: the client's credentials were not accepted), `forbidden` (403: accepted
 * but denied), `not-approved` (a certificate signing request nobody approved in time), `other`.
 */
export type ApiCause =
  | 'timeout' | 'refused' | 'reset' | 'unreachable' | 'dns' | 'tls-expired' | 'tls-not-yet-valid'
  | 'tls-unknown-authority' | 'tls-other' | 'unauthorized' | 'forbidden' | 'not-approved' | 'other';

export interface ApiFailure {
  call: ApiCall;
  cause: ApiCause;
  /** `host:port` of the API server as the line names it (`10.0.0.1:6443`, `[fd00::1]:6443`, `api.example.com:443`), or ''. */
  endpoint: string;
  /** What a reflector lists or watches (`*v1.Pod`), or ''. */
  resource: string;
  /** The certificate's NotAfter when an x509 validity error states it (`2024-06-01T00:00:00Z`), or ''. */
  notAfter: string;
}

/** Phrases of the calls, old and new wording; the order decides when a line names two (a status update wraps a GET of the node). */
const CALLS: [RegExp, ApiCall][] = [
  [/[Ee]rror updating node status|[Uu]nable to update node status|[Ff]ailed to patch status|[Ee]rror getting node\b.*(?:update|status)/, 'status'],
  [/[Ff]ailed to (?:ensure|update|renew) (?:node )?lease|failed to update node lease|[Ff]ailed to ensure node lease exists/, 'lease'],
  [/[Ff]ailed to watch \*|failed to list \*|watch of \*[\w.]+ ended with: (?:an error|unexpected)|[Ff]ailed to list \*/, 'watch'],
  [/[Uu]nable to register node|[Ee]rror registering node|[Ff]ailed to register node/, 'register'],
  [/[Ss]erver rejected event|[Uu]nable to write event|[Ee]vent broadcaster.*error|[Ff]ailed to create event/, 'event'],
  [/[Ff]ailed while requesting a signed certificate|certificate signing request|still unable to rotate certs|[Cc]ertificate request was not signed|[Ff]ailed to rotate (?:client )?cert/, 'csr'],
  [/bootstrap kubeconfig|bootstrap-kubeconfig|unable to load client CA file|[Ff]ailed to (?:load|read) (?:the )?(?:client )?kubeconfig|failed to run Kubelet: (?:unable to load|invalid kubeconfig|.*certificate)/, 'bootstrap'],
];

/** Error texts by cause, most specific first: a TLS or DNS failure is often also wrapped in a timeout-looking message. */
const CAUSES: [RegExp, ApiCause][] = [
  [/x509: certificate has expired or is not yet valid: current time \S+ is before/, 'tls-not-yet-valid'],
  [/x509: certificate has expired|certificate has expired|client certificate .* expired/, 'tls-expired'],
  [/x509: certificate signed by unknown authority|unknown authority|failed to verify certificate: x509: .*authority/, 'tls-unknown-authority'],
  [/x509: |tls: (?:failed to verify|bad certificate|unknown certificate)|remote error: tls/, 'tls-other'],
  [/\bUnauthorized\b|provide credentials|\b401\b/, 'unauthorized'],
  [/\bis forbidden\b|\bForbidden\b|\b403\b/, 'forbidden'],
  // Before timeouts: an unapproved CSR "timed out waiting for the condition".
  [/was not signed|[Cc]ertificate signing request .*(?:denied|not approved)|waiting for the condition/, 'not-approved'],
  [/\blookup \S+ on \S+|no such host|server misbehaving|[Tt]emporary failure in name resolution|i\/o timeout.*:53\b/, 'dns'],
  [/connection refused/, 'refused'],
  [/no route to host|network is unreachable|host is unreachable/, 'unreachable'],
  [/i\/o timeout|Client\.Timeout exceeded|[Cc]ontext deadline exceeded|TLS handshake timeout|request canceled|[Tt]imeout exceeded|timed out/, 'timeout'],
  [/connection reset by peer|client connection lost|http2: server sent GOAWAY|use of closed network connection|broken pipe|\bEOF\b|connection (?:was )?closed/, 'reset'],
];

/** The API server's address: an https URL's authority, else the address a TCP dial names. */
const URL_HOST = /https:\/\/(\[[0-9a-fA-F:.]+\](?::\d+)?|[\w.-]+(?::\d+)?)/;
const DIAL_HOST = /dial tcp[46]? (\[[0-9a-fA-F:.]+\]:\d+|[\w.-]+:\d+)/;
const LOOKUP_HOST = /lookup ([\w.-]+) on /;
const RESOURCE = /\*(?:v\d\w*|[\w]+)\.[A-Z]\w*/;
const NOT_AFTER = /is after (\d{4}-\d\d-\d\dT[\d:.]+Z?)/;

/** A kubelet API call that failed, or null (a line naming no call, or a call that did not fail). */
export function apiFailure(text: string): ApiFailure | null {
  let call: ApiCall | null = null;
  for (const [re, c] of CALLS) {
    if (re.test(text)) {
      call = c;
      break;
    }
  }
  if (call === null) return null;
  // Reflectors log a watch closing normally at info ("Watch close - *v1.Pod total 12 items received"); only errors count.
  if (call === 'watch' && /Watch close|very short watch/.test(text)) return null;
  return { call, cause: causeOf(text), endpoint: endpointOf(text), resource: call === 'watch' ? (RESOURCE.exec(text)?.[0] ?? '') : '', notAfter: NOT_AFTER.exec(text)?.[1] ?? '' };
}

export function causeOf(text: string): ApiCause {
  for (const [re, c] of CAUSES) if (re.test(text)) return c;
  return 'other';
}

/** `host:port` of the API server the line names; an https URL without a port is :443. */
export function endpointOf(text: string): string {
  const url = URL_HOST.exec(text);
  if (url) {
    const h = url[1]!;
    // `[fd00::1]` ends in a bracket, not a port.
    return /:\d+$/.test(h) ? h : `${h}:443`;
  }
  const dial = DIAL_HOST.exec(text);
  if (dial) return dial[1]!;
  const lookup = LOOKUP_HOST.exec(text);
  return lookup ? lookup[1]! : '';
}

export type CertificateLine =
  /** `Certificate expiration is 2024-06-01 00:00:00 +0000 UTC, rotation deadline is …`: the signer's current certificate. */
  | { what: 'expiration'; signer: string; notAfterUs: number }
  /** `Rotating certificates`, `Certificate rotation is enabled`, `Waiting … for next certificate rotation`. */
  | { what: 'rotating' | 'enabled' }
  /** `Certificate rotation detected, shutting down client connections to start using new credentials`: a new certificate is in use. */
  | { what: 'rotated' }
  /** The current client certificate (or the bootstrap one) has expired. */
  | { what: 'expired'; signer: string; notAfterUs: number };

/** kubelet's certificate manager's own lines (mostly info), or null. */
export function certificateLine(text: string): CertificateLine | null {
  const signer = /(kubernetes\.io\/[\w-]+)/.exec(text)?.[1] ?? '';
  const exp = /[Cc]ertificate expiration is ([^,"\\]+?)(?:,|\s+rotation|\\?"|$)/.exec(text);
  if (exp) return { what: 'expiration', signer, notAfterUs: goTimeUs(exp[1]!) };
  // Structured (newer client-go): "Certificate rotation deadline determined" expiration="2025-05-15 10:20:00 +0000 UTC" deadline="…".
  const field = /\bexpiration\\?"?[=:]\s*\\?"([^"\\]+)/.exec(text);
  if (field && /[Cc]ertificate/.test(text)) return { what: 'expiration', signer, notAfterUs: goTimeUs(field[1]!) };
  if (/[Cc]ertificate rotation detected|[Cc]urrent certificate (?:is )?(?:was )?rotated|[Cc]ertificate rotated/.test(text)) return { what: 'rotated' };
  if (/[Cc]urrent (?:client )?certificate is expired|(?:client|bootstrap) certificate .*is expired|Part of the existing bootstrap client certificate .* is expired/.test(text)) {
    const after = NOT_AFTER.exec(text)?.[1];
    return { what: 'expired', signer, notAfterUs: after ? Date.parse(after) * 1000 : NaN };
  }
  if (/Rotating certificates|Waiting (?:[\w.]+ )?for next certificate rotation/.test(text)) return { what: 'rotating' };
  if (/[Cc]ertificate rotation is enabled|Client rotation is on/.test(text)) return { what: 'enabled' };
  return null;
}

/** Go's `time.Time` text (`2024-06-01 00:00:00 +0000 UTC`, with or without fraction and zone name) in µs; NaN when not one. */
export function goTimeUs(text: string): number {
  const m = /(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d(?:\.\d+)?)\s*(?:([+-]\d\d):?(\d\d)|Z)?/.exec(text);
  if (!m) return NaN;
  const zone = m[3] ? `${m[3]}:${m[4]}` : 'Z';
  const ms = Date.parse(`${m[1]}T${m[2]!.replace(/(\.\d{3})\d+/, '$1')}${zone}`);
  return ms === ms ? ms * 1000 : NaN;
}
