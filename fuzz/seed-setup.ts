// Vitest setup: every fast-check property of the unit run draws from the run's seed (vitest.config.ts).
import fc from 'fast-check';

fc.configureGlobal({ seed: Number(process.env.FC_SEED) });
