import { describe, expect, it } from 'vitest';
import { detectImagePulls } from './image-pulls';
import { containerdLine, inputOf, kinds, kubeletLine } from './test-helpers';

const T0 = Date.UTC(new Date().getUTCFullYear(), 3, 23, 7, 34, 23) * 1000;
const SEC = 1e6;

const legacy = (pod: string, reason: string, msg: string) =>
  `Event(v1.ObjectReference{Kind:"Pod", Namespace:"default", Name:"${pod}", UID:"u-${pod}", APIVersion:"v1", ResourceVersion:"4711", FieldPath:"spec.containers{app}"}): type: 'Normal' reason: '${reason}' ${msg}`;
const structured = (pod: string, reason: string, msg: string) =>
  `"Event occurred" object="default/${pod}" kind="Pod" apiVersion="v1" type="Normal" reason="${reason}" message="${msg.replaceAll('"', '\\"')}"`;

describe('image-pulls detector', () => {
  it.each([['legacy', legacy], ['structured', structured]] as const)('pairs kubelet %s events per pod, finds the storm', async (_, ev) => {
    // Three pods pull the same image at once, a fourth pulls later alone.
    const pulls = [
      { pod: 'web-1', image: 'docker.io/library/nginx:1.25', start: 0, end: 40 },
      { pod: 'web-2', image: 'docker.io/library/nginx:1.25', start: 1, end: 30 },
      { pod: 'db-0', image: 'registry.example.com/pg:15.3', start: 2, end: 50 },
      { pod: 'late', image: 'quay.io/x/y:2', start: 100, end: 104 },
    ];
    const lines = pulls.flatMap((p) => [
      { t: T0 + p.start * SEC, text: kubeletLine(T0 + p.start * SEC, 'I', 'event.go:291', ev(p.pod, 'Pulling', `Pulling image "${p.image}"`)) },
      { t: T0 + p.end * SEC, text: kubeletLine(T0 + p.end * SEC, 'I', 'event.go:291', ev(p.pod, 'Pulled', `Successfully pulled image "${p.image}" in ${p.end - p.start}.5s`)) },
    ]).sort((a, b) => a.t - b.t).map((l) => l.text);
    const f = detectImagePulls(await inputOf({ 'kubelet.log': `${lines.join('\n')}\n` }));
    const found = kinds(f, 'pull').map((p) => [p.facts.image, (p.from - T0) / SEC, (p.to - T0) / SEC, p.facts.seconds]);
    expect(found).toEqual(pulls.map((p) => [p.image, p.start, p.end, p.end - p.start + 0.5]));
    const storms = kinds(f, 'pull-storm');
    expect(storms.map((s) => [(s.from - T0) / SEC, (s.to - T0) / SEC, s.facts.maxConcurrent, s.facts.pulls])).toEqual([[2, 30, 3, 3]]);
  });

  it('one registry failing two ways (a missing tag, the pull rate limit) makes two findings, each named by its status', async () => {
    const err = (image: string, tail: string) => `"PullImage from image service failed" err="rpc error: code = Unknown desc = failed to pull and unpack image \\"${image}\\": ${tail}" image="${image}"`;
    const missing = 'docker.io/acme/billing:v2.3.1';
    const limited = 'docker.io/nicolaka/netshoot:v0.12';
    const lines: string[] = [];
    for (let i = 0; i < 6; i++) {
      lines.push(kubeletLine(T0 + i * 60 * SEC, 'E', 'remote_image.go:180', err(missing, `failed to resolve reference \\"${missing}\\": ${missing}: not found`)));
      lines.push(kubeletLine(T0 + (i * 60 + 7) * SEC, 'E', 'remote_image.go:180', err(limited, 'failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/nicolaka/netshoot/manifests/sha256:a7c9: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit')));
      lines.push(kubeletLine(T0 + (i * 60 + 9) * SEC, 'I', 'event.go:294', structured('netshoot-0', 'BackOff', `Back-off pulling image "${limited}"`)));
    }
    const f = kinds(detectImagePulls(await inputOf({ 'kubelet.log': `${lines.join('\n')}\n` })), 'pull-failed');
    expect(f.map((x) => [x.facts.image, x.facts.reason, x.facts.count]).sort()).toEqual([
      [missing, 'not found', 6],
      [limited, '429 Too Many Requests (pull rate limit)', 6],
    ]);
  });

  it('falls back to containerd PullImage lines when kubelet logs are missing', async () => {
    const lines = [
      containerdLine(T0, 'info', 'PullImage \\"docker.io/calico/cni:v3.25.1\\"'),
      containerdLine(T0 + 12 * SEC, 'info', 'PullImage \\"docker.io/calico/cni:v3.25.1\\" returns image reference \\"sha256:0a1b\\"'),
    ];
    const f = detectImagePulls(await inputOf({ 'containerd.log': `${lines.join('\n')}\n` }));
    expect(kinds(f, 'pull').map((p) => [p.facts.image, p.facts.seconds])).toEqual([['docker.io/calico/cni:v3.25.1', 12]]);
  });
});
