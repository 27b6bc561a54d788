// The remedy picker: every built-in pattern's remedy, plus "nothing to fix" for a healthy node.

import { builtinPatterns } from '../chains';
import { NO_FAULT } from './answer-key';

export interface RemedyOption {
  id: string;
  /** The remedy's first sentence: what to change, without naming the pattern. */
  text: string;
}

function firstSentence(text: string): string {
  const m = /^(.+?\.)(\s|$)/.exec(text);
  return m ? m[1]! : text;
}

export const remedyOptions: readonly RemedyOption[] = [
  ...builtinPatterns.map((p) => ({ id: p.id, text: firstSentence(p.remedy.text) })),
  { id: NO_FAULT, text: 'Nothing to fix: the node is healthy; the errors are unrelated noise.' },
];
