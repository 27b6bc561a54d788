// Shared pieces of the scenario variants (pleg-slow-relist, shim-umount-hung, cri-lock-contention,
// runtime-down): each starts from the healthy plan and reshapes part of its timeline.

import type { TimedLine } from './chunks';
import { ContainerdFmt } from './containerd';
import { KubeletFmt } from './kubelet';
import { WallClock } from './stamps';
import { GoIds, renderGoroutine, type Goroutine } from './goroutines';
import type { IoModel } from './io-model';
import { S, type Plan } from './plan';
import type { Rng } from './rng';
import type { TimeWindow } from './types';

/** What a variant adds to the files the healthy generator writes. */
export interface VariantExtras {
  /** Extra kubelet / containerd journal lines (µs as written, text complete). */
  kubelet: TimedLine[];
  containerd: TimedLine[];
  /** Goroutines appended to containerd's dump (file and logged copy). */
  containerdGoroutines: Goroutine[];
  /** The window the expected chain must cover (µs as written). */
  chainWindow?: TimeWindow;
  /** Extra kernel ring-buffer lines (µs as written; dmesg.ts stamps them since boot). */
  kernel?: TimedLine[];
  /** Reshapes the per-second model the metric files sample (memory pressure). */
  shapeModel?: (model: IoModel) => void;
}

/**
 * The kubelet and containerd journal lines a variant adds, stamped as the node writes them: at
 * `us` plus the node's clock skew (`at`), in its zone.
 */
export class VariantJournals {
  readonly kubelet: TimedLine[] = [];
  readonly containerd: TimedLine[] = [];
  private readonly kfmt: KubeletFmt;
  private readonly cfmt: ContainerdFmt;

  constructor(private readonly plan: Plan, rng: Rng) {
    const clock = new WallClock(plan.zoneOffsetMin);
    this.kfmt = new KubeletFmt(plan, clock);
    this.cfmt = new ContainerdFmt(plan, clock, rng);
  }

  /** A true time as the node's skewed clock reads it. */
  readonly at = (us: number): number => us + this.plan.skewUs;

  readonly kubeletLine = (us: number, sev: string, src: string, msg: string): void => {
    this.kubelet.push({ us: this.at(us), text: this.kfmt.text(this.at(us), sev, src, msg) });
  };

  /** `fields` is pre-rendered ` key=value` text (keys sorted, as logrus does). */
  readonly containerdLine = (us: number, level: string, msg: string, fields = ''): void => {
    this.containerd.push({ us: this.at(us), text: this.cfmt.text(this.at(us), level, msg, fields) });
  };

  /** systemd's own lines about the containerd unit, in containerd's journal. */
  readonly containerdUnitLine = (us: number, msg: string): void => {
    this.containerd.push({ us: this.at(us), text: this.cfmt.systemd(this.at(us), msg) });
  };
}

export const noExtras = (): VariantExtras => ({ kubelet: [], containerd: [], containerdGoroutines: [] });

export const sec = (rng: Rng, lo: number, hi: number): number => Math.round(rng.range(lo, hi) * S);

/** Relists every ~1 s from `fromUs` to `toUs` (same jitter as the plan's). */
export function steadyRelists(rng: Rng, fromUs: number, toUs: number): number[] {
  const out: number[] = [];
  for (let t = fromUs; t < toUs; t += Math.round((1 + 0.0006 + rng.exp(0.0025)) * S)) out.push(t);
  return out;
}

/** kubelet's `PLEG is not healthy` checks: from 3 minutes after the last good relist until it recovers. */
export function unhealthyTimes(rng: Rng, lastSuccessUs: number, recoverUs: number): number[] {
  const out: number[] = [];
  let t = lastSuccessUs + 180 * S + sec(rng, 0.01, 0.9);
  let backoff = 0.1;
  while (t < recoverUs) {
    out.push(t);
    t += Math.round(backoff * S) + rng.int(100, 4000);
    backoff = Math.min(5, backoff * 2);
  }
  return out;
}

/** A relist time at or after `atUs` with no container created or started within `spanUs` after it. */
export function quietRelist(plan: Plan, atUs: number, spanUs: number): number {
  const busy = plan.pods.flatMap((p) => [p.sandboxStartUs, p.sandboxReadyUs, ...p.containers.flatMap((c) => [c.createUs, c.startUs, c.exitUs ?? -1])]);
  for (const r of plan.relists) {
    if (r < atUs) continue;
    if (!busy.some((b) => b >= r - 2 * S && b <= r + spanUs + 5 * S)) return r;
  }
  return plan.relists.find((r) => r >= atUs) ?? atUs;
}

/** Ids for goroutines appended to an existing dump: in its id range, never one it already has. */
export function appendIds(rng: Rng, plan: Plan, dumpText: string): GoIds {
  const ids = new GoIds(rng, plan.containerdStartUs, rng.range(3, 9), 30);
  for (const m of dumpText.matchAll(/^goroutine (\d+) \[/gm)) ids.fixed(Number(m[1]));
  return ids;
}

export function appendGoroutines(dumpText: string, gs: readonly Goroutine[]): string {
  if (gs.length === 0) return dumpText;
  return `${dumpText.replace(/\n+$/, '')}\n\n${gs.map(renderGoroutine).join('\n\n')}\n`;
}
