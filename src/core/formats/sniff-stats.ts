// What the text detectors need to know about a sniff, computed once and shared: how many lines
// could start a record, how many carry a transport prefix, which producers wrote them, and
// which units (syslog identifiers) appear.
import { YearTracker } from '../time/civil';
import { newContainerdRecord, readContainerdRecord } from './containerd-line';
import { newKlogHeader, newKlogJson, readKlogHeader, readKlogJson } from './klog-line';
import { isJournalNote } from './layered-parser';
import { stripAnsi } from './dmesg-line';
import { PrefixKind, lineEnd, newLinePrefix, originOfIdent, peelPrefix } from './prefix';
import type { Sniff } from './types';

export interface SniffStats {
  /** Lines that could start a record: not empty, not indented, not journalctl notes. */
  heads: number;
  /** Heads with a journald/syslog prefix (stamped or `ident[pid]: `). */
  prefixed: number;
  /** Heads with a container runtime's prefix (CRI: `<RFC 3339> stdout F `); not counted in `prefixed`. */
  cri: number;
  klog: number;
  klogJson: number;
  /** logrus records: logfmt, TTY or JSON. */
  containerd: number;
  /** `journalctl -o json` objects. */
  journalJson: number;
  /** Producer families of the prefixes' idents; containerd, its shims and dockerd count as one. */
  units: Set<string>;
}

const cache = new WeakMap<Sniff, SniffStats>();

/** The unit a syslog identifier belongs to, for "is this file one producer's log?". */
export function unitOfIdent(ident: string): string {
  const origin = originOfIdent(ident);
  return origin === 'shim' || origin === 'docker' ? 'containerd' : origin;
}

export function sniffStats(sniff: Sniff): SniffStats {
  const known = cache.get(sniff);
  if (known) return known;
  const stats: SniffStats = { heads: 0, prefixed: 0, cri: 0, klog: 0, klogJson: 0, containerd: 0, journalJson: 0, units: new Set() };
  const years = new YearTracker(2000);
  const p = newLinePrefix();
  const klog = newKlogHeader();
  const klogJson = newKlogJson();
  const rec = newContainerdRecord();
  for (const raw of sniff.lines) {
    const line = raw.indexOf('\u001b') >= 0 ? stripAnsi(raw, lineEnd(raw)) : raw;
    peelPrefix(line, p, years);
    const { end } = p;
    let start = p.start;
    const hasPrefix = p.kind !== PrefixKind.none;
    // A container's empty message (`… stdout F `) is still a record of its log.
    if ((start >= end && p.kind !== PrefixKind.cri) || (!hasPrefix && isJournalNote(line, start, end))) continue;
    // An indented line continues a record (klog `key=<` blocks, stack frames, wrapped text)
    // unless a producer record follows markdown indentation (4 or 8 spaces).
    const indented = !hasPrefix && (line.charCodeAt(start) === 32 || line.charCodeAt(start) === 9);
    if (indented) start = skipSpaces(line, start, end);
    const c = line.charCodeAt(start);
    let kind = 0;
    if (readKlogHeader(line, start, end, null, klog)) kind = 1;
    else if (readKlogJson(line, start, end, klogJson)) kind = 2;
    else if (readContainerdRecord(line, start, end, rec)) kind = 3;
    // `{`, or RS then `{` (`journalctl -o json-seq`).
    else if ((c === 123 || (c === 30 && line.charCodeAt(start + 1) === 123)) && (line.includes('"__REALTIME_TIMESTAMP"') || line.includes('"__CURSOR"'))) kind = 4;
    if (indented && kind === 0) continue;
    stats.heads++;
    if (p.kind === PrefixKind.cri) stats.cri++;
    else if (hasPrefix) stats.prefixed++;
    if (p.identStart >= 0) stats.units.add(unitOfIdent(line.slice(p.identStart, p.identEnd)));
    if (kind === 1) stats.klog++;
    else if (kind === 2) stats.klogJson++;
    else if (kind === 3) stats.containerd++;
    else if (kind === 4) stats.journalJson++;
  }
  cache.set(sniff, stats);
  return stats;
}

/** Past up to 8 spaces of markdown indentation (TABs mark continuation lines: not skipped). */
function skipSpaces(line: string, i: number, end: number): number {
  let k = i;
  while (k < end && k < i + 8 && line.charCodeAt(k) === 32) k++;
  return k;
}

/**
 * The score of a single-producer format that recognised `matched` of the heads: a file that is
 * mostly that producer scores near 0.95; one that mixes units (a syslog of several daemons) is
 * left to syslog.
 */
export function producerScore(stats: SniffStats, matched: number): number {
  if (matched === 0 || stats.heads === 0) return 0;
  const score = 0.5 + 0.45 * (matched / stats.heads);
  return stats.units.size > 1 ? score * 0.5 : score;
}
