// A per-second model of the node's disk and CPU from boot to the end of the capture: the boot
// burst, image pulls, and (incident) the write storm. PSI, iostat and vmstat all sample it.

import type { Plan } from './plan';
import { Rng } from './rng';

const S = 1_000_000;

export interface IoModel {
  /** Seconds since boot covered: index i = [boot + i s, boot + i+1 s). */
  length: number;
  util: Float64Array; // 0..1 device busy
  wkBs: Float64Array; // write kB/s
  rkBs: Float64Array; // read kB/s
  wAwaitMs: Float64Array;
  rAwaitMs: Float64Array;
  ioSome: Float64Array; // PSI io some stall fraction 0..1
  ioFull: Float64Array;
  memSome: Float64Array;
  memFull: Float64Array;
  cpuSome: Float64Array;
  cpuBusy: Float64Array; // 0..1 non-idle CPU
  memTight: Float64Array; // 0..1 share of free memory and page cache taken by a memory squeeze (memory variants)
}

export function buildIoModel(plan: Plan): IoModel {
  const rng = new Rng(plan.seed).fork('io-model');
  const n = Math.ceil((plan.endUs - plan.bootUs) / S) + 2;
  const m: IoModel = {
    length: n,
    util: new Float64Array(n),
    wkBs: new Float64Array(n),
    rkBs: new Float64Array(n),
    wAwaitMs: new Float64Array(n),
    rAwaitMs: new Float64Array(n),
    ioSome: new Float64Array(n),
    ioFull: new Float64Array(n),
    memSome: new Float64Array(n),
    memFull: new Float64Array(n),
    cpuSome: new Float64Array(n),
    cpuBusy: new Float64Array(n),
    memTight: new Float64Array(n),
  };
  const nvme = plan.device.startsWith('nvme');
  const maxW = nvme ? rng.range(180_000, 320_000) : rng.range(90_000, 160_000);
  const sec = (us: number): number => (us - plan.bootUs) / S;
  const stormFrom = plan.storm ? sec(plan.storm.fromUs) : Number.POSITIVE_INFINITY;
  const stormTo = plan.storm ? sec(plan.storm.toUs) : Number.NEGATIVE_INFINITY;
  const pulls = plan.pulls.map((p) => [sec(p.startUs), sec(p.endUs)] as const);
  let walk = 0;
  for (let i = 0; i < n; i++) {
    walk = Math.max(-1, Math.min(1, walk * 0.9 + rng.gauss() * 0.3));
    let util = 0.02 + 0.015 * walk + rng.float() * 0.02;
    let w = 150 + rng.float() * 400 + walk * 100;
    let r = 10 + rng.float() * 60;
    let cpu = 0.04 + rng.float() * 0.05;
    if (i < 25) {
      // Boot: reading binaries and images' metadata.
      util = Math.max(util, 0.25 + rng.float() * 0.35);
      r += 20_000 * rng.float() + 5000;
      w += 2000 * rng.float();
      cpu = Math.max(cpu, 0.3 + rng.float() * 0.4);
    }
    let active = 0;
    for (const [a, b] of pulls) if (i >= a && i < b) active++;
    if (active > 0) {
      util = Math.max(util, Math.min(0.9, 0.15 + 0.1 * active) + rng.float() * 0.1);
      w += Math.min(maxW * 0.6, active * 12_000 * (0.5 + rng.float()));
      cpu = Math.max(cpu, 0.15 + 0.05 * active * rng.float());
    }
    let storm = 0;
    if (i >= stormFrom && i < stormTo) {
      const ramp = Math.min(1, (i - stormFrom) / 6, (stormTo - i) / 10);
      storm = Math.max(0, ramp) * (0.9 + rng.float() * 0.1);
    }
    if (storm > 0) {
      util = Math.max(util, 0.95 * storm + 0.05 * rng.float());
      w = Math.max(w, maxW * storm * (0.75 + rng.float() * 0.25));
      r = Math.max(r, 200 + rng.float() * 2500);
      cpu = Math.max(cpu, 0.12 + rng.float() * 0.15);
    }
    util = Math.max(0, Math.min(1, util));
    m.util[i] = util;
    m.wkBs[i] = Math.max(0, w);
    m.rkBs[i] = Math.max(0, r);
    m.wAwaitMs[i] = storm > 0 ? 100 + storm * rng.range(150, 800) : 0.4 + util * 8 + rng.float() * 2;
    m.rAwaitMs[i] = storm > 0 ? 20 + storm * rng.range(30, 300) : 0.2 + util * 4 + rng.float();
    const some = storm > 0 ? storm * rng.range(0.62, 0.94) : Math.min(0.3, Math.max(0, (util - 0.05) * 0.3 + rng.float() * 0.01));
    m.ioSome[i] = some;
    m.ioFull[i] = some * (storm > 0 ? rng.range(0.72, 0.92) : rng.range(0.3, 0.8));
    const mem = storm > 0 ? storm * rng.range(0.005, 0.06) : rng.float() < 0.05 ? rng.float() * 0.01 : 0;
    m.memSome[i] = mem;
    m.memFull[i] = mem * rng.range(0.2, 0.7);
    m.cpuSome[i] = Math.min(1, cpu * rng.range(0.1, 0.5));
    m.cpuBusy[i] = cpu;
  }
  return m;
}

/** Mean of a series over [fromSec, toSec) (indices clamped). */
export function mean(a: Float64Array, fromSec: number, toSec: number): number {
  const lo = Math.max(0, Math.floor(fromSec));
  const hi = Math.min(a.length, Math.max(lo + 1, Math.floor(toSec)));
  let s = 0;
  for (let i = lo; i < hi; i++) s += a[i] ?? 0;
  return s / (hi - lo);
}
