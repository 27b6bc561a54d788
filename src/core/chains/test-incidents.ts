// Incidents no built-in pattern describes, spliced into generated healthy bundles (tests only):
// the lines are written in the bundle's own host, pids, zone and clock, merged in journal order,
// so the analysis sees them as it would see a real node's logs.

import { parseAndAnalyze } from '../analyze';
import { enc, memInput } from '../bundle/test-helpers';
import { generateScenario, type ScenarioOptions } from '../scenarios';
import { Rng } from '../scenarios/rng';
import type { GeneratedScenario } from '../scenarios/types';
import { journalWallUs, materialize } from '../scenarios/test-helpers';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SEC = 1_000_000;
const JOURNAL_STAMP = /^[A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2}\.\d{6}/;

const p2 = (n: number) => String(n).padStart(2, '0');

/** Lines to add to one journal file, stamped with the node's clock (µs UTC as the node believes). */
export class JournalAdditions {
  readonly lines: { wallUs: number; text: string }[] = [];
  constructor(readonly zoneOffsetMin: number) {}

  wall(utcUs: number): number {
    return utcUs + this.zoneOffsetMin * 60 * SEC;
  }

  /** `Jun 02 05:48:06.350695` of a wall-clock µs. */
  static stamp(wallUs: number): string {
    const d = new Date(Math.floor(wallUs / 1000));
    const frac = String(Math.floor(wallUs) % SEC).padStart(6, '0');
    return `${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${frac}`;
  }

  add(utcUs: number, ident: string, message: string, host: string): void {
    const wallUs = this.wall(utcUs);
    this.lines.push({ wallUs, text: `${JournalAdditions.stamp(wallUs)} ${host} ${ident}: ${message}` });
  }
}

/** A generated bundle's kubelet and containerd journal identity: host, unit names and pids as written. */
export interface NodeIdentity {
  host: string;
  kubelet: string;
  containerd: string;
  zoneOffsetMin: number;
  year: number;
}

export function identityOf(g: GeneratedScenario, kubeletText: string, containerdText: string): NodeIdentity {
  const k = /^\S+ \d{2} [\d:.]+ (\S+) (kubelet\w*\[\d+\]): [IWEF]\d{4}/m.exec(kubeletText);
  const c = /^\S+ \d{2} [\d:.]+ \S+ (containerd\[\d+\]): time=/m.exec(containerdText);
  if (!k || !c) throw new Error('not a generated node journal');
  const year = new Date((g.truth.capture.fromUs + g.truth.zoneOffsetMin * 60 * SEC) / 1000).getUTCFullYear();
  return { host: k[1]!, kubelet: k[2]!, containerd: c[1]!, zoneOffsetMin: g.truth.zoneOffsetMin, year };
}

/** A generated bundle as files in memory, with its kubelet and containerd journals' paths and identity. */
export function generatedNode(o: ScenarioOptions) {
  const g = generateScenario(o);
  const files = materialize(g);
  const kPath = g.truth.paths.kubelet;
  const cPath = g.truth.paths.containerd;
  return { g, files, kPath, cPath, id: identityOf(g, files.get(kPath)!, files.get(cPath)!) };
}

/** Parses and analyses the files (all, or those named) as the CLI does. */
export function analyzeFiles(files: Map<string, string>, paths: string[] = [...files.keys()]) {
  return parseAndAnalyze(paths.map((p) => memInput(p, enc(files.get(p)!))));
}

/** kubelet's klog line body (`E0602 05:48:06.350695    1680 file.go:12] msg`) at a wall-clock µs. */
export function klog(wallUs: number, level: 'I' | 'W' | 'E', site: string, msg: string, pid: string): string {
  const s = JournalAdditions.stamp(wallUs);
  const d = new Date(Math.floor(wallUs / 1000));
  return `${level}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())} ${s.slice(7)} ${pid.padStart(8)} ${site}] ${msg}`;
}

/** containerd's logfmt body with an absolute stamp. */
export function logfmt(utcUs: number, level: string, msg: string, fields = ''): string {
  const iso = new Date(Math.floor(utcUs / 1000)).toISOString().slice(0, 19);
  return `time="${iso}.${String(Math.floor(utcUs) % SEC).padStart(6, '0')}000Z" level=${level} msg="${msg}"${fields ? ` ${fields}` : ''}`;
}

/** Merges added lines into a journal text by wall-clock stamp; continuation lines stay with their record. */
export function splice(text: string, additions: JournalAdditions, year: number): string {
  const records: { wallUs: number; order: number; text: string }[] = [];
  let last = Number.NEGATIVE_INFINITY;
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, i) => {
    const m = JOURNAL_STAMP.exec(line);
    if (m) {
      last = journalWallUs(m[0], year);
      records.push({ wallUs: last, order: i, text: line });
    } else if (records.length > 0) {
      records[records.length - 1]!.text += `\n${line}`;
    } else {
      records.push({ wallUs: last, order: i, text: line });
    }
  });
  additions.lines.forEach((a, j) => records.push({ wallUs: a.wallUs, order: lines.length + j, text: a.text }));
  records.sort((a, b) => a.wallUs - b.wallUs || a.order - b.order);
  return `${records.map((r) => r.text).join('\n')}\n`;
}

export const hex = (rng: Rng, n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[rng.int(0, 15)]).join('');
export const uuid = (rng: Rng): string => {
  const h = hex(rng, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};
