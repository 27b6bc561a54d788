import { describe, expect, it } from 'vitest';
import { streamPathOf } from './log-stream';

describe('streamPathOf', () => {
  it('names the log a rotated copy came from, in its own folder', () => {
    const cases: [string, string][] = [
      ['var/log/kubelet.log', 'var/log/kubelet.log'],
      ['var/log/kubelet.log.1', 'var/log/kubelet.log'],
      ['var/log/kubelet.log.12.gz', 'var/log/kubelet.log'],
      ['var/log/kubelet.log-20240602', 'var/log/kubelet.log'],
      ['var/log/kubelet.log-2024060213.gz', 'var/log/kubelet.log'],
      ['var/log/messages-20240602', 'var/log/messages'],
      ['var/log/syslog.2.gz', 'var/log/syslog'],
      ['logs/containerd.2024-06-02T13-00-00.log', 'logs/containerd.2024-06-02T13-00-00.log'],
      ['b.tar.gz!/node-a/var/log/kubelet.log.1', 'b.tar.gz/node-a/var/log/kubelet.log'],
      ['node-b/var/log/kubelet.log.1', 'node-b/var/log/kubelet.log'],
      ['kubelet.1.log.gz', 'kubelet.1.log'],
    ];
    for (const [path, stream] of cases) expect(streamPathOf(path), path).toBe(stream);
  });
});
