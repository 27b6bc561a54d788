// The built-in patterns, in the order they are shown when confidences tie.

import type { Pattern } from '../pattern';
import { apiServerUnreachable } from './api-server-unreachable';
import { cniSandboxFailure } from './cni-sandbox-failure';
import { criLockContention } from './cri-lock-contention';
import { containerOomKilled } from './container-oom-killed';
import { diskPressureEviction } from './disk-pressure-eviction';
import { ioStormUmountBbolt } from './io-storm-umount-bbolt';
import { nodeMemoryExhausted } from './node-memory-exhausted';
import { plegSlowRelist } from './pleg-slow-relist';
import { runtimeDown } from './runtime-down';
import { shimUmountHung } from './shim-umount-hung';

export const builtinPatterns: readonly Pattern[] = [ioStormUmountBbolt, plegSlowRelist, shimUmountHung, criLockContention, runtimeDown, diskPressureEviction, containerOomKilled, nodeMemoryExhausted, cniSandboxFailure, apiServerUnreachable];
