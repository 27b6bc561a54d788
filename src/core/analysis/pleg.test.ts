import { describe, expect, it } from 'vitest';
import { detectPleg } from './pleg';
import { rng } from '../formats/test-helpers';
import { inputOf, kinds, kubeletLine } from './test-helpers';
import { defaultDetectorOptions } from './types';

const T0 = Date.UTC(new Date().getUTCFullYear(), 5, 2, 5, 47, 0) * 1000 + 350_695;
const SEC = 1e6;

/** Relists every ~1 s (with jitter), one stall of `gapSec` after `before` relists. */
function relistLog(before: number, gapSec: number, after: number, structured = true): { text: string; gapFrom: number; gapTo: number } {
  const lines: string[] = [];
  let t = T0;
  let gapFrom = 0;
  for (let i = 0; i < before + after; i++) {
    lines.push(kubeletLine(t, 'I', 'generic.go:191', structured ? '"GenericPLEG: Relisting"' : 'GenericPLEG: Relisting'));
    lines.push(kubeletLine(t + 300_000, 'I', 'kuberuntime_manager.go:711', '"computePodActions got for pod" podActions={KillPod:false} pod="kube-system/coredns-5d78c9869d-abcde"'));
    if (i === before - 1) {
      gapFrom = t;
      t += gapSec * SEC;
    } else t += SEC + ((i * 7919) % 5000);
  }
  return { text: `${lines.join('\n')}\n`, gapFrom, gapTo: gapFrom + gapSec * SEC };
}

describe('pleg detector', () => {
  it.each([true, false])('finds the relist gap between the relists around it (structured klog: %s)', async (structured) => {
    const log = relistLog(60, 42.3, 30, structured);
    const f = detectPleg(await inputOf({ 'journal/kubelet.log': log.text }), defaultDetectorOptions);
    const gaps = kinds(f, 'relist-gap');
    expect(gaps).toHaveLength(1);
    expect(gaps[0]!.from).toBe(log.gapFrom);
    expect(gaps[0]!.to).toBe(log.gapTo);
    expect(gaps[0]!.facts.gapSec).toBeCloseTo(42.3, 3);
    expect(Number(gaps[0]!.facts.medianPeriodSec)).toBeCloseTo(1.0, 1);
    expect(gaps[0]!.severity).toBe('error');
    expect(gaps[0]!.evidence.map((e) => e.kind === 'line' && e.line)).toEqual([2 * 59, 2 * 60]);
  });

  it('a stall that spans a log rotation is one gap, whatever the copies are named; two nodes\' logs are not joined', async () => {
    const names = [['kubelet.log.1', 'kubelet.log'], ['kubelet.log-20240602.gz', 'kubelet.log'], ['kubelet.log.3.gz', 'kubelet.log.2'], ['messages-20240602', 'messages']];
    for (const [seed, [older, newer]] of names.entries()) {
      const gapSec = 20 + seed * 9.7;
      const before = 50 + seed * 7;
      const log = relistLog(before, gapSec, 40, seed % 2 === 0);
      const lines = log.text.trimEnd().split('\n');
      // Rotated inside the stall: the older copy ends with the relist before it (two lines per relist).
      const at = before * 2;
      const input = await inputOf({ [`node-${seed}/var/log/${older}`]: `${lines.slice(0, at).join('\n')}\n`, [`node-${seed}/var/log/${newer}`]: `${lines.slice(at).join('\n')}\n` });
      const gaps = kinds(detectPleg(input, defaultDetectorOptions), 'relist-gap');
      expect(gaps.map((g) => [g.from, g.to]), `${older} → ${newer}`).toEqual([[log.gapFrom, log.gapTo]]);
    }
    // Two nodes' kubelet logs in their own folders: each is whole, so no gap between them is made up.
    const a = relistLog(30, 1, 30);
    const input = await inputOf({ 'node-a/kubelet.log': a.text, 'node-b/kubelet.log': relistLog(30, 50, 30).text });
    expect(kinds(detectPleg(input, defaultDetectorOptions), 'relist-gap')).toHaveLength(1);
  });

  it('relists that each take seconds for a while make one slow window, not a gap per relist; real stalls inside it stand alone', async () => {
    for (let seed = 1; seed <= 8; seed++) {
      const r = rng(seed * 31);
      const lines: string[] = [];
      let t = T0;
      const relist = () => lines.push(kubeletLine(t, 'I', 'generic.go:191', '"GenericPLEG: Relisting"'));
      for (let i = 0; i < 120; i++, t += SEC + Math.floor(r() * 20_000)) relist();
      const slowFrom = t;
      const slowCount = 6 + Math.floor(r() * 60);
      const stallAt = seed % 2 === 0 ? Math.floor(slowCount / 2) : -1;
      let maxRelist = 0;
      for (let i = 0; i < slowCount; i++) {
        relist();
        const took = i === stallAt ? 45 + r() * 60 : 3 + r() * 6;
        if (i !== stallAt) maxRelist = Math.max(maxRelist, took);
        t += Math.round((took + 1) * SEC);
      }
      const slowTo = t;
      for (let i = 0; i < 120; i++, t += SEC + Math.floor(r() * 20_000)) relist();
      // A few late relists apart from each other are no window.
      for (let k = 0; k < 3; k++) {
        relist();
        t += 5 * SEC;
        for (let i = 0; i < 20; i++, t += SEC) relist();
      }
      const f = detectPleg(await inputOf({ 'kubelet.log': `${lines.join('\n')}\n` }), defaultDetectorOptions);
      const slow = kinds(f, 'relist-slow');
      expect(slow.map((s) => [s.from, s.to]), `seed ${seed}`).toEqual([[slowFrom, slowTo]]);
      expect(Number(slow[0]!.facts.seconds)).toBeCloseTo(maxRelist, 1);
      const gaps = kinds(f, 'relist-gap');
      expect(gaps.filter((g) => g.from >= slowFrom && g.to <= slowTo)).toHaveLength(stallAt >= 0 ? 1 : 0);
      expect(gaps.filter((g) => g.from > slowTo)).toHaveLength(3);
    }
  });

  it('a slow window of a kubelet relisting every 0.5 s names real times, not NaN', async () => {
    const lines: string[] = [];
    let t = T0;
    for (let i = 0; i < 60; i++, t += SEC / 2) lines.push(kubeletLine(t, 'I', 'generic.go:191', '"GenericPLEG: Relisting"'));
    for (let i = 0; i < 8; i++, t += 1_800_000) lines.push(kubeletLine(t, 'I', 'generic.go:191', '"GenericPLEG: Relisting"'));
    for (let i = 0; i < 60; i++, t += SEC / 2) lines.push(kubeletLine(t, 'I', 'generic.go:191', '"GenericPLEG: Relisting"'));
    const slow = kinds(detectPleg(await inputOf({ 'kubelet.log': `${lines.join('\n')}\n` }), defaultDetectorOptions), 'relist-slow');
    expect(slow).toHaveLength(1);
    expect(Number(slow[0]!.facts.seconds)).toBeCloseTo(0.8, 3);
    expect(slow[0]!.title).not.toMatch(/NaN|Infinity/);
  });

  it('klog JSON (--logging-format=json) relists are found too', async () => {
    const at = [0, 1.01, 2.0, 3.02, 45.3, 46.3, 47.31].map((x) => 1_755_463_071_919.762 + x * 1000);
    const text = at.map((ms) => `{"ts":${ms},"caller":"pleg/generic.go:191","msg":"GenericPLEG: Relisting","v":5}`).join('\n');
    const gaps = kinds(detectPleg(await inputOf({ 'kubelet.json.log': `${text}\n` }), defaultDetectorOptions), 'relist-gap');
    expect(gaps.map((g) => [Math.round(g.from / 1000), Math.round(g.to / 1000)])).toEqual([[Math.round(at[3]!), Math.round(at[4]!)]]);
  });

  it('a gap of 3× the median period is a warning, the threshold factor is configurable', async () => {
    const input = await inputOf({ 'kubelet.log': relistLog(40, 5, 20).text });
    expect(kinds(detectPleg(input, defaultDetectorOptions), 'relist-gap').map((g) => g.severity)).toEqual(['warn']);
    expect(kinds(detectPleg(input, { ...defaultDetectorOptions, plegGapFactor: 6 }), 'relist-gap')).toEqual([]);
  });

  it('reads PLEG health lines; kubelet starting up is not a fault', async () => {
    const lines = [
      kubeletLine(T0, 'E', 'kubelet.go:1877', '"Skipping pod synchronization" err="[container runtime status check may not have completed yet, PLEG is not healthy: pleg has yet to be successful]"'),
      kubeletLine(T0 + 600 * SEC, 'E', 'kubelet.go:1877', '"Skipping pod synchronization" err="[container runtime status check may not have completed yet, PLEG is not healthy: pleg was last seen active 3m7.214093518s ago; threshold is 3m0s]"'),
      kubeletLine(T0 + 605 * SEC, 'I', 'setters.go:577', '"Node became not ready" node="node-3" condition={Type:Ready Status:False Reason:KubeletNotReady Message:PLEG is not healthy: pleg was last seen active 3m12.2s ago; threshold is 3m0s}'),
      kubeletLine(T0 + 900 * SEC, 'I', 'generic.go:200', '"GenericPLEG: relist took longer than expected" relist took 4.52s'),
    ];
    const f = detectPleg(await inputOf({ 'kubelet.log': `${lines.join('\n')}\n` }), defaultDetectorOptions);
    const unhealthy = kinds(f, 'not-healthy');
    expect(unhealthy).toHaveLength(1);
    expect(unhealthy[0]!.facts.count).toBe(2);
    expect(Number(unhealthy[0]!.facts.lastSeenSec)).toBeCloseTo(192.2, 1);
    const status = kinds(f, 'runtime-status');
    expect(status.map((s) => [s.severity, s.facts.startup])).toEqual([['info', true], ['warn', false]]);
    expect(kinds(f, 'relist-slow')[0]?.facts.seconds).toBeCloseTo(4.52, 2);
  });

  it('kubelet 1.27+ says the runtime is down, and its start-up sanity check fails: both are the runtime status failing', async () => {
    const lines = [
      kubeletLine(T0, 'E', 'kubelet.go:2475', '"Skipping pod synchronization" err="container runtime is down"'),
      kubeletLine(T0 + 5 * SEC, 'E', 'kubelet.go:2475', '"Skipping pod synchronization" err="[container runtime is down, PLEG is not healthy: pleg was last seen active 3m5s ago; threshold is 3m0s]"'),
      kubeletLine(T0 + 9 * SEC, 'E', 'kubelet.go:1561', '"Container runtime sanity check failed" err="rpc error: code = Unavailable desc = connection error: desc = \\"transport: Error while dialing: dial unix /run/containerd/containerd.sock: connect: connection refused\\""'),
    ];
    const f = detectPleg(await inputOf({ 'kubelet.log': `${lines.join('\n')}\n` }), defaultDetectorOptions);
    expect(kinds(f, 'runtime-status').map((s) => [s.severity, s.facts.startup, s.facts.count])).toEqual([['warn', false, 3]]);
  });
});
