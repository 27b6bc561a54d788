// Scenario variants on the healthy plan: each reshapes the timeline for its fault and returns what
// it adds to the files once containerd's dump is known.

import type { Plan } from './plan';
import type { ScenarioName } from './types';
import { reshapeApiUnreachable } from './variant-api-unreachable';
import { noExtras, type VariantExtras } from './variant-common';
import { reshapeCniFailure } from './variant-cni-failure';
import { criLockExtras, reshapeCriLock } from './variant-cri-lock';
import { reshapeDiskPressure } from './variant-disk-pressure';
import { reshapeContainerOom } from './variant-memory-container';
import { reshapeNodeMemory } from './variant-memory-node';
import { reshapePlegSlow } from './variant-pleg-slow';
import { reshapeRuntimeDown } from './variant-runtime-down';
import { reshapeShimHung, shimHungExtras } from './variant-shim-hung';

export type { VariantExtras } from './variant-common';

export function shapeVariant(plan: Plan, scenario: ScenarioName): (containerdDump: string) => VariantExtras {
  switch (scenario) {
    case 'cri-lock-contention':
      reshapeCriLock(plan);
      return (dump) => criLockExtras(plan, dump);
    case 'shim-umount-hung':
      reshapeShimHung(plan);
      return () => shimHungExtras(plan);
    case 'pleg-slow-relist':
      return reshapePlegSlow(plan);
    case 'runtime-down':
      return reshapeRuntimeDown(plan);
    case 'disk-pressure-eviction':
      return reshapeDiskPressure(plan);
    case 'container-oom-killed':
      return reshapeContainerOom(plan);
    case 'node-memory-exhausted':
      return reshapeNodeMemory(plan);
    case 'cni-sandbox-failure':
      return reshapeCniFailure(plan);
    case 'api-server-unreachable':
      return reshapeApiUnreachable(plan);
    case 'io-storm-umount-bbolt':
    case 'healthy':
      return noExtras;
  }
}
