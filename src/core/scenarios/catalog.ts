// Static pools the generator draws from: images, workloads, node naming styles.

export interface ImageSpec {
  ref: string;
  /** Compressed size in bytes (what containerd reports as `size`). */
  size: number;
}

export const PAUSE_IMAGE: ImageSpec = { ref: 'registry.k8s.io/pause:3.6', size: 301773 };

export const IMAGES: Record<string, ImageSpec> = {
  kubeProxy: { ref: 'registry.k8s.io/kube-proxy:v1.19.16', size: 49301251 },
  calicoNode: { ref: 'docker.io/calico/node:v3.25.1', size: 87620514 },
  calicoCni: { ref: 'docker.io/calico/cni:v3.25.1', size: 87914218 },
  calicoFlexvol: { ref: 'docker.io/calico/pod2daemon-flexvol:v3.25.1', size: 7167862 },
  coredns: { ref: 'registry.k8s.io/coredns:1.7.0', size: 13982350 },
  nodeExporter: { ref: 'quay.io/prometheus/node-exporter:v1.5.0', size: 11503914 },
  rbacProxy: { ref: 'quay.io/brancz/kube-rbac-proxy:v0.14.1', size: 22366416 },
  fluentBit: { ref: 'cr.fluentbit.io/fluent/fluent-bit:2.1.4', size: 31742903 },
  ingress: { ref: 'registry.k8s.io/ingress-nginx/controller:v1.8.0', size: 114325610 },
  nginx: { ref: 'docker.io/library/nginx:1.25.0', size: 67254512 },
  redis: { ref: 'docker.io/bitnami/redis:7.0.11-debian-11-r12', size: 37829107 },
  redisExporter: { ref: 'docker.io/oliver006/redis_exporter:v1.50.0', size: 8920331 },
  busybox: { ref: 'docker.io/library/busybox:1.36.1', size: 2219949 },
  checkout: { ref: 'registry.example.com/payments/checkout-api:2023.6.1', size: 182337410 },
  ledger: { ref: 'registry.example.com/payments/ledger-worker:4.12.0', size: 241003512 },
  migrate: { ref: 'registry.example.com/payments/db-migrate:4.12.0', size: 43110272 },
  frontend: { ref: 'registry.example.com/web/storefront:1.42.3', size: 96230118 },
  reports: { ref: 'registry.example.com/batch/report-gen:0.9.7', size: 310446290 },
  certManager: { ref: 'quay.io/jetstack/cert-manager-controller:v1.12.1', size: 19544183 },
  kubeStateMetrics: { ref: 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.9.2', size: 12406738 },
  promtail: { ref: 'docker.io/grafana/promtail:2.8.2', size: 72810559 },
  jaeger: { ref: 'docker.io/jaegertracing/jaeger-agent:1.46.0', size: 12160544 },
  elastic: { ref: 'docker.elastic.co/elasticsearch/elasticsearch:8.8.0', size: 737522104 },
};

export interface ContainerTemplate {
  name: string;
  image: keyof typeof IMAGES;
  /** HTTP probe port/path; undefined = no probe. */
  probe?: { port: number; path: string };
}

export interface PodTemplate {
  ns: string;
  base: string;
  kind: 'daemonset' | 'deployment' | 'statefulset' | 'job';
  init: ContainerTemplate[];
  containers: ContainerTemplate[];
  /** How many replicas may land on one node. */
  maxReplicas: number;
}

export const WORKLOADS: PodTemplate[] = [
  { ns: 'kube-system', base: 'kube-proxy', kind: 'daemonset', init: [], containers: [{ name: 'kube-proxy', image: 'kubeProxy' }], maxReplicas: 1 },
  {
    ns: 'calico-system',
    base: 'calico-node',
    kind: 'daemonset',
    init: [
      { name: 'flexvol-driver', image: 'calicoFlexvol' },
      { name: 'install-cni', image: 'calicoCni' },
    ],
    containers: [{ name: 'calico-node', image: 'calicoNode', probe: { port: 9099, path: '/readiness' } }],
    maxReplicas: 1,
  },
  { ns: 'kube-system', base: 'coredns', kind: 'deployment', init: [], containers: [{ name: 'coredns', image: 'coredns', probe: { port: 8181, path: '/ready' } }], maxReplicas: 2 },
  {
    ns: 'monitoring',
    base: 'node-exporter',
    kind: 'daemonset',
    init: [],
    containers: [
      { name: 'node-exporter', image: 'nodeExporter' },
      { name: 'kube-rbac-proxy', image: 'rbacProxy' },
    ],
    maxReplicas: 1,
  },
  { ns: 'logging', base: 'fluent-bit', kind: 'daemonset', init: [], containers: [{ name: 'fluent-bit', image: 'fluentBit', probe: { port: 2020, path: '/api/v1/health' } }], maxReplicas: 1 },
  {
    ns: 'ingress-nginx',
    base: 'ingress-nginx-controller',
    kind: 'deployment',
    init: [],
    containers: [{ name: 'controller', image: 'ingress', probe: { port: 10254, path: '/healthz' } }],
    maxReplicas: 1,
  },
  {
    ns: 'payments',
    base: 'checkout-api',
    kind: 'deployment',
    init: [{ name: 'db-migrate', image: 'migrate' }],
    containers: [{ name: 'checkout-api', image: 'checkout', probe: { port: 8080, path: '/healthz' } }],
    maxReplicas: 3,
  },
  {
    ns: 'payments',
    base: 'ledger-worker',
    kind: 'deployment',
    init: [{ name: 'wait-for-db', image: 'busybox' }],
    containers: [
      { name: 'ledger-worker', image: 'ledger', probe: { port: 9000, path: '/live' } },
      { name: 'jaeger-agent', image: 'jaeger' },
    ],
    maxReplicas: 2,
  },
  {
    ns: 'web',
    base: 'storefront',
    kind: 'deployment',
    init: [],
    containers: [
      { name: 'storefront', image: 'frontend', probe: { port: 3000, path: '/api/health' } },
      { name: 'nginx', image: 'nginx', probe: { port: 80, path: '/nginx-health' } },
    ],
    maxReplicas: 3,
  },
  {
    ns: 'cache',
    base: 'redis',
    kind: 'statefulset',
    init: [{ name: 'volume-permissions', image: 'busybox' }],
    containers: [
      { name: 'redis', image: 'redis' },
      { name: 'metrics', image: 'redisExporter' },
    ],
    maxReplicas: 1,
  },
  { ns: 'cert-manager', base: 'cert-manager', kind: 'deployment', init: [], containers: [{ name: 'cert-manager-controller', image: 'certManager' }], maxReplicas: 1 },
  {
    ns: 'monitoring',
    base: 'kube-state-metrics',
    kind: 'deployment',
    init: [],
    containers: [{ name: 'kube-state-metrics', image: 'kubeStateMetrics', probe: { port: 8080, path: '/healthz' } }],
    maxReplicas: 1,
  },
  { ns: 'logging', base: 'promtail', kind: 'daemonset', init: [], containers: [{ name: 'promtail', image: 'promtail', probe: { port: 3101, path: '/ready' } }], maxReplicas: 1 },
  { ns: 'batch', base: 'report-gen', kind: 'job', init: [{ name: 'fetch-config', image: 'busybox' }], containers: [{ name: 'worker', image: 'reports' }], maxReplicas: 2 },
  {
    ns: 'search',
    base: 'elasticsearch-data',
    kind: 'statefulset',
    init: [{ name: 'sysctl', image: 'busybox' }],
    containers: [{ name: 'elasticsearch', image: 'elastic', probe: { port: 9200, path: '/_cluster/health' } }],
    maxReplicas: 1,
  },
];

export interface NodeStyle {
  hostname(rng: { int(lo: number, hi: number): number; alnum(n: number): string; hex(n: number): string }): string;
  kernel: string;
  device: string;
  cpus: number[];
}

export const NODE_STYLES: NodeStyle[] = [
  {
    hostname: (r) => `ip-10-${r.int(0, 31)}-${r.int(0, 255)}-${r.int(1, 254)}`,
    kernel: '5.15.0-1034-aws',
    device: 'nvme0n1',
    cpus: [4, 8, 16],
  },
  {
    hostname: (r) => `k8s-worker-${String(r.int(1, 60)).padStart(2, '0')}`,
    kernel: '5.15.0-73-generic',
    device: 'vda',
    cpus: [4, 8],
  },
  {
    hostname: (r) => `aks-nodepool1-${r.int(10000000, 99999999)}-vmss${String(r.int(0, 40)).padStart(6, '0')}`,
    kernel: '5.15.0-1038-azure',
    device: 'sda',
    cpus: [4, 8, 16],
  },
  {
    hostname: (r) => `gke-prod-default-pool-${r.hex(8)}-${r.alnum(4)}`,
    kernel: '5.15.107+',
    device: 'sda',
    cpus: [4, 8],
  },
  {
    hostname: (r) => `node-${String(r.int(1, 30)).padStart(2, '0')}`,
    kernel: '5.15.0-72-generic',
    device: 'nvme0n1',
    cpus: [8, 16, 32],
  },
];
