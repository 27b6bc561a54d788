// Helpers shared by the dmesg tests (not imported by production code).
import { ctxOf } from './test-helpers';
import { newParsedLine, resetParsedLine, type FormatDef, type ParsedLine, type ParserExtras, type TimeContext } from './types';

/** Every line's parse and the parser's extras, as the ingest pipeline sees them. */
export function run(format: FormatDef, lines: string[], ctx: Partial<TimeContext> = {}): { parsed: ParsedLine[]; extras: ParserExtras } {
  const parser = format.createParser(ctxOf(ctx));
  const parsed = lines.map((line) => {
    const out = newParsedLine();
    resetParsedLine(out);
    parser.parse(line, out);
    return out;
  });
  return { parsed, extras: parser.finish?.() ?? {} };
}

/** Text → lines the way the pipeline splits them (no trailing empty line). */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
