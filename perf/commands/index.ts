// Every benchmark of the tool itself (npm run perf:*). A command's `name` is its npm script
// (package.json), and test/scripts/help.test.ts holds every one to that. The user commands are
// scripts/commands/index.ts (perf/ may not import them).
import type { Command } from '../../scripts/lib/command.js';
import { perfDispatch } from './dispatch.js';
import { perfOverhead } from './overhead.js';
import { perfPick } from './pick.js';
import { perfScale } from './scale.js';
import { perfSim } from './sim.js';
import { perfTails } from './tails.js';
import { perfVerdicts } from './verdicts.js';

export const PERF_COMMANDS: readonly Command<unknown>[] = [
  perfDispatch,
  perfOverhead,
  perfPick,
  perfScale,
  perfTails,
  perfVerdicts,
  perfSim,
];
