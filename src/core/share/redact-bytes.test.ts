import { describe, expect, it } from 'vitest';
import { parseAndAnalyze } from '../analyze';
import { enc, memInput } from '../bundle/test-helpers';
import { generateScenario, type ScenarioName } from '../scenarios';
import { buildPlan } from '../scenarios/plan';
import { deriveAnswerKey } from '../training/answer-key';
import { trainingOptions } from '../training/library';
import { redactKey } from '../training/scenario-file';
import { perfectPins, scoreAttempt } from '../training/score';
import { ByteRedactor, redactBundleFiles, sameLengthName } from './redact-bytes';

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

function lineLengths(b: Uint8Array): number[] {
  const out: number[] = [];
  let start = 0;
  for (let i = 0; i <= b.length; i++) if (i === b.length || b[i] === 0x0a) { out.push(i - start); start = i + 1; }
  return out;
}

function positions(hay: string, needle: string): number[] {
  const out: number[] = [];
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) out.push(i);
  return out;
}

function generated(scenario: ScenarioName, seed: number) {
  const opts = trainingOptions(scenario, seed);
  const g = generateScenario(opts);
  const files = g.files.map((f) => ({ path: f.path, bytes: enc([...f.chunks()].join('')) }));
  return { g, files, pods: buildPlan(opts).pods.map((p) => p.name) };
}

describe('length-preserving names', () => {
  it('are exactly as long as the value; ids and addresses keep their shape', () => {
    expect(sameLengthName('host', 1, 'k8s-worker-31')).toBe('host-1-------');
    expect(sameLengthName('pod', 12, 'web')).toBe('p12');
    expect(sameLengthName('ip', 3, '10.0.12.7')).toBe('00.0.00.3');
    expect(sameLengthName('ip', 2, 'fe80::1')).toBe('0000::2');
    expect(sameLengthName('uid', 7, 'a1b2c3d4-0000-4000-8000-0123456789ab')).toBe('00000000-0000-0000-0000-000000000007');
  });
});

describe('byte redaction', () => {
  it('keeps every line\'s byte length, multibyte values and invalid UTF-8 included; a value split across chunks is caught', () => {
    const head = enc('Jun 02 05:48:06 nœud-ü kubelet[1]: pod="payments/checkout-7d9f" on 10.0.12.7\n');
    const bytes = new Uint8Array([...head, 0xff, 0xfe, ...enc(' nœud-ü again\r\nno newline at the end pod="x/checkout-7d9f"')]);
    const whole = new ByteRedactor({ known: { host: ['nœud-ü'] } }).bytes(bytes);
    expect(lineLengths(whole)).toEqual(lineLengths(bytes));
    const text = latin1(whole);
    expect(text).not.toContain(latin1(enc('nœud-ü')));
    expect(text).not.toContain('checkout-7d9f');
    expect(text).not.toContain('10.0.12.7');
    expect(text).toContain('Jun 02 05:48:06 host-1-- kubelet[1]: pod="n1------/pod-1--------" on 00.0.00.1');
    expect([whole[head.length], whole[head.length + 1]]).toEqual([0xff, 0xfe]);
    // Seven-byte chunks cut every value somewhere: the output is the same.
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.subarray(i, i + 7));
    const r = new ByteRedactor({ known: { host: ['nœud-ü'] } });
    expect(Buffer.concat([...r.file(chunks)])).toEqual(Buffer.from(whole));
  });

  it('leaves goroutine stacks, timestamps and levels alone', () => {
    const stack = 'goroutine 71 [semacquire, 3 minutes]:\ngo.etcd.io/bbolt.(*DB).Update(0xc0001e92d0, 0xc000aa5f50)\n\t/go/src/github.com/containerd/containerd/vendor/go.etcd.io/bbolt/db.go:710 +0x85\ngithub.com/containerd/containerd/images.Dispatch({0x5532ceb2a3b8, 0xc001257058})\n';
    expect(new TextDecoder().decode(new ByteRedactor().bytes(enc(stack)))).toBe(stack);
    const klog = 'I0602 05:48:06.350695    1743 kuberuntime_manager.go:484] "No sandbox" pod="kube-system/coredns-xm-jd"\n';
    expect(new TextDecoder().decode(new ByteRedactor().bytes(enc(klog)))).toMatch(/^I0602 05:48:06\.350695 {4}1743 kuberuntime_manager\.go:484\] "No sandbox" pod="namespace-1\/pod-1--------"\n$/);
  });
});

describe.each([['io-storm-umount-bbolt', 4242], ['runtime-down', 17]] as [ScenarioName, number][])('a redacted %s bundle (seed %i)', (scenario, seed) => {
  it('keeps its lines, loses its node and pod names, and its key still scores 100 on the re-parsed files', { timeout: 120_000 }, async () => {
    const { g, files, pods } = generated(scenario, seed);
    const { files: out, redactor } = redactBundleFiles(files);

    for (const [i, f] of files.entries()) expect(lineLengths(out[i]!.bytes), f.path).toEqual(lineLengths(f.bytes));
    const host = g.truth.hostname;
    for (const f of out) {
      const text = latin1(f.bytes);
      expect(f.path).not.toContain(host);
      expect(text, f.path).not.toContain(host);
      for (const p of pods) expect(text.includes(p), `${p} in ${f.path}`).toBe(false);
    }
    // Goroutine stacks (function names, file:line) are left exactly as they were.
    for (const [i, f] of files.entries()) {
      if (!f.path.includes('stacks')) continue;
      const before = latin1(f.bytes).split('\n');
      const after = latin1(out[i]!.bytes).split('\n');
      const frames = before.flatMap((l, j) => (/\.go:\d+|^[\w./-]+\.\S*\(|^created by /.test(l) ? [j] : []));
      expect(frames.length).toBeGreaterThan(50);
      expect(frames.filter((j) => before[j] !== after[j]).slice(0, 3).map((j) => [before[j], after[j]])).toEqual([]);
    }
    // The same value has the same name in every file, at the same offsets.
    const names = new Set<string>();
    for (const [i, f] of files.entries()) {
      const redacted = latin1(out[i]!.bytes);
      for (const at of positions(latin1(f.bytes), host)) names.add(redacted.slice(at, at + host.length));
    }
    expect([...names]).toEqual([redactor.replacements().find((r) => r.value === host)!.placeholder]);

    const parse = async (fs: { path: string; bytes: Uint8Array }[]) => {
      const r = await parseAndAnalyze(fs.map((f) => memInput(f.path, f.bytes)));
      if (!r.input || !r.result) throw new Error('no analysis');
      return deriveAnswerKey(scenario, scenario, r.input, r.result);
    };
    const exported = redactKey(await parse(files), (s) => redactor.text(s));
    const reparsed = await parse(out);
    expect(JSON.stringify(exported)).not.toContain(host);
    expect(reparsed.steps.map((s) => [s.role, s.window])).toEqual(exported.steps.map((s) => [s.role, s.window]));
    for (const [key, pinsOf] of [[exported, reparsed], [reparsed, exported]] as const) {
      const report = scoreAttempt(key, { pins: perfectPins(pinsOf), remedy: key.remedy, hints: [], elapsedSec: 60 });
      expect(report.total, JSON.stringify(report.roles)).toBe(100);
    }
  });
});
