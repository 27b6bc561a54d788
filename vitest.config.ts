import { execSync } from 'node:child_process';
import { defineConfig } from 'vitest/config';

/**
 * Property and fuzz tests draw their cases from one seed: FC_SEED when given (to replay a failure),
 * else one derived from the checked-out commit, so a CI run and a local run of the same commit draw
 * the same cases and a red run can be replayed; each new commit draws new ones. Outside a git
 * checkout it is random. `npm run fuzz` and FC_RUNS hunt further.
 */
function propertySeed(): number {
  if (process.env.FC_SEED) return Number(process.env.FC_SEED);
  try {
    const head = execSync('git rev-parse HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    return parseInt(head.slice(0, 8), 16) % 2 ** 31;
  } catch {
    return Date.now() % 2 ** 31;
  }
}

process.env.FC_SEED = String(propertySeed());

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'bench/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30000,
    setupFiles: ['fuzz/seed-setup.ts'],
  },
});
