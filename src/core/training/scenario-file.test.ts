import { describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import type { AnswerKey } from './answer-key';
import { keyWithMarks, packScenario, roleOfNote, unpackScenario } from './scenario-file';
import { perfectPins, scoreAttempt } from './score';

const key: AnswerKey = {
  scenario: 'custom', patternId: 'runtime-down', title: 'Container runtime down', remedy: 'runtime-down',
  steps: [
    { id: 'unavailable', role: 'blocked-call', title: 'kubelet cannot reach the runtime', evidence: [{ kind: 'line', path: 'n/kubelet.log', origin: 'kubelet', offset: 120, ts: 5e15, signal: 'runtime' }], window: { from: 5e15, to: 5e15 + 1 }, lineKinds: ['runtime'] },
    { id: 'restart', role: 'root-cause', title: 'containerd restarted', evidence: [{ kind: 'line', path: 'n/containerd.log', origin: 'containerd', offset: 0, ts: 5e15 }], window: null, lineKinds: [] },
  ],
};

describe('custom scenario file', () => {
  it('round-trips files byte for byte and the key, and scores the same', () => {
    const bytes = new Uint8Array([0, 1, 2, 255, 10, 13]);
    const back = unpackScenario(packScenario({ title: 'T', briefing: 'B', key, files: [{ path: 'n/kubelet.log', bytes }, { path: 'n/containerd.log', bytes: new Uint8Array() }] }));
    expect(back.key).toEqual(key);
    expect(back.files.find((f) => f.path === 'n/kubelet.log')!.bytes).toEqual(bytes);
    const attempt = { pins: perfectPins(key), remedy: key.remedy, hints: [], elapsedSec: 1 };
    expect(scoreAttempt(back.key, attempt)).toEqual(scoreAttempt(key, attempt));
  });

  it('refuses a zip without a valid scenario.json', () => {
    expect(() => unpackScenario(new Uint8Array([1, 2, 3]))).toThrow('not a zip');
    expect(() => unpackScenario(zipSync({ 'a.txt': new Uint8Array([65]) }))).toThrow('no scenario.json');
    const bad = zipSync({ 'scenario.json': new TextEncoder().encode(JSON.stringify({ v: 1, title: 't', briefing: 'b', key: { ...key, steps: [{ role: 'boss' }] } })), 'files/x': new Uint8Array([1]) });
    expect(() => unpackScenario(bad)).toThrow('not valid');
  });

  it('notes naming a role replace that role\'s steps', () => {
    expect(roleOfNote('Root cause: containerd OOM killed')).toBe('root-cause');
    expect(roleOfNote('lock-holder: the commit')).toBe('lock-holder');
    expect(roleOfNote('just a remark')).toBeNull();
    const marked = keyWithMarks(key, [{ role: 'root-cause', text: 'root cause: OOM kill', evidence: { kind: 'line', path: 'n/dmesg.log', origin: 'kernel', offset: 77, ts: 4e15 } }]);
    expect(marked.steps.map((s) => [s.role, s.title])).toEqual([['blocked-call', 'kubelet cannot reach the runtime'], ['root-cause', 'OOM kill']]);
    const r = scoreAttempt(marked, { pins: [{ role: 'root-cause', evidence: { kind: 'line', path: 'n/containerd.log', origin: 'containerd', offset: 0, ts: 5e15 } }], remedy: null, hints: [], elapsedSec: 1 });
    expect(r.roles.find((x) => x.role === 'root-cause')!.verdict).toBe('wrong');
  });
});
