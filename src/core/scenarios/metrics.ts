// Metric captures sampled from the IO model: /proc/pressure/* (with a timestamp line per sample),
// `iostat -x -t` (sysstat 12.x) and `vmstat -t` (procps-ng narrow layout).

import { ChunkBuffer } from './chunks';
import { mean, type IoModel } from './io-model';
import type { Plan } from './plan';
import { Rng } from './rng';
import { WallClock, zoneAbbr } from './stamps';

const S = 1_000_000;

/** Sample times (true µs) from shortly after boot to the end of the capture. */
function sampleTimes(plan: Plan, rng: Rng, everySec: number): number[] {
  const out: number[] = [];
  let t = plan.bootUs + Math.round(rng.range(15, 30) * S);
  while (t < plan.endUs) {
    out.push(t);
    t += everySec * S + rng.int(200, 9000);
  }
  return out;
}

type PsiKind = 'io' | 'memory' | 'cpu';

export function psiChunks(plan: Plan, model: IoModel, kind: PsiKind): () => Generator<string> {
  return function* () {
    const rng = new Rng(plan.seed).fork(`psi-${kind}`);
    const clock = new WallClock(plan.zoneOffsetMin);
    const dateStyle = new Rng(plan.seed).fork('psi-style').chance(0.35);
    const some = kind === 'io' ? model.ioSome : kind === 'memory' ? model.memSome : model.cpuSome;
    const full = kind === 'io' ? model.ioFull : kind === 'memory' ? model.memFull : null;
    const e10 = Math.exp(-2 / 10);
    const e60 = Math.exp(-2 / 60);
    const e300 = Math.exp(-2 / 300);
    const avg = { s10: 0, s60: 0, s300: 0, f10: 0, f60: 0, f300: 0 };
    let totalSome = rng.int(1000, 90000);
    let totalFull = Math.floor(totalSome * 0.6);
    let tick = 0; // next 2 s update, seconds since boot
    let sec = 0; // seconds accounted in totals
    const buf = new ChunkBuffer();
    const f2 = (v: number): string => Math.min(100, Math.max(0, v)).toFixed(2);
    for (const t of sampleTimes(plan, rng, plan.scale.psiEverySec)) {
      const at = (t - plan.bootUs) / S;
      while (tick + 2 <= at) {
        const ps = mean(some, tick, tick + 2) * 100;
        avg.s10 = avg.s10 * e10 + ps * (1 - e10);
        avg.s60 = avg.s60 * e60 + ps * (1 - e60);
        avg.s300 = avg.s300 * e300 + ps * (1 - e300);
        if (full) {
          const pf = mean(full, tick, tick + 2) * 100;
          avg.f10 = avg.f10 * e10 + pf * (1 - e10);
          avg.f60 = avg.f60 * e60 + pf * (1 - e60);
          avg.f300 = avg.f300 * e300 + pf * (1 - e300);
        }
        tick += 2;
      }
      while (sec + 1 <= at) {
        totalSome += Math.round((some[sec] ?? 0) * S);
        if (full) totalFull += Math.round((full[sec] ?? 0) * S);
        sec++;
      }
      const w = t + plan.skewUs;
      buf.add(`${dateStyle ? clock.dateCmd(w) : clock.isoSeconds(w)}\n`);
      buf.add(`some avg10=${f2(avg.s10)} avg60=${f2(avg.s60)} avg300=${f2(avg.s300)} total=${totalSome}\n`);
      if (full) buf.add(`full avg10=${f2(avg.f10)} avg60=${f2(avg.f60)} avg300=${f2(avg.f300)} total=${totalFull}\n`);
      else buf.add('full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n');
      if (buf.ready) yield buf.take();
    }
    if (buf.pending > 0) yield buf.take();
  };
}

const IOSTAT_HEADER =
  'Device            r/s     rkB/s   rrqm/s  %rrqm r_await rareq-sz     w/s     wkB/s   wrqm/s  %wrqm w_await wareq-sz     d/s     dkB/s   drqm/s  %drqm d_await dareq-sz     f/s f_await  aqu-sz  %util';
const IOSTAT_WIDTHS = [8, 10, 9, 7, 8, 9, 8, 10, 9, 7, 8, 9, 8, 10, 9, 7, 8, 9, 8, 8, 8, 7];

export function iostatChunks(plan: Plan, model: IoModel): () => Generator<string> {
  return function* () {
    const rng = new Rng(plan.seed).fork('iostat');
    const clock = new WallClock(plan.zoneOffsetMin);
    const iso = new Rng(plan.seed).fork('iostat-style').chance(0.3);
    const buf = new ChunkBuffer();
    const every = plan.scale.iostatEverySec;
    const times = sampleTimes(plan, rng, every);
    const first = (times[0] ?? plan.bootUs) + plan.skewUs;
    const date = iso ? clock.ymdHms(first).slice(0, 10) : clock.cDate(first);
    buf.add(`Linux ${plan.kernel} (${plan.host}) \t${date} \t_x86_64_\t(${plan.cpus} CPU)\n\n`);
    let prev = 0;
    for (const t of times) {
      const at = (t - plan.bootUs) / S;
      const from = prev === 0 ? 0 : prev;
      prev = at;
      const util = mean(model.util, from, at);
      const wk = mean(model.wkBs, from, at);
      const rk = mean(model.rkBs, from, at);
      const wAw = mean(model.wAwaitMs, from, at);
      const rAw = mean(model.rAwaitMs, from, at);
      const cpu = mean(model.cpuBusy, from, at);
      const storm = wAw > 80;
      const w = t + plan.skewUs;
      buf.add(`${iso ? clock.isoSecondsNoColon(w) : clock.cLocale(w)}\n`);
      const iowait = Math.min(70, util * (storm ? rng.range(35, 60) : rng.range(1, 6)));
      const user = cpu * 100 * rng.range(0.55, 0.7);
      const system = cpu * 100 * rng.range(0.25, 0.4);
      const steal = plan.host.startsWith('ip-') ? rng.range(0, 0.3) : 0;
      const idle = Math.max(0, 100 - user - system - iowait - steal);
      buf.add('avg-cpu:  %user   %nice %system %iowait  %steal   %idle\n');
      buf.add(`       ${[user, 0, system, iowait, steal, idle].map((v) => v.toFixed(2).padStart(8)).join('')}\n\n`);
      const rareq = rng.range(16, 64);
      const wareq = storm ? rng.range(180, 512) : rng.range(8, 48);
      const rs = rk / rareq;
      const ws = wk / wareq;
      const wrqm = ws * rng.range(0, storm ? 0.8 : 0.4);
      const rrqm = rs * rng.range(0, 0.1);
      const fs = storm ? rng.range(15, 90) : rng.range(0, 2);
      const fAw = storm ? rng.range(150, 2400) : rng.range(0.1, 3);
      const aqu = (rs * rAw + ws * wAw + fs * fAw) / 1000;
      const vals = [rs, rk, rrqm, (100 * rrqm) / Math.max(1e-9, rs + rrqm), rAw, rareq, ws, wk, wrqm, (100 * wrqm) / Math.max(1e-9, ws + wrqm), wAw, wareq, 0, 0, 0, 0, 0, 0, fs, fAw, aqu, util * 100];
      let row = plan.device.padEnd(13);
      for (let i = 0; i < vals.length; i++) row += (vals[i] ?? 0).toFixed(2).padStart(IOSTAT_WIDTHS[i] ?? 8);
      buf.add(`${IOSTAT_HEADER}\n${row}\n\n\n`);
      if (buf.ready) yield buf.take();
    }
    if (buf.pending > 0) yield buf.take();
  };
}

const VMSTAT_H1 = 'procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu----- -----timestamp-----';
const VMSTAT_H2 = ' r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st';

export function vmstatChunks(plan: Plan, model: IoModel): () => Generator<string> {
  return function* () {
    const rng = new Rng(plan.seed).fork('vmstat');
    const clock = new WallClock(plan.zoneOffsetMin);
    const repeatHeaders = new Rng(plan.seed).fork('vmstat-style').chance(0.5);
    const header = `${VMSTAT_H1}\n${VMSTAT_H2} ${zoneAbbr(plan.zoneOffsetMin).padStart(19)}\n`;
    const buf = new ChunkBuffer();
    const p = (v: number, n: number): string => String(Math.max(0, Math.round(v))).padStart(n);
    let prev = 0;
    let cache = plan.memKb * rng.range(0.05, 0.1);
    let buff = rng.range(20_000, 90_000);
    const used0 = plan.memKb * rng.range(0.04, 0.08);
    let row = 0;
    for (const t of sampleTimes(plan, rng, plan.scale.vmstatEverySec)) {
      if (row === 0 || (repeatHeaders && row % 21 === 0)) buf.add(header);
      row++;
      const at = (t - plan.bootUs) / S;
      const from = prev;
      prev = at;
      const util = mean(model.util, from, at);
      const wk = mean(model.wkBs, from, at);
      const rk = mean(model.rkBs, from, at);
      const cpu = mean(model.cpuBusy, from, at);
      const storm = mean(model.wAwaitMs, from, at) > 80;
      cache = Math.min(plan.memKb * 0.7, cache + (wk + rk) * (at - from) * 0.5);
      buff += rng.range(-50, 80);
      const used = used0 + plan.memKb * Math.min(0.45, (at / 3600) * 0.05 + 0.1);
      // A memory squeeze takes the free memory down to the kernel's reserve and reclaims the page cache.
      const tight = mean(model.memTight, from, at);
      const free = Math.max(50_000, (plan.memKb - used - cache - buff) * (1 - tight));
      const cacheNow = cache * (1 - 0.97 * tight);
      const wa = Math.min(75, util * (storm ? rng.range(35, 65) : rng.range(0, 5)));
      const us = cpu * 100 * rng.range(0.55, 0.7);
      const sy = cpu * 100 * rng.range(0.25, 0.4);
      const id = Math.max(0, 100 - us - sy - wa);
      const r = Math.round(cpu * plan.cpus * rng.range(0.4, 1.2));
      const b = storm ? rng.int(5, 22) : util > 0.3 ? rng.int(1, 3) : rng.chance(0.1) ? 1 : 0;
      const intr = 400 + cpu * 6000 + util * 3000 + rng.int(0, 300);
      const cs = 900 + cpu * 12000 + util * 4000 + rng.int(0, 600);
      buf.add(`${p(r, 2)} ${p(b, 2)} ${p(0, 6)} ${p(free, 6)} ${p(buff, 6)} ${p(cacheNow, 6)} ${p(0, 4)} ${p(0, 4)} ${p(rk, 5)} ${p(wk, 5)} ${p(intr, 4)} ${p(cs, 4)} ${p(us, 2)} ${p(sy, 2)} ${p(id, 2)} ${p(wa, 2)} ${p(0, 2)} ${clock.ymdHms(t + plan.skewUs)}\n`);
      if (buf.ready) yield buf.take();
    }
    if (buf.pending > 0) yield buf.take();
  };
}
