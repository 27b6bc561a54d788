// The fallback for text no other format claims: every line kept, searchable, without a time.
import type { FormatDef, LineParser } from './types';

const plainParser: LineParser = {
  parse() {
    // Nothing to read: the reset line (no time, unknown level, not a continuation) is the answer.
  },
};

export const plainFormat: FormatDef = {
  id: 'plain',
  title: 'Plain text (unknown format)',
  origin: 'unknown',
  originFromPath: true,
  // Claims anything, but loses to every format that recognises the text.
  detect: (sniff) => (sniff.lines.length > 0 ? 0.01 : 0),
  createParser: () => plainParser,
  samples: [
    { line: 'Notes from the node before the reboot', iso: null },
    { line: 'the pods stayed in ContainerCreating for 20 minutes', iso: null },
    { line: '', iso: null },
  ],
};
