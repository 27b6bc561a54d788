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

const rules: { kind: RedactionKind; re: RegExp; group?: number; accept?: (m: string) => boolean }[] = [
  { kind: 'id', re: /\b[0-9a-f]{64}\b/g },
  { kind: 'uid', re: /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi },
  // Images before hosts: a registry is a domain, but the whole reference is the image.
  { kind: 'image', re: /\b(?:[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?\/)[a-z0-9._-]+(?:\/[a-z0-9._-]+)*(?::[\w.-]+)?(?:@sha256:[0-9a-f]{64})?/g },
  { kind: 'image', re: /\b[a-z0-9_-]+\/[a-z0-9._-]+:[\w.-]+\b/g },
  { kind: 'ip', re: /\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b/g },
  // IPv6: at least one hex letter or "::", so clock times (05:48:06) are left alone.
  { kind: 'ip', re: /(?<![\w:.])[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?![\w:])/gi, accept: (m) => /[a-f]/i.test(m) || m.includes('::') },
  { kind: 'host', re: /\bip-\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}(?:\.[a-z0-9-]+)*\b/gi },
  { kind: 'host', re: /\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:internal|local|lan|corp|com|net|org|io|cloud|cluster)\b/gi, accept: (m) => !/^\d+(\.\d+)*$/.test(m) },
  { kind: 'pod', re: /\bpod(?:Name)?="?(?:[a-z0-9-]+\/)?([a-z0-9][a-z0-9.-]*)"?/g, group: 1 },
  { kind: 'namespace', re: /\b(?:pod="?|namespace="?|podNamespace="?)([a-z0-9][a-z0-9-]*)(?=\/|"|\s|$)/g, group: 1 },
  { kind: 'container', re: /\bcontainer(?:Name)?="?([a-z0-9][a-z0-9._-]*)"?/g, group: 1 },
];

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class Redactor {
  private readonly byValue = new Map<string, Replacement>();
  private readonly counters = new Map<RedactionKind, number>();
  private readonly custom: RegExp[] = [];
  private readonly knownRe: { kind: RedactionKind; re: RegExp }[] = [];

  constructor(opts: RedactionOptions = {}) {
    for (const [kind, values] of Object.entries(opts.known ?? {}) as [RedactionKind, string[]][]) {
      const list = [...new Set(values.filter((v) => v.length >= 3))].sort((a, b) => b.length - a.length);
      if (list.length) this.knownRe.push({ kind, re: new RegExp(list.map(escapeRe).join('|'), 'g') });
    }
    for (const p of opts.patterns ?? []) {
      try {
        if (p) this.custom.push(new RegExp(p, 'g'));
      } catch {
        // An invalid user pattern is reported by the UI before sharing; here it simply matches nothing.
      }
    }
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
    let s = input;
    for (const re of this.custom) s = s.replace(re, (m) => (m ? this.placeholder('custom', m) : m));
    for (const k of this.knownRe) s = s.replace(k.re, (m) => this.placeholder(k.kind, m));
    for (const rule of rules) {
      s = s.replace(rule.re, (m: string, ...groups: unknown[]) => {
        if (m.startsWith('<') || (rule.accept && !rule.accept(m))) return m;
        if (rule.group === undefined) return this.placeholder(rule.kind, m);
        const g = groups[rule.group - 1];
        if (typeof g !== 'string' || !g || g.startsWith('<')) return m;
        return m.replace(g, this.placeholder(rule.kind, g));
      });
    }
    return s;
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
