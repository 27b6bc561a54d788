import { detectGoroutines } from './goroutines';
import { detectImagePulls } from './image-pulls';
import { detectIoPressure } from './io-pressure';
import { detectKernel } from './kernel';
import { detectPleg } from './pleg';
import { detectRuntime } from './runtime';
import type { AnalysisInput, DetectorOptions, Finding } from './types';
import { defaultDetectorOptions } from './types';

/** Runs every detector over one bundle's aligned data; findings in time order. */
export function runDetectors(input: AnalysisInput, opts: DetectorOptions = defaultDetectorOptions): Finding[] {
  const all = [
    ...detectPleg(input, opts),
    ...detectRuntime(input),
    ...detectImagePulls(input),
    ...detectGoroutines(input, opts),
    ...detectKernel(input),
    ...detectIoPressure(input, opts),
  ];
  // Untimed findings (a dump without capture time) go last.
  return all.sort((a, b) => (a.from === a.from ? a.from : Infinity) - (b.from === b.from ? b.from : Infinity) || a.id.localeCompare(b.id));
}
