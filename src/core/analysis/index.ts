import { detectApiServer } from './apiserver';
import { detectClock } from './clock';
import { detectDisk } from './disk';
import { detectGoroutines } from './goroutines';
import { detectImagePulls } from './image-pulls';
import { detectIoPressure } from './io-pressure';
import { detectKernel } from './kernel';
import { detectMemory } from './memory';
import { detectNetwork } from './network';
import { detectPleg } from './pleg';
import { detectProblems } from './problems';
import { detectRuntime } from './runtime';
import type { AnalysisInput, DetectorOptions, Finding } from './types';
import { defaultDetectorOptions } from './types';

/** Runs every detector over one bundle's aligned data; findings in time order. */
export function runDetectors(input: AnalysisInput, opts: DetectorOptions = defaultDetectorOptions): Finding[] {
  const known = [
    ...detectPleg(input, opts),
    ...detectClock(input),
    ...detectRuntime(input),
    ...detectImagePulls(input),
    ...detectGoroutines(input, opts),
    ...detectKernel(input),
    ...detectIoPressure(input, opts),
    ...detectMemory(input),
    ...detectDisk(input),
    ...detectApiServer(input),
    ...detectNetwork(input),
  ];
  // Last: problems are the warning and error lines none of the findings above cites.
  const all = [...known, ...detectProblems(input, known)];
  // Untimed findings (a dump without capture time) go last; ties are broken by content, not by the
  // order files were read in, so the page and the CLI list the same findings in the same order.
  const at = (f: Finding) => (f.from === f.from ? f.from : Infinity);
  const key = (f: Finding) => `${f.detector}|${f.kind}|${f.to}|${f.title}`;
  return all.sort((a, b) => at(a) - at(b) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
