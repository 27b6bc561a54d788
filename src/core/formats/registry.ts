// The list of formats, and detection by content. Adding a format = one file + one line here.
import { containerdFormat } from './containerd';
import { criFormat } from './cri';
import { goroutinesFormat } from './goroutines';
import { iostatFormat } from './iostat';
import { dmesgFormat } from './dmesg';
import { journalJsonFormat } from './journal-json';
import { journalJsonPrettyFormat } from './journal-json-pretty';
import { jsonLinesFormat } from './json-lines';
import { klogFormat } from './klog';
import { klogJsonFormat } from './klog-json';
import { plainFormat } from './plain';
import { psiFormat } from './psi';
import { syslogFormat } from './syslog';
import type { FormatDef, Sniff } from './types';
import { vmstatFormat } from './vmstat';

/** In priority order: on equal scores the earlier format wins. `plain` stays last. */
export const formats: FormatDef[] = [
  journalJsonFormat,
  criFormat,
  klogFormat,
  klogJsonFormat,
  containerdFormat,
  goroutinesFormat,
  dmesgFormat,
  syslogFormat,
  psiFormat,
  iostatFormat,
  vmstatFormat,
  jsonLinesFormat,
  journalJsonPrettyFormat,
  plainFormat,
];

export interface Detection {
  format: FormatDef;
  score: number;
}

/** The format that scores highest on the sniff (plain when none does); a detector that throws scores 0. */
export function detectFormat(sniff: Sniff): Detection {
  let best: Detection = { format: plainFormat, score: 0 };
  for (const format of formats) {
    let score: number;
    try {
      score = format.detect(sniff);
    } catch {
      score = 0;
    }
    if (!(score >= 0)) score = 0;
    if (score > best.score) best = { format, score: Math.min(score, 1) };
  }
  return best;
}

export function formatById(id: string): FormatDef | undefined {
  return formats.find((f) => f.id === id);
}
