// pleg-slow-relist: no disk pressure, no lock waits. The node carries hundreds of containers (most
// of them exited), so each relist takes seconds; twice in a row ListContainers runs into kubelet's
// 2-minute runtime request timeout, PLEG is not healthy for a while, then relists get fast again.

import type { TimedLine } from './chunks';
import { KubeletFmt } from './kubelet';
import { S, type Plan } from './plan';
import { Rng } from './rng';
import { WallClock, goDuration } from './stamps';
import { sec, steadyRelists, unhealthyTimes, type VariantExtras } from './variant-common';

interface SlowRelist {
  startUs: number;
  durUs: number;
  /** Ended by kubelet's runtime request timeout instead of a result. */
  timedOut: boolean;
}

const TIMEOUT_US = 120 * S;

export function reshapePlegSlow(plan: Plan): () => VariantExtras {
  const rng = new Rng(plan.seed).fork('variant-pleg-slow');
  const phaseFrom = plan.relists.find((r) => r >= plan.podsAddUs + sec(rng, 150, 250)) ?? plan.podsAddUs;
  const before = plan.relists.filter((r) => r < phaseFrom);
  const slow: SlowRelist[] = [];
  const n = rng.int(10, 24);
  const timeoutAt = rng.int(3, n - 4);
  let t = phaseFrom;
  for (let i = 0; i < n; i++) {
    const timedOut = i === timeoutAt || i === timeoutAt + 1;
    // Relists slow down as exited containers pile up, and speed up after kubelet's container GC.
    const grow = Math.min(i, n - i) / n;
    const durUs = timedOut ? TIMEOUT_US + rng.int(200, 3000) : sec(rng, 2.5, 6) + Math.round(grow * rng.range(4, 30) * S);
    slow.push({ startUs: t, durUs, timedOut });
    t += durUs + S + rng.int(300, 9000);
  }
  const first = slow[timeoutAt] as SlowRelist;
  const resumed = slow[timeoutAt + 2] as SlowRelist;
  const lastSuccess = slow[timeoutAt - 1] as SlowRelist;
  plan.endUs = Math.max(plan.endUs, t + 300 * S);
  plan.relists = [...before, ...slow.map((s) => s.startUs), ...steadyRelists(rng, t, plan.endUs)];
  plan.gap = { fromUs: first.startUs, toUs: resumed.startUs, unblockUs: resumed.startUs - S, lastSuccessUs: lastSuccess.startUs };
  plan.waiterStartUs = first.startUs - sec(rng, 0.05, 0.8);
  plan.unhealthyUs = unhealthyTimes(rng, lastSuccess.startUs, resumed.startUs + resumed.durUs);
  plan.dumpUs = Math.max(plan.dumpUs, t + sec(rng, 30, 90));
  plan.shimDumpUs = plan.dumpUs + sec(rng, 2, 15);

  return () => {
    const fmt = new KubeletFmt(plan, new WallClock(plan.zoneOffsetMin));
    const w = (us: number): number => us + plan.skewUs;
    const kubelet: TimedLine[] = [];
    const put = (us: number, sev: string, src: string, msg: string): void => {
      kubelet.push({ us: w(us), text: fmt.text(w(us), sev, src, msg) });
    };
    const containers = rng.int(900, 2400);
    const err = 'err="rpc error: code = DeadlineExceeded desc = context deadline exceeded"';
    slow.forEach((s, i) => {
      const end = s.startUs + s.durUs;
      if (s.timedOut) {
        put(end, 'E', 'remote_runtime.go:390', `"ListContainers with filter from runtime service failed" ${err} filter="&ContainerFilter{Id:,State:nil,PodSandboxId:,LabelSelector:map[string]string{},}"`);
        put(end + rng.int(50, 500), 'E', 'kuberuntime_container.go:495', `"ListContainers failed" ${err}`);
        put(end + rng.int(600, 2000), 'E', 'generic.go:205', `"GenericPLEG: Unable to retrieve pods" ${err}`);
      } else {
        put(end, 'I', 'generic.go:262', `GenericPLEG: relist took ${goDuration(s.durUs / S)} (containers=${containers - i * 7}, sandboxes=${Math.round(containers / 4)})`);
      }
    });
    // kubelet's container GC catches up and the relists speed up again.
    const last = slow[slow.length - 1] as SlowRelist;
    put(last.startUs + last.durUs + sec(rng, 0.2, 2), 'I', 'container_gc.go:85', `"Attempting to delete unused containers" count=${containers - 300}`);
    return { kubelet, containerd: [], containerdGoroutines: [], chainWindow: { fromUs: w(first.startUs), toUs: w(resumed.startUs) } };
  };
}
