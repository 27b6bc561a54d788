// Builds detector inputs the way the CLI does: real files through the real parsers and the tap.

import { readFileSync } from 'node:fs';
import { parseAndAnalyze } from '../analyze';
import { enc, memInput } from '../bundle/test-helpers';
import { generateScenario, type ScenarioOptions } from '../scenarios';
import { materialize } from '../scenarios/test-helpers';
import type { AnalysisInput, Finding } from './types';

export async function inputOf(files: Record<string, string>): Promise<AnalysisInput> {
  const r = await parseAndAnalyze(Object.entries(files).map(([path, text]) => memInput(path, enc(text))));
  return r.input!;
}

export const fixture = (rel: string): string => readFileSync(new URL(`../formats/__fixtures__/${rel}`, import.meta.url), 'utf8');

export const kinds = (fs: Finding[], kind: string): Finding[] => fs.filter((f) => f.kind === kind);

/** `Jun 02 05:48:06.350695 node-3 kubelet[1680]: I0602 05:48:06.350695    1680 <msg>` at `us` (UTC, year 2023). */
export function kubeletLine(us: number, level: 'I' | 'W' | 'E', file: string, msg: string, host = 'node-3', pid = 1680): string {
  const d = new Date(us / 1000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const frac = String(us % 1e6).padStart(6, '0');
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const hms = `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${frac}`;
  return `${month} ${p2(d.getUTCDate())} ${hms} ${host} kubelet[${pid}]: ${level}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())} ${hms}    ${pid} ${file}] ${msg}`;
}

/** A containerd logfmt line behind a journald short-precise prefix. */
export function containerdLine(us: number, level: string, msg: string, fields = '', host = 'node-3', pid = 2206): string {
  const d = new Date(us / 1000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const frac = String(us % 1e6).padStart(6, '0');
  const iso = `${d.toISOString().slice(0, 19)}.${frac}000Z`;
  return `${month} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${frac} ${host} containerd[${pid}]: time="${iso}" level=${level} msg="${msg}"${fields ? ` ${fields}` : ''}`;
}

/** A generated bundle parsed and analysed as the CLI does: what it holds (truth, files), the findings and the analysis input. */
export async function analyzeScenario(o: ScenarioOptions) {
  const g = generateScenario(o);
  const files = materialize(g);
  const r = await parseAndAnalyze([...files].map(([path, text]) => memInput(path, enc(text))));
  return { truth: g.truth, files, findings: r.result!.findings, input: r.input! };
}
