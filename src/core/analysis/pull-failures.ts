// Failed image pulls: the registry down or unreachable (DNS, TLS, timeouts), refused credentials,
// a missing tag, the disk full while unpacking. kubelet says it several ways per attempt
// ("PullImage from image service failed", "Failed to pull image", ErrImagePull, then
// ImagePullBackOff / "Back-off pulling image" while it waits), containerd once (`PullImage "…"
// failed`): one finding per registry and outage, with the root cause the lines agree on.

import { templateOf } from './problems';
import type { LineSignal } from './types';
import { SEC, clamp01, clusters, lineEvidence, type NewFinding } from './util';

/** kubelet retries with a back-off capped at 5 minutes: failures further apart are another outage. */
const OUTAGE_GAP_US = 10 * 60 * SEC;
/** What a failed attempt says, at any level (kubelet's events are info lines). */
const FAILURE = /PullImage from image service failed|[Ff]ailed to pull|ErrImagePull|ImagePullBackOff|Back-off pulling image|PullImage \\*"[^"\\]+\\*" failed|pull access denied/;
/** Lines that only say kubelet is waiting before the next try: they carry no cause. */
const BACKOFF = /ImagePullBackOff|Back-off pulling image/;
/** The image: kubelet's `image="…"` field, else the quoted reference after "image" / "PullImage". */
const IMAGE_FIELD = /\bimage=\\*"([^"\\\s]+)/;
const IMAGE_QUOTED = /[Ii]mage \\*"([^"\\\s]+)/;
const POD = /\b(?:pod|object)=\\*"([^"\\]+)\\*"/;
const LEGACY_POD = /Namespace:\\?"([^"\\]*)\\?", Name:\\?"([^"\\]+)\\?"/;
const ERROR_FIELD = /\berr(?:or)?="((?:[^"\\]|\\.)*)"/;
/** gRPC status words containerd appends after the cause (`…: no space left on device: unknown`). */
const TRAILERS = new Set(['unknown', 'not found: unknown', '']);

const HTTP_STATUS = /\b([45]\d\d) (?:Bad Request|Unauthorized|Forbidden|Not Found|Too Many Requests|Internal Server Error|Bad Gateway|Service Unavailable|Gateway Timeout)/;

/** Pulling named as more than a pod spec's field: a dumped spec (`ImagePullPolicy:IfNotPresent`) is about no pull. */
const PULL_WORD = /[Pp]ull(?!Policy)/;

/** Whether a `pull` line reports a failed pull (warnings and errors about pulling always do). */
export function isPullFailure(s: LineSignal): boolean {
  return ((s.level ?? 0) >= 4 && PULL_WORD.test(s.text)) || FAILURE.test(s.text);
}

export function pullFailures(lines: LineSignal[]): NewFinding[] {
  // kubelet's events name the pod, not the image: such a line goes with its pod's image.
  const podImage = new Map<string, string>();
  for (const s of lines) {
    const pod = podOf(s.text);
    const image = imageOf(s.text);
    if (pod && image) podImage.set(pod, image);
  }
  // Each line's image and cause class (read once), and each image's class for the lines that give none (back-offs, events).
  const read = lines.map((s) => ({ s, image: imageOf(s.text) || podImage.get(podOf(s.text)) || '', cls: causeClassOf(s.text) }));
  const imageClass = new Map<string, string>();
  for (const { image, cls } of read) if (image && cls) imageClass.set(image, cls);
  // Per registry and cause class: a missing tag and a rate limit on one registry have different fixes.
  const byCause = new Map<string, { registry: string; lines: LineSignal[] }>();
  for (const { s, image, cls } of read) {
    const registry = registryOf(image);
    const key = `${registry}|${cls || imageClass.get(image) || ''}`;
    const entry = byCause.get(key);
    if (entry) entry.lines.push(s);
    else byCause.set(key, { registry, lines: [s] });
  }
  const out: NewFinding[] = [];
  for (const { registry, lines: list } of byCause.values()) {
    for (const group of clusters(list, OUTAGE_GAP_US)) out.push(outage(registry, group));
  }
  return out;
}

/** Failure classes whose fixes differ; the first that matches a line's error wins. */
const CAUSE_CLASSES: [RegExp, string][] = [
  [/toomanyrequests|429 Too Many Requests|pull rate limit/, 'rate-limited'],
  [/no space left on device/, 'disk'],
  [/\b401\b|[Uu]nauthorized|authentication required|pull access denied|insufficient_scope/, 'unauthorized'],
  [/\b403\b|[Ff]orbidden/, 'forbidden'],
  [/\b404\b|[Nn]ot [Ff]ound|manifest unknown|name unknown/, 'not-found'],
  [/no such host|server misbehaving/, 'dns'],
  [/x509:|certificate/, 'tls'],
  [/i\/o timeout|deadline exceeded|TLS handshake timeout|Client\.Timeout|request canceled/, 'timeout'],
  [/connection refused|connection reset|EOF/, 'connection'],
];

function causeClassOf(text: string): string {
  if (BACKOFF.test(text) || !ERROR_FIELD.test(text)) return '';
  for (const [re, cls] of CAUSE_CLASSES) if (re.test(text)) return cls;
  return 'other';
}

function outage(registry: string, group: LineSignal[]): NewFinding {
  const images = new Set<string>();
  const pods = new Set<string>();
  const reasons = new Map<string, number>();
  let backoff = false;
  for (const s of group) {
    const image = imageOf(s.text);
    if (image) images.add(image);
    const pod = podOf(s.text);
    if (pod) pods.add(pod);
    if (BACKOFF.test(s.text)) {
      backoff = true;
      continue;
    }
    const reason = reasonOf(s.text);
    if (reason) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  // The cause most lines agree on: kubelet and containerd repeat the same error per attempt.
  const reason = [...reasons].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? (backoff ? 'back-off' : 'unknown');
  const from = group[0]!.ts;
  const to = group[group.length - 1]!.ts;
  const n = group.length;
  const first = [...images][0] ?? '';
  const what = images.size === 1 ? first : `${images.size} images`;
  return {
    kind: 'pull-failed', title: `Image pulls failing from ${registry}: ${reason} (${what}, ${n} line(s) over ${((to - from) / SEC).toFixed(0)} s)`,
    // One pod's bad tag is that workload's problem; several pods or images failing is the node's or registry's.
    severity: images.size >= 2 || pods.size >= 2 ? 'error' : 'warn', from, to,
    strength: clamp01(0.5 + 0.1 * images.size + n / 100),
    facts: { registry, images: images.size, image: first, pods: pods.size, count: n, reason, backoff },
    evidence: group.map(lineEvidence),
  };
}

/** The pod a line is about (`pod="ns/name"` or an event's `object="ns/name"`), whole or not at all. */
function podOf(text: string): string {
  const m = POD.exec(text);
  if (m) return m[1]!;
  // Older kubelets' events: `Event(v1.ObjectReference{Kind:"Pod", Namespace:"ns", Name:"pod", …`.
  const legacy = LEGACY_POD.exec(text);
  return legacy ? `${legacy[1]}/${legacy[2]}` : '';
}

function imageOf(text: string): string {
  return IMAGE_FIELD.exec(text)?.[1] ?? IMAGE_QUOTED.exec(text)?.[1] ?? '';
}

/** The registry host of an image reference (Docker Hub when the first element is no host). */
export function registryOf(image: string): string {
  if (!image) return 'unknown registry';
  const slash = image.indexOf('/');
  const head = slash === -1 ? '' : image.slice(0, slash);
  return head.includes('.') || head.includes(':') || head === 'localhost' ? head : 'docker.io';
}

/**
 * The root cause of a failure line: Go wraps errors as "outer: inner: cause", so the cause is
 * the last element of the error field (escapes undone, status trailers skipped), as a template.
 */
export function reasonOf(text: string): string {
  const err = ERROR_FIELD.exec(text)?.[1];
  if (err === undefined) return '';
  // Docker Hub's limit ends in advice and a URL: the status says it.
  if (/toomanyrequests|429 Too Many Requests/.test(err)) return '429 Too Many Requests (pull rate limit)';
  const parts = err.replace(/\\+"/g, '"').replace(/["\\]+$/, '').split(': ');
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = parts[i]!.trim();
    if (TRAILERS.has(part)) continue;
    // HTTP statuses are the cause's name, not a number to mask (`403 Forbidden`).
    const status = HTTP_STATUS.exec(part);
    const t = templateOf(part);
    return status ? t.replace(/#(?= [A-Z])/, status[1]!) : t;
  }
  return '';
}
