// Redaction before anything is shared: hostnames, IPs, pod/namespace/container names and ids, image
// names and user patterns become placeholders. The same value gets the same placeholder everywhere,
// so a redacted chain still reads ("<pod-2> was killed on <host-1>").

import type { SharedState } from './state';

export type RedactionKind = 'host' | 'ip' | 'id' | 'uid' | 'image' | 'pod' | 'namespace' | 'container' | 'custom';

export interface RedactionOptions {
  /** Values known from the bundle (its hostname, the pods and images the findings name). */
  known?: Partial<Record<RedactionKind, string[]>>;
  /** User patterns (regular expressions); each match becomes `<custom-N>`. */
  patterns?: string[];
}

export interface Replacement {
  kind: RedactionKind;
  value: string;
  placeholder: string;
  count: number;
}

/** One way a sensitive value is found; `group` names the capture that is the value. */
export interface Matcher {
  kind: RedactionKind;
  re: RegExp;
  group?: number;
  /** Whether the match at `at` of `s` really is a value of this kind. */
  accept?: (m: string, at: number, s: string) => boolean;
}

// A Go stack frame's package path (`github.com/x/y/pkg.Func(` or `.../file.go:12`) looks like an image
// or a domain, but it is code: redacting it would break the goroutine analysis and name nobody.
const GO_FRAME = /^[\w.-]+(?:\/[\w.-]+)*?\/[\w-]+(?:(?:\.[\w-]+)*\.go:\d|\.(?:\(\*?\w+\)\.)?\w+(?:\.\w+)*\()/;
const notGoFrame = (_m: string, at: number, s: string) => !GO_FRAME.test(s.slice(at, at + 400)) && !s.slice(Math.max(0, at - 11), at).endsWith('created by ');

const rules: Matcher[] = [
  { kind: 'id', re: /\b[0-9a-f]{64}\b/g },
  { kind: 'uid', re: /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi },
  // Images before hosts: a registry is a domain, but the whole reference is the image.
  { kind: 'image', re: /\b(?:[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?\/)[a-z0-9._-]+(?:\/[a-z0-9._-]+)*(?::[\w.-]+)?(?:@sha256:[0-9a-f]{64})?/g, accept: notGoFrame },
  { kind: 'image', re: /\b[a-z0-9_-]+\/[a-z0-9._-]+:[\w.-]+\b/g, accept: (m, at, s) => s[at - 1] !== '/' && notGoFrame(m, at, s) },
  { kind: 'ip', re: /\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b/g },
  // IPv6: at least one hex letter or "::", so clock times (05:48:06) are left alone.
  { kind: 'ip', re: /(?<![\w:.])[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?![\w:])/gi, accept: (m) => /[a-f]/i.test(m) || m.includes('::') },
  { kind: 'host', re: /\bip-\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}(?:\.[a-z0-9-]+)*\b/gi },
  { kind: 'host', re: /\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:internal|local|lan|corp|com|net|org|io|cloud|cluster)\b/gi, accept: (m, at, s) => !/^\d+(\.\d+)*$/.test(m) && notGoFrame(m, at, s) },
  { kind: 'pod', re: /\bpod(?:Name)?="?(?:[a-z0-9-]+\/)?([a-z0-9][a-z0-9.-]*)"?/g, group: 1 },
  { kind: 'namespace', re: /\b(?:pod="?|namespace="?|podNamespace="?)([a-z0-9][a-z0-9-]*)(?=\/|"|\s|$)/g, group: 1 },
  { kind: 'container', re: /\bcontainer(?:Name)?="?([a-z0-9][a-z0-9._-]*)"?/g, group: 1 },
];

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The matchers in the order they apply: user patterns, values known from the bundle (longest first),
 * then the built-in rules. Shared by the placeholder Redactor and the length-preserving byte redactor.
 */
export function redactionMatchers(opts: RedactionOptions = {}): Matcher[] {
  const out: Matcher[] = [];
  for (const p of opts.patterns ?? []) {
    try {
      if (p) out.push({ kind: 'custom', re: new RegExp(p, 'g') });
    } catch {
      // An invalid user pattern is reported by the UI before sharing; here it simply matches nothing.
    }
  }
  for (const [kind, values] of Object.entries(opts.known ?? {}) as [RedactionKind, string[]][]) {
    const list = [...new Set(values.filter((v) => v.length >= 3))].sort((a, b) => b.length - a.length);
    if (list.length) out.push({ kind, re: new RegExp(list.map(escapeRe).join('|'), 'g'), accept: notGoFrame });
  }
  return out.concat(rules);
}

/**
 * Each matcher over `s` in turn; `replace` gets a value with its position in the string as it is at
 * that matcher and returns its replacement, or null to keep it.
 */
export function applyMatchers(s: string, matchers: Matcher[], replace: (kind: RedactionKind, value: string, at: number) => string | null): string {
  let out = s;
  for (const m of matchers) {
    out = out.replace(m.re, (match: string, ...rest: unknown[]) => {
      const groups = rest.slice(0, -2);
      const at = rest[rest.length - 2] as number;
      const whole = rest[rest.length - 1] as string;
      if (!match || (m.accept && !m.accept(match, at, whole))) return match;
      if (m.group === undefined) return replace(m.kind, match, at) ?? match;
      const g = groups[m.group - 1];
      if (typeof g !== 'string' || !g) return match;
      const i = match.indexOf(g);
      const r = replace(m.kind, g, at + i);
      return r === null ? match : match.slice(0, i) + r + match.slice(i + g.length);
    });
  }
  return out;
}

export class Redactor {
  private readonly byValue = new Map<string, Replacement>();
  private readonly counters = new Map<RedactionKind, number>();
  private readonly matchers: Matcher[];

  constructor(opts: RedactionOptions = {}) {
    this.matchers = redactionMatchers(opts);
  }

  private placeholder(kind: RedactionKind, value: string): string {
    const seen = this.byValue.get(value);
    if (seen) { seen.count++; return seen.placeholder; }
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    const r: Replacement = { kind, value, placeholder: `<${kind}-${n}>`, count: 1 };
    this.byValue.set(value, r);
    return r.placeholder;
  }

  text(input: string): string {
    // A placeholder from an earlier matcher is not a value.
    return applyMatchers(input, this.matchers, (kind, value) => (value.startsWith('<') ? null : this.placeholder(kind, value)));
  }

  replacements(): Replacement[] {
    return [...this.byValue.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.placeholder.localeCompare(b.placeholder, undefined, { numeric: true }));
  }
}

/** A redacted copy of the state and what was replaced (the preview shows both). */
export function redactState(state: SharedState, opts: RedactionOptions = {}): { state: SharedState; replacements: Replacement[] } {
  const r = new Redactor(opts);
  const t = (s: string) => r.text(s);
  const lane = (l: { path: string; origin: string }) => ({ path: t(l.path), origin: l.origin });
  const target = (x: SharedState['notes'][number]['target']): SharedState['notes'][number]['target'] => {
    switch (x.kind) {
      case 'line': return { ...x, lane: lane(x.lane) };
      case 'goroutine': return { ...x, path: t(x.path) };
      default: return x;
    }
  };
  const out: SharedState = {
    ...state,
    bundle: { fingerprint: state.bundle.fingerprint, name: t(state.bundle.name) },
    view: {
      ...state.view,
      filters: { ...state.view.filters, text: t(state.view.filters.text), lanes: state.view.filters.lanes.map(lane) },
      selection: state.view.selection ? target(state.view.selection) : null,
    },
    chains: state.chains.map((c) => ({
      ...c,
      title: t(c.title),
      steps: c.steps.map((s) => ({
        ...s,
        title: t(s.title),
        explanation: t(s.explanation),
        missing: s.missing === undefined ? undefined : t(s.missing),
        excerpts: s.excerpts?.map((e) => ({ ...e, path: t(e.path), text: t(e.text) })),
      })),
      // The remedy is the pattern's own text, not the user's data.
      remedy: c.remedy,
    })),
    notes: state.notes.map((n) => ({ ...n, text: t(n.text), target: target(n.target) })),
    redacted: [],
  };
  const replacements = r.replacements();
  out.redacted = replacements.map((x) => x.placeholder);
  return { state: out, replacements };
}
