import type { Pattern } from '../pattern';

/**
 * Pods stuck in ContainerCreating: the CNI plugin cannot set up their sandbox's network. One
 * pattern for every cause: the symptom, the lines and the first checks are the same whatever the
 * cause, and the cause is a fact of the failure itself (the plugin's error says it), so the
 * root-cause step names it instead of four patterns competing over the same lines.
 */
export const cniSandboxFailure: Pattern = {
  id: 'cni-sandbox-failure',
  title: 'Pod network setup failing (CNI): pods stuck in ContainerCreating',
  description:
    'Before a pod\'s containers start, the runtime creates its sandbox and calls the node\'s CNI plugin (ADD) to give it a network namespace, an interface and an IP address. When that call fails, kubelet logs CreatePodSandbox errors, retries with a back-off and the pod stays in ContainerCreating (events: FailedCreatePodSandBox). Pods already running keep their network. The plugin\'s error says why: its IP pool is exhausted (host-local ranges full, AWS ENIs without free addresses, Calico blocks used up), its node agent is down or unreachable (calico-node, aws-node/ipamd, cilium-agent, flanneld not running: no socket, no subnet.env, no nodename file), the plugin cannot reach or authenticate to the API server (an expired or rotated service-account token, a CA mismatch, the service IP unreachable), or its config in /etc/cni/net.d or its binary in /opt/cni/bin is missing (kubelet then reports NetworkPluginNotReady). Teardown (DEL) of the failed sandboxes often fails the same way.',
  steps: [
    { id: 'sandbox-failing', role: 'symptom', title: 'Pod sandboxes cannot get a network', explanation: '{plugin} could not set up the sandbox network of {pods} pod(s) (first {pod}; {count} failure line(s)): {reason}', query: { detector: 'network', kind: 'sandbox-failure' }, required: true, weight: 3, missingHint: 'no sandbox creation failures: add the kubelet journal (journalctl -u kubelet: CreatePodSandbox / "Failed to create sandbox for pod") and the containerd journal (RunPodSandbox … failed)' },
    { id: 'cause', role: 'root-cause', title: 'Why the CNI plugin fails', explanation: 'Cause: {cause} ({plugin}): {reason}', query: { detector: 'network', kinds: ['sandbox-failure', 'agent-error', 'network-not-ready'], where: [{ fact: 'cause', op: 'in', value: ['ip-exhausted', 'agent-unreachable', 'api-access', 'config-missing'] }] }, required: false, weight: 2.5, missingHint: 'the plugin\'s error names no known cause: add the CNI agent\'s log (kubectl -n kube-system logs of the aws-node / calico-node / cilium / kube-flannel pod on this node) and the containerd journal' },
    { id: 'network-not-ready', role: 'symptom', title: 'kubelet reports the runtime network not ready', explanation: 'kubelet reported NetworkReady=false for {seconds} s ({count} line(s)): {reason}', query: { detector: 'network', kind: 'network-not-ready', where: [{ fact: 'startup', op: 'eq', value: false }] }, required: false, weight: 0.75, missingHint: 'no "Container runtime network not ready" lines: the plugin\'s config was present; add the kubelet journal to be sure' },
    { id: 'agent', role: 'resource', title: 'The CNI agent\'s own errors', explanation: '{agent} logged {count} error(s) ({cause}): {reason}', query: { detector: 'network', kind: 'agent-error' }, required: false, weight: 0.75, missingHint: 'no CNI agent log: add the logs of the node\'s CNI DaemonSet pod (/var/log/pods/kube-system_aws-node-*, calico-node, cilium, kube-flannel) or /var/log/aws-routed-eni/ipamd.log' },
    { id: 'teardown-failing', role: 'blocked-call', title: 'Sandbox networks cannot be torn down', explanation: '{plugin} could not tear down the network of {pods} sandbox pod(s) ({count} line(s)): {reason}', query: { detector: 'network', kind: 'teardown-failure' }, required: false, weight: 0.5, missingHint: 'no failed teardown (StopPodSandbox / "failed to destroy network for sandbox"): add the kubelet and containerd journals' },
  ],
  links: [
    { from: 'cause', to: 'sandbox-failing', relation: 'overlaps', seconds: 300 },
    { from: 'network-not-ready', to: 'sandbox-failing', relation: 'overlaps', seconds: 600 },
    { from: 'agent', to: 'sandbox-failing', relation: 'overlaps', seconds: 600 },
    { from: 'teardown-failing', to: 'sandbox-failing', relation: 'overlaps', seconds: 600 },
  ],
  absent: [
    { id: 'runtime-down', title: 'the container runtime itself was down or restarting (nothing could be created, networked or not)', query: { detector: 'runtime', kinds: ['runtime-unavailable', 'runtime-restart'] }, penalty: 0.5, marginSeconds: 300 },
    { id: 'disk-full', title: 'the node\'s disk was full (sandbox and IPAM state cannot be written)', query: { detector: 'disk', kinds: ['disk-pressure', 'no-space'] }, penalty: 0.4, marginSeconds: 300 },
  ],
  remedy: {
    text:
      'Read the cause in the plugin\'s error, then check the node\'s CNI pieces in this order. Agent down or unreachable: the CNI DaemonSet pod on this node (aws-node, calico-node, cilium, kube-flannel) must be Running and Ready; its logs say why it is not (it often cannot reach the API server itself). API access: the plugin authenticates with the agent\'s service-account token written into its kubeconfig (Calico: /etc/cni/net.d/calico-kubeconfig); restart the agent pod so it writes a fresh token, and check the cluster CA and that the kubernetes service IP is reachable from the host. IP pool exhausted: pods hold addresses the range no longer has; host-local keeps one file per address under /var/lib/cni/networks/<network>/ and leaks them when teardown failed (remove the files whose container id no sandbox has); widen the node\'s pod CIDR or the IP pool, and keep max-pods within what the node can address (AWS VPC CNI: ENIs × IPs per ENI, WARM_IP_TARGET / MINIMUM_IP_TARGET / prefix delegation, a subnet with free addresses). Config or binary missing: /etc/cni/net.d must hold the plugin\'s conflist and /opt/cni/bin its binaries; both are installed by the DaemonSet\'s install-cni init container, so a missing file usually means that pod has not run on this node (bootstrap). Failed pods retry by themselves once the plugin works; delete those stuck in a long back-off.',
    snippets: [
      { title: 'Pods and sandboxes on the node', language: 'sh', code: 'crictl pods --state NotReady\ncrictl inspectp <pod-sandbox-id> | less\njournalctl -u kubelet --since -30m | grep -E "CreatePodSandbox|network for sandbox|NetworkPluginNotReady"\njournalctl -u containerd --since -30m | grep -E "RunPodSandbox|network for sandbox|cni"' },
      { title: 'The CNI DaemonSet pod on this node', language: 'sh', code: 'NODE=<node-name>\nkubectl -n kube-system get pods -o wide --field-selector spec.nodeName=$NODE\nkubectl -n kube-system logs <aws-node|calico-node|cilium|kube-flannel pod> --all-containers --tail=200\nkubectl get events -A --field-selector reason=FailedCreatePodSandBox' },
      { title: 'CNI config, binaries and IPAM state', language: 'sh', code: 'ls -l /etc/cni/net.d /opt/cni/bin\ncat /etc/cni/net.d/*.conflist\n# host-local IPAM: one file per allocated address, named by IP, holding the container id\nls /var/lib/cni/networks/*/ | wc -l\ngrep -L -F -f <(crictl pods -q) /var/lib/cni/networks/*/10.* 2>/dev/null   # addresses no sandbox holds\nkubectl get node $NODE -o jsonpath="{.spec.podCIDR} {.status.allocatable.pods}"' },
    ],
    references: [
      'https://kubernetes.io/docs/concepts/extend-kubernetes/compute-storage-net/network-plugins/',
      'https://kubernetes.io/docs/tasks/debug/debug-application/debug-pods/',
      'https://www.cni.dev/docs/spec/',
      'https://www.cni.dev/plugins/current/ipam/host-local/',
      'https://github.com/aws/amazon-vpc-cni-k8s/blob/master/docs/troubleshooting.md',
      'https://docs.tigera.io/calico/latest/operations/troubleshoot/troubleshooting',
    ],
  },
};
