import { describe, expect, it } from 'vitest';
import { Level, levelNames } from '../model';
import { formatById } from './registry';
import { parseAll, pick, rng, showTs } from './test-helpers';

const fmt = formatById('klog-json')!;

const PODS = ['prod/web-0', 'kube-system/coredns-5d78c9869d-x2x7q', 'batch/report-28806338-tszrl', 'default/api-7c9d'];
const PREFIXES = ['', '198.51.100.10: ', 'Aug 17 22:37:52 node-a kubelet[811]: ', '2025-03-04T11:47:29.149489+05:30 wkr-3 kubelet[2211]: '];

/** A component-base JSON record as zapr writes it: ts, caller, msg, then `v` for Info entries only. */
function record(ms: number, msg: string, info: { v: number } | null, keys: string): string {
  const v = info ? `,"v":${info.v}` : '';
  return `{"ts":${ms}.${String(ms % 997).padStart(3, '0')},"caller":"kubelet/kubelet.go:2453","msg":"${msg}"${v}${keys}}`;
}

describe('klog JSON severity (zapr: Info entries carry "v", Error entries never do)', () => {
  it('InfoS with an err key is info; ErrorS without err (nil) is an error', () => {
    const rand = rng(31);
    for (let n = 0; n < 40; n++) {
      const ms = 1_600_000_000_000 + Math.floor(rand() * 300_000_000_000);
      const pod = pick(rand, PODS);
      const prefix = pick(rand, PREFIXES);
      const lines = [
        record(ms, 'Failed to update status for pod', { v: Math.floor(rand() * 5) }, `,"pod":"${pod}","err":"the object has been modified"`),
        record(ms + 1, 'Skipping pod synchronization', null, ''),
        record(ms + 2, 'Error syncing pod, skipping', null, `,"pod":"${pod}","err":"CrashLoopBackOff"`),
        record(ms + 3, 'SyncLoop ADD', { v: 0 }, `,"source":"api","pods":["${pod}"]`),
      ].map((l) => prefix + l);
      const parsed = parseAll(fmt, lines);
      expect(parsed.map((p) => levelNames[p.level])).toEqual(['info', 'error', 'error', 'info']);
      expect(showTs(parsed[1]!.ts)).toBe(new Date(ms + 1).toISOString().replace(/(\.\d{3})Z$/, `$1${String((ms + 1) % 997).padStart(3, '0')}Z`));
    }
  });

  it('a record cut before its end is an error only when it shows an err key', () => {
    const parsed = parseAll(fmt, [
      '{"ts":1755463080311.0427,"caller":"kuberuntime/kuberuntime_manager.go:1166","msg":"CreatePodSandbox for pod failed","pod":{"name":"web-0",',
      '{"ts":1755463080312.5,"caller":"kubelet/pod_workers.go:1301","msg":"Error syncing pod, skipping","err":"failed to \\"StartCont',
    ]);
    expect(parsed.map((p) => p.level)).toEqual([Level.info, Level.error]);
  });
});
