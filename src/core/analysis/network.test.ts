// The network detector over real-shaped lines of several CNI plugins (Calico, AWS VPC CNI, Cilium,
// flannel, bridge + host-local), kubelet's old and new wording, containerd's RunPodSandbox
// failures, NetworkPluginNotReady, teardown failures and the CNI agents' own logs, read through
// the real parsers and the tap.

import { describe, expect, it } from 'vitest';
import { detectNetwork } from './network';
import { causeOf, networkLine, podOf } from './network-lines';
import { runDetectors } from './index';
import { detectRuntime } from './runtime';
import { containerdLine, inputOf, kinds, kubeletLine } from './test-helpers';

const T0 = Date.UTC(2023, 5, 2, 5, 40, 0) * 1000;
const SEC = 1e6;
const SB = '4f2a0c1be7d94c1f8e0a6b3d2c1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e';
const q = (s: string): string => JSON.stringify(s);

const CALICO_ADD = `plugin type="calico" failed (add): error getting ClusterInformation: connection is unauthorized: Unauthorized`;
const AWS_ADD = 'plugin type="aws-cni" name="aws-cni" failed (add): add cmd: failed to assign an IP address to container';
const CILIUM_ADD = 'plugin type="cilium-cni" name="cilium" failed (add): unable to connect to Cilium daemon: failed to create cilium agent client after 30.000000 seconds timeout: Get "http:///var/run/cilium/cilium.sock/v1/config": dial unix /var/run/cilium/cilium.sock: connect: connection refused';
const FLANNEL_ADD = 'plugin type="flannel" failed (add): failed to load flannel \'subnet.env\' file: open /run/flannel/subnet.env: no such file or directory';
const HOST_LOCAL_ADD = 'plugin type="bridge" name="cbr0" failed (add): failed to allocate for range 0: no IP addresses available in range set: 10.244.1.1-10.244.1.254';
const MISSING_ADD = 'failed to find plugin "calico" in path [/opt/cni/bin]';

/** kubelet's three lines and containerd's for one failed attempt of pod ns/name. */
function attempt(us: number, ns: string, name: string, add: string): { kubelet: string[]; containerd: string[] } {
  const grpc = `rpc error: code = Unknown desc = failed to setup network for sandbox "${SB}": ${add}`;
  const ref = `${name}_${ns}(7d1c5a2e-0b7f-4c55-9d1e-3f3a1b2c4d5e)`;
  return {
    containerd: [containerdLine(us, 'error', `RunPodSandbox for &PodSandboxMetadata{Name:${name},Uid:7d1c5a2e-0b7f-4c55-9d1e-3f3a1b2c4d5e,Namespace:${ns},Attempt:0,} failed, error`, `error=${q(`failed to setup network for sandbox "${SB}": ${add}`)}`)],
    kubelet: [
      kubeletLine(us + 1000, 'E', 'remote_runtime.go:222', `"RunPodSandbox from runtime service failed" err=${q(grpc)}`),
      kubeletLine(us + 2000, 'E', 'kuberuntime_manager.go:1166', `"CreatePodSandbox for pod failed" err=${q(grpc)} pod="${ns}/${name}"`),
      kubeletLine(us + 3000, 'E', 'pod_workers.go:1298', `"Error syncing pod, skipping" err=${q(`failed to "CreatePodSandbox" for "${ref}" with CreatePodSandboxError: ${q(`Failed to create sandbox for pod ${q(ref)}: ${grpc}`)}`)} pod="${ns}/${name}" podUID=7d1c5a2e-0b7f-4c55-9d1e-3f3a1b2c4d5e`),
    ],
  };
}

async function analyse(add: string, pods: [string, string][]) {
  const kubelet: string[] = [];
  const containerd: string[] = [];
  pods.forEach(([ns, name], i) => {
    for (let n = 0; n < 3; n++) {
      const a = attempt(T0 + (i * 7 + n * 20) * SEC, ns, name, add);
      kubelet.push(...a.kubelet);
      containerd.push(...a.containerd);
    }
  });
  const input = await inputOf({ 'kubelet.log': `${kubelet.join('\n')}\n`, 'containerd.log': `${containerd.join('\n')}\n` });
  return { input, network: detectNetwork(input), all: runDetectors(input) };
}

describe('sandbox setup failures per plugin and cause', () => {
  it.each([
    ['calico', CALICO_ADD, 'api-access'],
    ['aws-cni', AWS_ADD, 'ip-exhausted'],
    ['cilium-cni', CILIUM_ADD, 'agent-unreachable'],
    ['flannel', FLANNEL_ADD, 'agent-unreachable'],
    ['bridge', HOST_LOCAL_ADD, 'ip-exhausted'],
    ['calico', MISSING_ADD, 'config-missing'],
  ])('%s: %s', { timeout: 20_000 }, async (plugin, add, cause) => {
    const { network, all } = await analyse(add, [['web', 'storefront-7d9f8c6b5d-x2x4q'], ['payments', 'checkout-api-0']]);
    const [f, ...more] = kinds(network, 'sandbox-failure');
    expect(more).toHaveLength(0);
    expect(f!.facts).toMatchObject({ plugin, cause, pods: 2, pod: 'web/storefront-7d9f8c6b5d-x2x4q', count: 24 });
    expect(String(f!.facts.podList)).toContain('payments/checkout-api-0');
    expect(String(f!.facts.reason)).not.toMatch(/[0-9a-f]{64}/);
    // The runtime detector does not count the CNI's refused dials as the runtime down, and problems does not list the cited lines.
    expect(all.filter((x) => x.kind === 'runtime-unavailable' || x.kind === 'cri-deadline')).toHaveLength(0);
    expect(all.filter((x) => x.detector === 'problems')).toHaveLength(0);
  });

  it('old kubelet wording names the pod as name_ns(uid)', { timeout: 20_000 }, async () => {
    const grpc = `rpc error: code = Unknown desc = failed to setup network for sandbox "${SB}": ${HOST_LOCAL_ADD}`;
    const ref = 'web-0_shop(0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0)';
    const input = await inputOf({
      'kubelet.log': [
        kubeletLine(T0, 'E', 'remote_runtime.go:116', `RunPodSandbox from runtime service failed: ${grpc}`),
        kubeletLine(T0 + 1000, 'E', 'kuberuntime_sandbox.go:68', `CreatePodSandbox for pod "${ref}" failed: ${grpc}`),
        kubeletLine(T0 + 2000, 'E', 'pod_workers.go:191', `Error syncing pod 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 ("${ref}"), skipping: failed to "CreatePodSandbox" for "${ref}" with CreatePodSandboxError: ${q(`CreatePodSandbox for pod "${ref}" failed: ${grpc}`)}`),
      ].join('\n') + '\n',
    });
    const [f] = kinds(detectNetwork(input), 'sandbox-failure');
    expect(f!.facts).toMatchObject({ plugin: 'bridge', cause: 'ip-exhausted', pod: 'shop/web-0', pods: 1, count: 3 });
  });
});

describe('network not ready and teardown', () => {
  it('NetworkPluginNotReady after start-up is a window; during kubelet start it is startup', { timeout: 20_000 }, async () => {
    const msg = '"Container runtime network not ready" networkReady="NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized"';
    const lines = [kubeletLine(T0, 'I', 'server.go:1', '"Started kubelet"')];
    for (let s = 5; s <= 30; s += 5) lines.push(kubeletLine(T0 + s * SEC, 'E', 'kubelet.go:2855', msg));
    for (let s = 900; s <= 1200; s += 5) lines.push(kubeletLine(T0 + s * SEC, 'E', 'kubelet.go:2855', msg));
    lines.push(kubeletLine(T0 + 1210 * SEC, 'E', 'pod_workers.go:1298', '"Error syncing pod, skipping" err="network is not ready: container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized" pod="web/storefront-0" podUID=1b2c'));
    const input = await inputOf({ 'kubelet.log': `${lines.join('\n')}\n` });
    const found = detectNetwork(input);
    const windows = kinds(found, 'network-not-ready');
    expect(windows.map((w) => w.facts.startup)).toEqual([true, false]);
    expect(windows[1]!.facts).toMatchObject({ cause: 'config-missing', reason: 'Network plugin returns error: cni plugin not initialized', count: 61 });
    expect(windows[1]!.severity).toBe('error');
    expect(kinds(found, 'sandbox-failure')[0]!.facts).toMatchObject({ pod: 'web/storefront-0', cause: 'config-missing' });
    // pleg's runtime-status is the runtime's, not the network's.
    expect(runDetectors(input).filter((f) => f.detector === 'pleg')).toHaveLength(0);
  });

  it('failed DEL: containerd and kubelet StopPodSandbox, the pod taken from the setup that named the sandbox', { timeout: 20_000 }, async () => {
    const del = 'plugin type="calico" failed (delete): error getting ClusterInformation: Get "https://10.96.0.1:443/apis/crd.projectcalico.org/v1/clusterinformations/default": x509: certificate has expired or is not yet valid';
    const a = attempt(T0, 'shop', 'web-0', CALICO_ADD);
    const stop = `rpc error: code = Unknown desc = failed to destroy network for sandbox "${SB}": ${del}`;
    const input = await inputOf({
      'kubelet.log': [...a.kubelet, kubeletLine(T0 + 20 * SEC, 'E', 'remote_runtime.go:205', `"StopPodSandbox from runtime service failed" err=${q(stop)} podSandboxID="${SB}"`)].join('\n') + '\n',
      'containerd.log': [...a.containerd, containerdLine(T0 + 19 * SEC, 'error', `Failed to destroy network for sandbox ${q(SB)}`, `error=${q(del)}`)].join('\n') + '\n',
    });
    const [t] = kinds(detectNetwork(input), 'teardown-failure');
    expect(t!.facts).toMatchObject({ plugin: 'calico', cause: 'api-access', pod: 'shop/web-0', count: 2 });
    expect(detectRuntime(input)).toHaveLength(0);
  });
});

describe('CNI agents\' own logs', () => {
  it('aws-node/ipamd JSON, calico-node felix text and cilium-agent logfmt', { timeout: 20_000 }, async () => {
    const iso = (s: number) => new Date((T0 + s * SEC) / 1000).toISOString();
    const input = await inputOf({
      'var/log/aws-routed-eni/ipamd.log': [
        `{"level":"info","ts":"${iso(0)}","caller":"ipamd/ipamd.go:420","msg":"Starting L-IPAMD v1.18.1"}`,
        `{"level":"error","ts":"${iso(10)}","caller":"datastore/data_store.go:682","msg":"DataStore has no available IP/Prefix addresses"}`,
        `{"level":"error","ts":"${iso(12)}","caller":"rpc/rpc.go:123","msg":"AssignPodIPv4Address: ENI does not have available addresses"}`,
      ].join('\n') + '\n',
      'calico-node.log': `${new Date((T0 + 20 * SEC) / 1000).toISOString().replace('T', ' ').slice(0, 23)} [ERROR][76] felix/daemon.go 311: Failed to get config from datastore error=connection is unauthorized: Unauthorized\n`,
      'cilium-agent.log': `time="${iso(30)}" level=error msg="Unable to contact k8s api-server" error="Get \\"https://10.96.0.1:443/api/v1/namespaces/kube-system\\": dial tcp 10.96.0.1:443: i/o timeout" subsys=k8s-client\n`,
    });
    const agents = kinds(detectNetwork(input), 'agent-error');
    const by = (agent: string) => agents.find((a) => a.facts.agent === agent);
    expect(by('ipamd')!.facts).toMatchObject({ plugin: 'aws-cni', cause: 'ip-exhausted', count: 2 });
    expect(by('cilium-agent')!.facts).toMatchObject({ plugin: 'cilium-cni', cause: 'api-access' });
  });
});

describe('line reading', () => {
  it('reads pods in every wording and classes causes', () => {
    expect(podOf('"pod":{"name":"web-0","namespace":"default"}')).toBe('default/web-0');
    expect(podOf('RunPodSandbox for &PodSandboxMetadata{Name:coredns-5d78c9869d-abcde,Uid:1-2,Namespace:kube-system,Attempt:1,} failed')).toBe('kube-system/coredns-5d78c9869d-abcde');
    expect(causeOf('error getting ClusterInformation: Get "https://10.96.0.1:443/...": dial tcp 10.96.0.1:443: connect: connection refused')).toBe('api-access');
    // The kubernetes Service is the first address of any service CIDR (EKS: 10.100.0.1, 172.20.0.1).
    expect(causeOf('level=fatal msg="Unable to initialize Kubernetes subsystem" error="Get \\"https://10.100.0.1:443/api/v1/nodes/ip-10-0-1-2\\": dial tcp 10.100.0.1:443: i/o timeout" subsys=daemon')).toBe('api-access');
    expect(causeOf('dial tcp 172.20.0.1:443: i/o timeout')).toBe('api-access');
    expect(causeOf('stat /var/lib/calico/nodename: no such file or directory: check that the calico/node container is running and has mounted /var/lib/calico/')).toBe('agent-unreachable');
    // ipamd naming itself in its own lines (its caller field) says nothing of it being unreachable.
    expect(causeOf('{"level":"warn","ts":"2024-06-02T03:48:08.126Z","caller":"ipamd/ipamd.go:1016","msg":"Failed to increase pool size due to not able to allocate ENI AllocENI: error attaching ENI: attachENI: failed to attach ENI:RequestLimitExceeded: Request limit exceeded."}')).toBe('other');
    expect(causeOf('add cmd: failed to connect to ipamd: rpc error: code = Unavailable')).toBe('agent-unreachable');
    expect(causeOf('add cmd: Error received from AddNetwork gRPC call: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial tcp 127.0.0.1:50051: connect: connection refused"')).toBe('agent-unreachable');
    expect(causeOf('unable to allocate IP via local cilium agent: [POST /ipam][502] postIpamFailure  range is full')).toBe('ip-exhausted');
    expect(causeOf('no network config found in /etc/cni/net.d: cni plugin not initialized')).toBe('config-missing');
    // A sandbox failure that is not the network's is not read.
    expect(networkLine('"CreatePodSandbox for pod failed" err="rpc error: code = DeadlineExceeded desc = context deadline exceeded" pod="a/b"', 'kubelet')).toBeNull();
    expect(networkLine('"StopPodSandbox from runtime service failed" err="rpc error: code = DeadlineExceeded desc = context deadline exceeded" podSandboxID="abc"', 'kubelet')).toBeNull();
  });
});
