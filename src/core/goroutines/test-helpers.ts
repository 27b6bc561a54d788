// Dumps for the goroutine-view tests: generated incident bundles parsed by the real dump format,
// so the tests see the shapes the app sees, on seeds the code was never tuned on.
import { goroutinesFormat } from '../formats/goroutines';
import { newParsedLine, resetParsedLine, type Goroutine, type GoroutineFrame } from '../formats/types';
import { generateScenario } from '../scenarios/index';
import { fileText, materialize } from '../scenarios/test-helpers';
import type { ScenarioTruth } from '../scenarios/types';

export function parseDumpText(text: string, path = 'stacks/containerd.1.stacks.log'): Goroutine[] {
  const parser = goroutinesFormat.createParser({ year: 2024, zoneOffsetMin: 0, bootTimeUs: null, path });
  const out = newParsedLine();
  for (const line of text.split('\n')) {
    resetParsedLine(out);
    parser.parse(line, out);
  }
  return (parser.finish?.().dumps ?? []).flatMap((d) => d.goroutines);
}

export interface IncidentDump {
  text: string;
  goroutines: Goroutine[];
  truth: ScenarioTruth;
}

/** The containerd dump of a generated incident. */
export function incidentDump(seed: number): IncidentDump {
  const s = generateScenario({ scenario: 'io-storm-umount-bbolt', seed, targetBytes: 600_000 });
  const text = fileText(materialize(s), s.truth.paths.containerdStacks);
  return { text, goroutines: parseDumpText(text), truth: s.truth };
}

let nextKey = 0;
/** A hand-made goroutine for ordering rules (its stack key is its function list). */
export function goroutine(id: number, state: string, waitMinutes: number, fns: string[], args: string[][] = []): Goroutine {
  const frames: GoroutineFrame[] = fns.map((fn, i) => ({ fn, args: args[i] ?? [], file: `/src/${i}.go`, line: 10 + i }));
  return {
    id, state, waitMinutes, lockedToThread: false, frames, createdBy: null, createdByGoroutine: null,
    stackKey: fns.join('|') || `empty${nextKey++}`, line: 0,
  };
}
