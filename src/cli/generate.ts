/**
 * `npm run generate -- <out-dir> [--scenario=io-storm-umount-bbolt|healthy|pleg-slow-relist|shim-umount-hung|cri-lock-contention|runtime-down|disk-pressure-eviction|container-oom-killed|node-memory-exhausted|cni-sandbox-failure|api-server-unreachable] [--seed=N] [--mb=10] [--zone=330] [--skew-ms=0] [--noise=0..1]`:
 * writes a generated node bundle to disk (for demos, the benchmark and trying the CLI).
 */
import { writeScenarioToDir } from '../core/scenarios/write-node';
import type { ScenarioOptions } from '../core/scenarios';

const argv = process.argv.slice(2);
const opt = (name: string, def: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def;
const out = argv.find((a) => !a.startsWith('--'));
if (!out) {
  process.stderr.write('usage: npm run generate -- <out-dir> [--scenario=io-storm-umount-bbolt|healthy|pleg-slow-relist|shim-umount-hung|cri-lock-contention|runtime-down|disk-pressure-eviction|container-oom-killed|node-memory-exhausted|cni-sandbox-failure|api-server-unreachable] [--seed=N] [--mb=10] [--zone=minutes] [--skew-ms=N] [--noise=0..1]\n');
  process.exit(2);
}
const opts: ScenarioOptions = {
  scenario: opt('scenario', 'io-storm-umount-bbolt') as ScenarioOptions['scenario'],
  seed: Number(opt('seed', '1')),
  targetBytes: Number(opt('mb', '10')) * 1_000_000,
  zoneOffsetMin: Number(opt('zone', '0')),
  skewUs: Number(opt('skew-ms', '0')) * 1000,
  noise: Number(opt('noise', '0')),
};
writeScenarioToDir(opts, out).then((r) => {
  process.stdout.write(`wrote ${r.files.length} files, ${r.bytes} bytes to ${out}\n`);
}, (err: unknown) => {
  process.stderr.write(`generate: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
