// Synthetic findings shaped like the detectors' output (catalogue in src/core/analysis/README.md),
// for engine tests that do not depend on the detectors.

import type { AnalysisInput, Finding } from '../analysis/types';

export const S = 1_000_000;
let next = 0;

export function finding(detector: string, kind: string, fromSec: number, toSec: number, facts: Finding['facts'] = {}, strength = 0.8): Finding {
  const id = `t${++next}`;
  return {
    id, detector, kind, title: `${detector}/${kind}`, severity: 'warn', from: fromSec * S, to: toSec * S, strength, facts,
    evidence: [{ kind: 'line', fileId: 'f1', sourceId: 'f1:main', line: next, offset: next * 100, ts: fromSec * S }],
  };
}

export const input: AnalysisInput = {
  files: [
    { id: 'f1', path: 'node/journal/kubelet.log', format: 'journal', origin: 'kubelet' },
    { id: 'f2', path: 'node/journal/containerd.log', format: 'journal', origin: 'containerd' },
  ],
  signals: [],
  metrics: [],
  dumps: [],
  events: [],
};

/** The reference incident in findings: storm from 100 s, relist gap 200–245 s, dump at 235 s. */
export function incidentFindings(): Finding[] {
  return [
    finding('image-pulls', 'pull-storm', 60, 320, { maxConcurrent: 9, pulls: 14 }, 0.9),
    finding('io-pressure', 'io-window', 100, 380, { series: 'io.full.avg10', peak: 78 }, 0.95),
    finding('pleg', 'relist-gap', 200, 245, { gapSec: 45, medianPeriodSec: 1 }, 0.9),
    finding('runtime', 'taskexit-failed', 140, 140, { containerId: 'abc', count: 3 }, 0.7),
    finding('runtime', 'cri-deadline', 290, 290, { call: 'StopContainer', origin: 'kubelet' }, 0.6),
    finding('goroutines', 'cri-list-wait', 200, 235, { minutes: 0, count: 3 }, 0.7),
    finding('goroutines', 'cri-update-wait', 199, 235, { minutes: 1, count: 1 }, 0.8),
    finding('goroutines', 'bbolt-fsync-holder', 150, 235, { minutes: 1 }, 0.9),
    finding('goroutines', 'lock-link', 150, 235, { pointer: '0xc0001e92d0', waiters: 4 }, 0.9),
    finding('goroutines', 'ttrpc-delete-wait', 130, 235, { minutes: 1 }, 0.8),
    finding('goroutines', 'shim-unmount', 130, 240, { minutes: 1 }, 0.8),
    finding('kernel', 'hung-task', 250, 250, { task: 'containerd-shim', blockedSeconds: 120, overlaySync: true, umount: true }, 0.9),
  ];
}

/** A healthy node: a couple of pulls, one short relist hiccup, boot IO below thresholds. */
export function healthyFindings(): Finding[] {
  return [
    finding('image-pulls', 'pull', 30, 34, { image: 'nginx:1.25', seconds: 4 }, 0.2),
    finding('pleg', 'runtime-status', 5, 8, {}, 0.3),
    finding('goroutines', 'long-wait', 100, 300, { process: 'containerd', state: 'select', minutes: 3, count: 12 }, 0.2),
  ];
}
