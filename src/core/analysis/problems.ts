// Problems no pattern knows: every warning and error line the other detectors did not claim
// (and kernel trouble: OOM kills, I/O errors, lockups), grouped by message template, so an
// incident outside the knowledge base still starts from "what kept failing, where, since when".
// A line is claimed when another detector's finding cites it, or cites the event it belongs to
// (every line of a hung-task report), or says what a cited line says (the same template from the
// same program: the lines past a finding's evidence cap): the tap's family alone says what a line
// might be, not that a detector made something of it.

import { Level } from '../model';
import type { AnalysisInput, Finding, LineSignal } from './types';
import { clamp01, finish, lineEvidence, originOf, type NewFinding } from './util';

/** Groups reported, the most severe and most frequent first. */
const MAX_GROUPS = 12;
/** Lines cited per group: enough to step through, few enough to keep the finding small. */
const MAX_EVIDENCE = 50;

/** `others`: the other detectors' findings, whose evidence claims lines. */
export function detectProblems(input: AnalysisInput, others: readonly Finding[] = []): Finding[] {
  const claimed = claimedBy(input, others);
  const groups = new Map<string, { origin: string; message: string; level: number; lines: LineSignal[] }>();
  // Messages a finding cites some lines of: the rest of them (past its evidence cap) are that finding's too.
  const claimedKeys = new Set<string>();
  // The title shows the template (# for numbers, … for field values): one pod's name would mislead.
  for (const s of input.signals) {
    if (s.kind !== 'problem' && (s.level === undefined || s.level < Level.warn || s.text === '')) continue;
    const origin = originOf(s.sourceId);
    // Templates are cut anyway: masking the first few hundred characters is enough and half the cost.
    const message = messageOf(s.text).slice(0, 300);
    const key = `${origin}\n${templateOf(message)}`;
    if (claimed.has(s)) {
      claimedKeys.add(key);
      continue;
    }
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { origin, message, level: 0, lines: [] }));
    g.level = Math.max(g.level, s.level ?? Level.warn);
    g.lines.push(s);
  }
  for (const key of claimedKeys) groups.delete(key);
  const ranked = [...groups.values()].sort((a, b) => (b.level >= Level.error ? 1 : 0) - (a.level >= Level.error ? 1 : 0) || b.lines.length - a.lines.length);
  const out: NewFinding[] = ranked.slice(0, MAX_GROUPS).map((g) => {
    const n = g.lines.length;
    const error = g.level >= Level.error;
    // Observations, not verdicts: a healthy node logs errors too; what matters is the pattern they form.
    return {
      // A fatal line is a program dying (logrus fatal, a Go panic): that is more than an observation.
      kind: 'log-problem', title: `${g.origin}: ${n}× ${short(templateOf(g.message))}`, severity: g.level >= Level.fatal ? 'error' : error ? 'warn' : 'info',
      from: g.lines[0]!.ts, to: g.lines[n - 1]!.ts, strength: clamp01((error ? 0.35 : 0.2) + Math.log10(n) / 10),
      facts: { origin: g.origin, count: n, level: g.level, template: templateOf(g.message), sources: new Set(g.lines.map((l) => l.sourceId)).size },
      evidence: g.lines.slice(0, MAX_EVIDENCE).map(lineEvidence),
    };
  });
  return finish('problems', out);
}

/** Whether a signal is cited by a finding, directly or as a line of a cited event. */
interface Claims {
  has(s: LineSignal): boolean;
}

function claimedBy(input: AnalysisInput, findings: readonly Finding[]): Claims {
  const lines = new Set<string>();
  const eventIds = new Set<string>();
  for (const f of findings) {
    for (const e of f.evidence) {
      if (e.kind === 'line') lines.add(`${e.fileId}\n${e.line}`);
      else if (e.kind === 'event') eventIds.add(e.eventId);
    }
  }
  // Per file, the line ranges of cited events: a hung-task report's taint, task, trace and frame lines.
  const ranges = new Map<string, [number, number][]>();
  for (const e of input.events) {
    if (!eventIds.has(e.id)) continue;
    const list = ranges.get(e.fileId) ?? [];
    list.push([e.line, e.line + (e.lineCount ?? 1)]);
    ranges.set(e.fileId, list);
  }
  return {
    has(s) {
      if (lines.has(`${s.fileId}\n${s.line}`)) return true;
      const r = ranges.get(s.fileId);
      return r !== undefined && r.some(([from, to]) => s.line >= from && s.line < to);
    },
  };
}

/**
 * The producer's message of a line: a logfmt `msg="…"` (with its `error=`), else what follows a
 * klog header `file.go:123] `, else what follows a syslog identifier `ident[pid]: `, else the line.
 */
export function messageOf(text: string): string {
  const msg = /\bmsg="((?:[^"\\]|\\.)*)"/.exec(text);
  if (msg) {
    const err = /\berr(?:or)?="((?:[^"\\]|\\.)*)"/.exec(text);
    return err ? `${msg[1]}: ${err[1]}` : msg[1]!;
  }
  // JSON records (zap, bunyan, Docker json-file): the message field, with its error.
  const json = /"(?:msg|message|log)"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(text);
  if (json) {
    const err = /"(?:err|error)"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(text);
    const m = json[1]!.replace(/\\n$/, '');
    // A Docker record's log is the container's own line: read it again (a klog header, a logfmt msg).
    return err ? `${m}: ${err[1]}` : json[0].startsWith('"log"') ? messageOf(m.replace(/\\"/g, '"')) : m;
  }
  const klog = /[IWEF]\d{4} [\d:.]+\s+\d+ [\w.-]+:\d+\] /.exec(text);
  if (klog) return text.slice(klog.index + klog[0].length);
  const ident = /^.{0,80}?\b(?:[\w.@-]+\[\d+\]|kernel): /.exec(text);
  if (ident) return text.slice(ident[0].length);
  // dmesg's own stamp: `[  12.345678] `, `[Sun Jul 12 00:22:31 2020] `, `2020-07-12T00:22:31,123456+02:00 `;
  // a container log's (CRI) stamp with its stream and tag: `2024-06-02T05:48:09.000000000Z stdout F `.
  const stamp = /^(?:\[[^\]]{1,40}\]|\d{4}-\d\d-\d\dT[\d:,.]+(?:[+-]\d\d:?\d\d|Z)?(?: std(?:out|err) [FP](?= |$))?)\s+/.exec(text);
  return stamp ? text.slice(stamp[0].length) : text;
}

/**
 * What stays the same across lines of one kind of problem: ids, numbers and the values of
 * structured fields other than the error are masked, so "pod=a" and "pod=b" group together.
 */
export function templateOf(message: string): string {
  return message
    // kern.log keeps the kernel's uptime stamp in the message: no part of what was said.
    .replace(/^\[\s*\d+\.\d+\]\s*/, '')
    // Paths name pods and volumes (/var/log/pods/<ns>_<pod>_<uid>/…).
    .replace(/(?:\/[\w.@%+:-]+){2,}\/?/g, '<path>')
    .replace(/\b(?!err\b|error\b)(\w+)=("(?:[^"\\]|\\.)*"|\S+)/g, '$1=…')
    // UUIDs before name suffixes: the suffix rule would mask the groups holding a digit and leave
    // all-letter ones ("-fabe-"), so one pod UID per group.
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '#')
    // Generated name suffixes (ReplicaSet hashes, pod suffixes: "api-7d9f8b6c4-x2kqz") after a hyphen,
    // also where kubelet joins the pod's name to its namespace ("api-7d9f8b6c4-x2kqz_shop(uid)").
    .replace(/-(?:(?=[a-z0-9]*\d)[a-z0-9]{4,10}|[b-df-hj-np-tv-z]{5,10})(?=\b|_)/g, '-#')
    // Other ids (hex) and numbers are all "#": a hex id may happen to hold only digits.
    .replace(/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{5,}\b/gi, '#')
    .replace(/0x[0-9a-f]+/gi, '#')
    // Numbers on their own; digits inside a word name a thing (EXT4, nvme1n1, IPv6, worker w4).
    .replace(/(?<![A-Za-z])\d+(\.\d+)?/g, '#')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
}

function short(message: string): string {
  const m = message.replace(/\s+/g, ' ').trim();
  return m.length > 120 ? `${m.slice(0, 119)}…` : m;
}
