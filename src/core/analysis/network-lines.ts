// What one line says about pod networking (used by `network.ts`): a pod's sandbox whose network
// the CNI plugin could not set up (kubelet's CreatePodSandbox / "Failed to create sandbox" /
// "Error syncing pod" lines, containerd's RunPodSandbox failure, dockershim's "NetworkPlugin cni
// failed to set up pod"), a sandbox whose network could not be torn down (StopPodSandbox,
// KillPodSandbox, "failed to destroy network for sandbox"), the runtime's network not ready
// (NetworkPluginNotReady, "cni config uninitialized", "no network config found"), and the CNI
// agents' own errors (aws-node/ipamd, calico-node, cilium-agent, flanneld). The wording differs
// between kubelet, containerd and plugin versions: each test looks for the words every version
// keeps, after kubelet's quoting (`\"`, `\\\"`) is undone.

/** Why the plugin failed, by what the fix is. */
export type NetworkCause = 'ip-exhausted' | 'agent-unreachable' | 'api-access' | 'config-missing' | 'other';

export type NetworkLine =
  | { what: 'setup' | 'teardown'; plugin: string; cause: NetworkCause; reason: string; pod: string; sandbox: string }
  | { what: 'not-ready'; plugin: string; cause: NetworkCause; reason: string }
  | { what: 'agent'; plugin: string; cause: NetworkCause; reason: string };

/** Node agents of CNI plugins, by the origin their log file or container name gives, and the plugin type they serve. */
const AGENT_PLUGIN: Record<string, string> = {
  'aws-node': 'aws-cni', ipamd: 'aws-cni', 'aws-cni': 'aws-cni', 'calico-node': 'calico', calico: 'calico', 'cilium-agent': 'cilium-cni', cilium: 'cilium-cni',
  flanneld: 'flannel', 'kube-flannel': 'flannel', 'kube-router': 'kube-router',
};

const SETUP = /(?:failed to set ?up (?:network for )?sandbox|network for sandbox .{0,80}\bfailed \(add\)|CreatePodSandbox|RunPodSandbox|[Ff]ailed to create (?:pod )?sandbox|NetworkPlugin \w+ failed to set up pod|failed \(add\))/;
const TEARDOWN = /(?:failed to (?:destroy|tear ?down|teardown) (?:the )?(?:network|sandbox|pod)|KillPodSandbox|StopPodSandbox|NetworkPlugin \w+ failed on the status hook|failed to clean up sandbox container|failed \((?:delete|del)\))/i;
/** The network part of a sandbox error: without one, a sandbox failure is not the CNI's (a deadline, ENOSPC, a missing image). */
const CNI_WORDS = /network for sandbox|failed \((?:add|delete|del|check)\)|plugin type=|failed to find plugin|cni|CNI|NetworkPlugin|network plugin|IP address|no IP addresses|network is not ready|network not ready|Cilium|flannel|calico|aws-node|ipamd/;
const NOT_READY = /NetworkPluginNotReady|[Nn]etwork plugin (?:is )?not ready|network is not ready|runtime network not ready|cni config uninitiali[sz]ed|cni plugin not initiali[sz]ed|no network config found in|failed to load cni/;

const PLUGIN_TYPE = /plugin type="([\w.-]+)"/;
const PLUGIN_NAME = /\bname="([\w.-]+)"/;
const FIND_PLUGIN = /failed to find plugin "([\w.-]+)"/;

const IP_EXHAUSTED = /no IP addresses available|failed to allocate for range|failed to assign an IP address|no available IP|no free IP|range is full|[Ii][Pp] pool (?:is )?(?:exhausted|empty)|InsufficientFreeAddressesInSubnet|InsufficientCidrBlocks|no more free affine blocks|allocated only 0|out of IP addresses|ENI does not have available addresses|datastore has no available IP|DataStore has no available|IP allocation failed|failed to get an IP/;
/** The CNI plugin (or its agent) talking to the API server: unauthorized, forbidden, a bad certificate, or the server out of reach. */
const API_ACCESS = /[Uu]nauthorized|[Ff]orbidden|x509:|certificate|token (?:has )?expired|ClusterInformation|\b\d{1,3}\.\d{1,3}\.\d{1,3}\.1:443\b|kubernetes\.default|\bapiserver\b|api-server|API server|Kubernetes subsystem/;
const AGENT_UNREACHABLE = /unable to connect to Cilium daemon|cilium\.sock|[Ii]s the agent running|subnet\.env|calico\/nodename|\/var\/lib\/calico\/|calico\/node container is running|127\.0\.0\.1:50051|(?:connect to|reach) ipamd|ipamd (?:is )?(?:not running|unreachable|down)|connect: connection refused|connection refused|dial unix|transport is closing|code = Unavailable|i\/o timeout|context deadline exceeded/;
const CONFIG_MISSING = /failed to find plugin|cni config uninitiali[sz]ed|cni plugin not initiali[sz]ed|no network config found|failed to load cni|\/opt\/cni\/bin|\/etc\/cni\/net\.d|no valid networks found|exec: "[\w.-]+": executable file not found/;

/** Kubelet quotes errors inside errors: `\"`, `\\\"`; undone so one set of patterns reads every layer. */
function unquote(text: string): string {
  return text.indexOf('\\') === -1 ? text : text.replace(/\\+"/g, '"').replace(/\\\\/g, '\\');
}

export function networkLine(raw: string, origin: string): NetworkLine | null {
  const text = unquote(raw);
  const agentPlugin = AGENT_PLUGIN[origin];
  if (agentPlugin !== undefined) {
    return { what: 'agent', plugin: agentPlugin, cause: causeOf(text), reason: reasonOf(text) };
  }
  if (!CNI_WORDS.test(text)) return null;
  const plugin = pluginOf(text);
  const cause = causeOf(text);
  const reason = reasonOf(text);
  // Teardown first: a failed DEL is logged inside KillPodSandbox / StopPodSandbox errors that may also quote the pod's setup.
  if (TEARDOWN.test(text) && !/failed \(add\)|failed to set ?up/.test(text)) return { what: 'teardown', plugin, cause, reason, pod: podOf(text), sandbox: sandboxOf(text) };
  const pod = podOf(text);
  if (SETUP.test(text) || (pod !== '' && NOT_READY.test(text) && /Error syncing pod|syncing pod/.test(text))) return { what: 'setup', plugin, cause, reason, pod, sandbox: sandboxOf(text) };
  if (NOT_READY.test(text)) return { what: 'not-ready', plugin, cause, reason };
  return null;
}

/** The plugin type the error names; else what its words say (a Cilium daemon, flannel's subnet.env); `unknown` when nothing does. */
function pluginOf(text: string): string {
  const typed = PLUGIN_TYPE.exec(text)?.[1] ?? FIND_PLUGIN.exec(text)?.[1];
  if (typed) return typed;
  if (/Cilium|cilium/.test(text)) return 'cilium-cni';
  if (/flannel/.test(text)) return 'flannel';
  if (/calico|Calico/.test(text)) return 'calico';
  if (/aws-cni|ipamd|aws-node/.test(text)) return 'aws-cni';
  if (/range set|host-local/.test(text)) return 'host-local';
  const named = /NetworkPlugin (\w+) failed/.exec(text)?.[1];
  if (named) return named;
  const name = PLUGIN_NAME.exec(text)?.[1];
  return name && !/^\w+-[a-z0-9]{5}$/.test(name) ? name : 'unknown';
}

export function causeOf(text: string): NetworkCause {
  if (IP_EXHAUSTED.test(text)) return 'ip-exhausted';
  // Before the agent's socket: "error getting ClusterInformation: … connection refused" is the API server refusing, not the agent.
  if (API_ACCESS.test(text)) return 'api-access';
  if (AGENT_UNREACHABLE.test(text)) return 'agent-unreachable';
  // flannel's subnet.env is written by flanneld: missing means the agent is not running, caught above.
  if (CONFIG_MISSING.test(text)) return 'config-missing';
  return 'other';
}

/**
 * The innermost error, templated so the same failure reads the same across pods and sandboxes:
 * the text after the last `failed (add):` / `desc =` / `error=` layer, ids and numbers masked.
 */
export function reasonOf(text: string): string {
  let t = text;
  const msg = /"msg":"((?:[^"\\]|\\.)*)"/.exec(t);
  const errJson = /"(?:err|error)":"((?:[^"\\]|\\.)*)"/.exec(t);
  if (errJson) t = errJson[1]!;
  else if (msg) t = msg[1]!;
  // Past a klog header, a journald prefix or logfmt's time and level.
  const header = /\.go:\d+\] |level=\w+ msg=/.exec(t);
  if (header) t = t.slice(header.index + header[0].length);
  // NetworkPluginNotReady's own text follows `message:`; a plugin's, its last `failed (add):`; a wrapped error's, its last `desc =`.
  for (const marker of ['message:', 'failed (add): ', 'failed (delete): ', 'failed (del): ', 'desc = ', 'error=', 'err=']) {
    const at = t.lastIndexOf(marker);
    if (at !== -1) t = t.slice(at + marker.length);
  }
  t = t.replace(/^"+/, '');
  // Drop the trailing fields of a kubelet line (pod="…" podUID=…) and closing quotes.
  t = t.replace(/"?\s+(?:pod|podUID|podSandboxID|pods?)=.*$/, '').replace(/["\]]+$/, '');
  t = t.replace(/sandbox "[0-9a-f]{12,64}"/g, 'sandbox "…"').replace(/\b[0-9a-f]{32,64}\b/g, '…').replace(/\b\d+\.\d+\.\d+\.\d+(?:\/\d+)?(?:-\d+\.\d+\.\d+\.\d+)?/g, '#ip').replace(/\b\d+(?:\.\d+)?\b/g, '#');
  return t.trim().slice(0, 200);
}

/** `ns/name`: kubelet's `pod="ns/name"`, klog JSON's pod object, `name_ns(uid)`, containerd's PodSandboxMetadata. */
export function podOf(text: string): string {
  const structured = /\bpod="([\w.-]+)\/([\w.-]+)"/.exec(text);
  if (structured) return `${structured[1]}/${structured[2]}`;
  const json = /"pod":\{"name":"([\w.-]+)","namespace":"([\w.-]+)"\}/.exec(text);
  if (json) return `${json[2]}/${json[1]}`;
  const meta = /PodSandboxMetadata\{Name:([\w.-]+),Uid:[\w-]*,Namespace:([\w.-]+)/.exec(text);
  if (meta) return `${meta[2]}/${meta[1]}`;
  const legacy = /"([a-z0-9][\w.-]*)_([a-z0-9][\w.-]*)\([0-9a-f-]{8,}\)"/.exec(text);
  if (legacy) return `${legacy[2]}/${legacy[1]}`;
  const calico = /Namespace="([\w.-]+)" Pod="([\w.-]+)"/.exec(text);
  if (calico) return `${calico[1]}/${calico[2]}`;
  return '';
}

function sandboxOf(text: string): string {
  return /sandbox "?([0-9a-f]{12,64})/.exec(text)?.[1] ?? /podSandboxID="([0-9a-f]{12,64})"/.exec(text)?.[1] ?? '';
}

export function isCniAgent(origin: string): boolean {
  return AGENT_PLUGIN[origin] !== undefined;
}
