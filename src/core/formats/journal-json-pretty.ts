// `journalctl -o json-pretty` (and `json-sse`'s pretty cousins pasted from tools): one journal
// entry spread over many lines. It is recognised, not read: a record's first line (`{`) would need
// the entry's __REALTIME_TIMESTAMP, unit and priority, which come on later lines, and in no fixed
// order (current journalctl prints the fields in hash order, the timestamp anywhere among them),
// while the pipeline stamps each line as it arrives. So the lines stay plain searchable text and
// the file says how to export it in a form that is read (`-o json`, one entry per line).
import { lineEnd } from './prefix';
import type { FormatDef, LineParser, ParserExtras, Sniff } from './types';

export const JSON_PRETTY_ERROR =
  'journalctl -o json-pretty spreads each entry over many lines, so its entries are kept as plain text without time, unit or level: export with journalctl -o json (one entry per line)';

/** Fields journalctl prints for every entry, whatever --output-fields says. */
const ADDRESS_KEY = /^\s+"(?:__REALTIME_TIMESTAMP|__MONOTONIC_TIMESTAMP|__CURSOR|__SEQNUM|_BOOT_ID)"\s*:\s*"/;

function sniffPretty(sniff: Sniff): { opens: number; keys: number; heads: number } {
  let opens = 0;
  let keys = 0;
  let heads = 0;
  for (const line of sniff.lines) {
    const end = lineEnd(line);
    if (end === 0) continue;
    const c = line.charCodeAt(0);
    if (c !== 32 && c !== 9) heads++;
    if (end === 1 && c === 123) opens++;
    else if ((c === 32 || c === 9) && ADDRESS_KEY.test(line)) keys++;
  }
  return { opens, keys, heads };
}

class JournalJsonPrettyParser implements LineParser {
  private lines = 0;

  parse(): void {
    // Each line as plain text: no time, no level, a record of its own (searchable alike).
    this.lines++;
  }

  finish(): ParserExtras {
    return this.lines > 0 ? { errors: [JSON_PRETTY_ERROR] } : {};
  }
}

export const journalJsonPrettyFormat: FormatDef = {
  id: 'journal-json-pretty',
  title: 'journalctl -o json-pretty (not read: export with -o json)',
  origin: 'unknown',
  detect(sniff) {
    const s = sniffPretty(sniff);
    if (s.opens === 0 || s.keys === 0) return 0;
    // Lines at the margin are `{` and `}` only: anything else there is another format's.
    return 0.5 + 0.4 * Math.min(1, (2 * s.opens) / s.heads);
  },
  createParser: () => new JournalJsonPrettyParser(),
  samples: [
    { line: '{', iso: null },
    { line: '\t"__CURSOR" : "s=6f0e1d2c3b4a59687766554433221100;i=1c9ed;b=df2f9e5d3cb1e262e08ab5a556ce1ffd;m=6eb60ea573;t=62a4b3c2d1e0f;x=c2527ad654f10736",', iso: null },
    { line: '\t"__REALTIME_TIMESTAMP" : "1735669800001000",', iso: null },
    { line: '\t"SYSLOG_IDENTIFIER" : "kubelet",', iso: null },
    { line: '\t"MESSAGE" : "E0101 00:00:00.001000    1877 kubelet.go:2361] \\"Skipping pod synchronization\\" err=\\"PLEG is not healthy\\""', iso: null },
    { line: '}', iso: null },
  ],
};
