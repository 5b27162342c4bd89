// Every load mode, by name. Adding a load mode: its form in format/loads.ts (settings, description
// for reports, comparable settings), one file here with its LoadDef, and one line in this table.
import type { LoadMode, LoadSettings } from '../../format/loads.js';
import { burst } from './burst.js';
import { churn } from './churn.js';
import { open } from './open.js';
import { sustained } from './sustained.js';
import type { LoadContext, LoadDef, LoadFlag, LoadRound } from './types.js';

export const LOADS: { readonly [M in LoadMode]: LoadDef<M> } = { burst, sustained, churn, open };

/**
 * The LoadDef of `s`'s mode. LOADS is keyed by mode, so LOADS[s.load] takes s's own variant;
 * TypeScript cannot correlate the two, so the def is seen as taking any mode's settings.
 */
export const loadDef = (s: LoadSettings): LoadDef<LoadMode> => LOADS[s.load] as unknown as LoadDef<LoadMode>;

/** Fire one round of the load `ctx.settings` describes. */
export const fireLoad = (ctx: LoadContext): Promise<LoadRound> => loadDef(ctx.settings).fire(ctx);

/** The modes a load flag applies to. */
export const modesOf = (flag: LoadFlag): LoadMode[] => (Object.keys(LOADS) as LoadMode[]).filter((m) => LOADS[m].flags.includes(flag));
