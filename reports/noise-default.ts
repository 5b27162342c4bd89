// Generated from docs/noise/shared-2core.json (npm run compare -- --aa, then `node dist/scripts/noise-default.js`): the
// noise profile two-run comparisons use without --noise. A test checks the two agree.
import type { NoiseProfile } from './noise.js';

export const DEFAULT_NOISE: NoiseProfile = {
  kind: 'cluster-sched-bench noise profile',
  version: 1,
  description: 'placeholder',
  created: '',
  k: 3,
  runs: [],
  separateRuns: 0,
  metrics: {},
  strategies: {},
};
