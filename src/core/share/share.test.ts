import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeShare, deflate, encodeShare, peekShare, ShareError, toBase64Url } from './codec';
import { redactState } from './redact';
import { SHARE_VERSION, type SharedState } from './state';

function realisticState(): SharedState {
  const t0 = Date.UTC(2023, 5, 2, 5, 40) * 1000;
  return {
    v: SHARE_VERSION,
    createdAt: t0 + 3_600_000_000,
    bundle: { fingerprint: 'a'.repeat(64), name: 'ip-10-0-12-7.ec2.internal-logs.tar.gz' },
    view: {
      window: { from: t0, to: t0 + 600_000_000 },
      filters: { text: 'deadline|TaskExit', regex: true, lanes: [{ path: 'node/kubelet.log', origin: 'kubelet' }], minLevel: 4 },
      selection: { kind: 'step', patternId: 'io-storm-umount-bbolt', step: 2 },
      tab: 'logs',
    },
    chains: [{
      patternId: 'io-storm-umount-bbolt',
      title: 'Image-pull IO storm stalls umount and the bbolt lock',
      confidence: 0.91,
      from: t0 + 60_000_000,
      to: t0 + 420_000_000,
      steps: ['symptom', 'blocked-call', 'lock-holder', 'resource', 'root-cause'].map((role, i) => ({
        role,
        title: `Step ${i}: ${role}`,
        explanation: `PLEG relist stalled 47 s on ip-10-0-12-7.ec2.internal while pod="payments/checkout-api-7d9f8b6c4-x2x7q" waited on 10.0.12.7 (${role})`,
        evidenceCount: 3 + i,
      })),
      remedy: {
        text: 'Mount overlayfs upper dirs with volatile; stagger image pulls.',
        snippets: [{ title: 'containerd config.toml', language: 'toml', code: '[plugins."io.containerd.snapshotter.v1.overlayfs"]\n  mount_options = ["volatile"]' }],
        references: ['https://github.com/containerd/containerd/pull/8676'],
      },
    }],
    notes: [
      { id: 'n1', target: { kind: 'range', from: t0, to: t0 + 5e6 }, text: 'first pulls start here', createdAt: t0 },
      { id: 'n2', target: { kind: 'goroutine', path: 'node/containerd-stacks.log', process: 'containerd', goroutine: 8123 }, text: 'the fsync holder', createdAt: t0 },
      { id: 'n3', target: { kind: 'line', lane: { path: 'node/kubelet.log', origin: 'kubelet' }, offset: 123456, ts: t0 + 1 }, text: 'PLEG unhealthy', createdAt: t0 },
    ],
    redacted: [],
  };
}

describe('share codec', () => {
  it('round-trips every field of a realistic state, under 4 kB', async () => {
    const s = realisticState();
    const token = await encodeShare(s);
    expect(token.startsWith('1.')).toBe(true);
    expect(token.length).toBeLessThan(4096);
    expect(await decodeShare(token)).toEqual(s);
    // Compression earns its keep on realistic states.
    expect(token.length).toBeLessThan(JSON.stringify(s).length * 0.8);
  });

  it('round-trips with a passphrase and refuses a wrong one; only the version is readable', async () => {
    const s = realisticState();
    const token = await encodeShare(s, { passphrase: 'correct horse' });
    expect(peekShare(token)).toEqual({ version: 1, encrypted: true });
    expect(token).not.toContain(toBase64Url(new TextEncoder().encode('"v":1')));
    expect(await decodeShare(token, 'correct horse')).toEqual(s);
    await expect(decodeShare(token, 'wrong horse')).rejects.toMatchObject({ code: 'wrong-passphrase' });
    await expect(decodeShare(token)).rejects.toMatchObject({ code: 'needs-passphrase' });
  }, 20_000);

  it('names what is wrong with malformed, truncated, tampered and future links', async () => {
    const token = await encodeShare(realisticState());
    const code = async (t: string) => {
      try {
        await decodeShare(t);
        return 'ok';
      } catch (err) {
        return err instanceof ShareError ? err.code : `crash: ${String(err)}`;
      }
    };
    expect(await code('hello')).toBe('malformed');
    expect(await code('1.@@@')).toBe('malformed');
    expect(await code(token.slice(0, Math.floor(token.length / 2)))).toBe('truncated');
    expect(await code(`9.${token.slice(2)}`)).toBe('future-version');
    // Valid deflate of a JSON that breaks the schema (a tampered field).
    const tampered = { ...realisticState(), chains: [{ ...realisticState().chains[0]!, confidence: 7 }] };
    const packed = await deflate(new TextEncoder().encode(JSON.stringify(tampered)));
    expect(await code(`1.${toBase64Url(packed)}`)).toBe('invalid');
    const notJson = await deflate(new TextEncoder().encode('{"v":1,'));
    expect(await code(`1.${toBase64Url(notJson)}`)).toBe('truncated');
  });

  it('refuses a decompression bomb', async () => {
    const bomb = await deflate(new Uint8Array(8 << 20).fill(32));
    await expect(decodeShare(`1.${toBase64Url(bomb)}`)).rejects.toMatchObject({ code: 'invalid' });
  });

  it('round-trips random states (property)', async () => {
    const text = fc.string({ maxLength: 60 });
    const t = fc.integer({ min: 0, max: 2 ** 52 });
    await fc.assert(fc.asyncProperty(text, text, t, fc.boolean(), fc.integer({ min: 0, max: 6 }), async (name, note, at, regex, lvl) => {
      const s = realisticState();
      s.bundle.name = name;
      s.notes[0]!.text = note;
      s.view.window = { from: at, to: at + 1 };
      s.view.filters.regex = regex;
      s.view.filters.minLevel = lvl;
      expect(await decodeShare(await encodeShare(s))).toEqual(s);
    }), { numRuns: 40 });
  });
});

describe('redaction', () => {
  it('replaces hosts, IPs, pods, namespaces and ids consistently and keeps the text readable', () => {
    const { state, replacements } = redactState(realisticState(), { known: { host: ['ip-10-0-12-7'] } });
    const json = JSON.stringify(state);
    expect(json).not.toContain('ip-10-0-12-7');
    expect(json).not.toContain('10.0.12.7');
    expect(json).not.toContain('checkout-api-7d9f8b6c4-x2x7q');
    expect(json).not.toContain('payments/');
    const host = replacements.find((r) => r.kind === 'host')!;
    // Same value → same placeholder in every step.
    for (const step of state.chains[0]!.steps) expect(step.explanation).toContain(host.placeholder);
    expect(state.chains[0]!.steps[0]!.explanation).toMatch(/PLEG relist stalled 47 s on <host-\d+>/);
    expect(state.redacted).toEqual(replacements.map((r) => r.placeholder));
    // Clock times and the pattern's own remedy are left alone.
    expect(redactState({ ...realisticState(), notes: [{ ...realisticState().notes[0]!, text: 'at 05:48:06 fe80::1 ok' }] }).state.notes[0]!.text).toMatch(/^at 05:48:06 <ip-\d+> ok$/);
    expect(state.chains[0]!.remedy).toEqual(realisticState().chains[0]!.remedy);
  });

  it('applies user patterns and known images', () => {
    const s = realisticState();
    s.notes[0]!.text = 'ticket INC-48213 after pulling registry.example.com/payments/ledger-worker:4.12.0 and bitnami/redis:7.0.11';
    const { state } = redactState(s, { patterns: ['INC-\\d+', '('] });
    expect(state.notes[0]!.text).toBe('ticket <custom-1> after pulling <image-1> and <image-2>');
  });
});
