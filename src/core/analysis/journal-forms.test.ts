// The same journal exported as `-o short-precise` and as `-o json` must give the same findings:
// detectors read a JSON entry's MESSAGE, not the record around it (the cursor and dozens of
// fields come first, and the message's quotes are escaped).
import { describe, expect, it } from 'vitest';
import { analyzeInputs } from '../analyze';
import { enc, memInput } from '../bundle/test-helpers';
import { rng } from '../formats/test-helpers';
import { containerdLine, kubeletLine } from './test-helpers';

const SHORT = /^(\w{3}) (\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6}) (\S+) ([\w.-]+)\[(\d+)\]: (.*)$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A short-precise line (UTC) as journalctl -o json prints its entry, with the fields journald adds. */
function asJson(line: string, year: number, n: number): string {
  const m = SHORT.exec(line)!;
  const us = Date.UTC(year, MONTHS.indexOf(m[1]!), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])) * 1000 + Number(m[6]);
  const [host, ident, pid, message] = [m[7]!, m[8]!, m[9]!, m[10]!];
  return JSON.stringify({
    __CURSOR: `s=2d04b7e409aecec7d25ddb26bc4aa010;i=${(0x157c1 + n).toString(16)};b=1bdb4efe5590ada3c2d2f6164dda4d02;m=${(0x89587e + n).toString(16)};t=${us.toString(16)};x=26f1e632d03f19ad`,
    __REALTIME_TIMESTAMP: String(us), __MONOTONIC_TIMESTAMP: String(9_001_086 + n), _BOOT_ID: '1bdb4efe5590ada3c2d2f6164dda4d02',
    PRIORITY: '6', _MACHINE_ID: '5d3bb2b21a97aa7f6a3ee0011e5019a0', _HOSTNAME: host, _TRANSPORT: 'stdout', SYSLOG_FACILITY: '3',
    _UID: '0', _GID: '0', _CAP_EFFECTIVE: '1ffffffffff', _SELINUX_CONTEXT: 'unconfined\n', _SYSTEMD_SLICE: 'system.slice',
    _EXE: `/usr/bin/${ident}`, _CMDLINE: `/usr/bin/${ident} --config=/etc/${ident}/config.yaml --v=2`, _SYSTEMD_CGROUP: `/system.slice/${ident}.service`,
    _SYSTEMD_UNIT: `${ident}.service`, _SYSTEMD_INVOCATION_ID: 'c3a1f0d2b4e64f1e9a7b8c6d5e4f3a2b', SYSLOG_IDENTIFIER: ident, _PID: pid, _COMM: ident,
    _STREAM_ID: 'b6c0e1d2f3a4958677a8b9c0d1e2f3a4', MESSAGE: message,
  });
}

function incident(seed: number): string[] {
  const r = rng(seed);
  const t0 = Date.UTC(2024, 10, 4, 11, 3, 0) * 1000 + Math.floor(r() * 1e6);
  const pods = Array.from({ length: 3 + Math.floor(r() * 3) }, (_, i) => [`ns-${i % 2}`, `web-${Math.floor(r() * 1e6).toString(36)}-${i}`] as const);
  const lines: string[] = [];
  let t = t0;
  for (let round = 0; round < 6; round++) {
    for (const [ns, pod] of pods) {
      t += 900_000 + Math.floor(r() * 400_000);
      const sandbox = Math.floor(r() * 2 ** 52).toString(16).padStart(13, '0').repeat(5).slice(0, 64);
      const err = `rpc error: code = Unknown desc = failed to setup network for sandbox \\"${sandbox}\\": plugin type=\\"cilium-cni\\" failed (add): unable to connect to Cilium daemon: failed to create cilium agent client after 30.000000 seconds timeout: Get \\"http:///var/run/cilium/cilium.sock/v1/config\\": dial unix /var/run/cilium/cilium.sock: connect: no such file or directory`;
      lines.push(kubeletLine(t, 'E', 'log.go:32', `"RunPodSandbox from runtime service failed" err="${err}"`, 'ip-172-31-77-140', 2087));
      lines.push(kubeletLine(t + 700, 'E', 'pod_workers.go:1298', `"Error syncing pod, skipping" err="failed to \\"CreatePodSandbox\\" for \\"${pod}_${ns}(6780f7e5-3433-4dd4-8dcc-17b52c99254b)\\" with CreatePodSandboxError: \\"Failed to create sandbox for pod \\\\\\"${pod}_${ns}(6780f7e5-3433-4dd4-8dcc-17b52c99254b)\\\\\\": ${err}\\"" pod="${ns}/${pod}" podUID="6780f7e5-3433-4dd4-8dcc-17b52c99254b"`, 'ip-172-31-77-140', 2087));
      lines.push(containerdLine(t - 300, 'error', `RunPodSandbox for &PodSandboxMetadata{Name:${pod},Uid:6780f7e5,Namespace:${ns},Attempt:${round},} failed, error`, `error="failed to setup network for sandbox \\"${sandbox}\\": plugin type=\\"cilium-cni\\" failed (add): unable to connect to Cilium daemon"`, 'ip-172-31-77-140'));
    }
    t += 5_000_000;
    lines.push(kubeletLine(t, 'E', 'kubelet.go:2874', '"Container runtime network not ready" networkReady="NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized"', 'ip-172-31-77-140', 2087));
  }
  return lines.sort();
}

describe('a journal as short text and as -o json', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: the same findings, naming the same pods`, async () => {
      const short = incident(seed);
      const json = short.map((l, n) => asJson(l, 2024, n));
      const a = await analyzeInputs([memInput('node/journal.txt', enc(`${short.join('\n')}\n`))]);
      const b = await analyzeInputs([memInput('node/journal.json', enc(`${json.join('\n')}\n`))]);
      const view = (s: typeof a) => s.findings.map((f) => [f.detector, f.kind, f.title, f.from]).sort();
      expect(view(b)).toEqual(view(a));
      expect(a.findings.some((f) => f.kind === 'sandbox-failure' && /for [3-5] pod/.test(f.title))).toBe(true);
      expect(b.findings.every((f) => !f.title.includes('__CURSOR'))).toBe(true);
    });
  }
});
