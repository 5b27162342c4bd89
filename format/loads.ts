// Every load mode as a result document knows it, one entry each: its settings (the schema), whether
// it steps by round or by second, how reports describe it, and which of its settings must match for
// two runs to be compared. How a mode fires, splits and times out is the runner's LoadDef
// (runner/load/); adding a mode is an entry here, a file there and a line in its LOADS table.
import Type, { type Static, type TObject } from 'typebox';

const Count = (description?: string) => Type.Integer({ minimum: 1, ...(description && { description }) });

interface LoadForm<T extends TObject> {
  readonly settings: T;
  /** Timed loads run one reconciled round of D seconds and are charted by second; the others by round. */
  readonly timed: boolean;
  /** The load in a few words: `burst 1000 x 20`. */
  describe(o: Static<T>): string;
  /** Its settings that must be equal for two runs to be compared (the others are recorded but unused). */
  readonly comparable: readonly Exclude<keyof Static<T>, 'load'>[];
}

const form = <T extends TObject>(f: LoadForm<T>): LoadForm<T> => f;

export const LOAD_FORMS = {
  burst: form({
    settings: Type.Object({ load: Type.Literal('burst'), connections: Count(), rounds: Count() }),
    timed: false,
    describe: (o) => `burst ${o.connections} x ${o.rounds}`,
    comparable: ['connections', 'rounds'],
  }),
  sustained: form({
    settings: Type.Object({ load: Type.Literal('sustained'), connections: Count(), rounds: Type.Literal(1), duration: Count() }),
    timed: true,
    describe: (o) => `sustained ${o.connections} connections for ${o.duration} s`,
    comparable: ['connections', 'duration'],
  }),
  churn: form({
    settings: Type.Object({ load: Type.Literal('churn'), connections: Count(), rounds: Type.Literal(1), duration: Count() }),
    timed: true,
    describe: (o) => `churn ${o.connections} connections for ${o.duration} s`,
    comparable: ['connections', 'duration'],
  }),
  open: form({
    settings: Type.Object({
      load: Type.Literal('open'),
      connections: Count('recorded but unused: the open loop is paced by rate'),
      rounds: Type.Literal(1),
      duration: Count(),
      rate: Count(),
    }),
    timed: true,
    describe: (o) => `open ${o.rate} req/s for ${o.duration} s`,
    comparable: ['rate', 'duration'],
  }),
};

export type LoadMode = keyof typeof LOAD_FORMS;
export const LOAD_MODES = Object.keys(LOAD_FORMS) as LoadMode[];

/** The load, keyed by mode: each mode carries exactly the settings it uses. */
export const LoadOptionsSchema = Type.Union([
  LOAD_FORMS.burst.settings,
  LOAD_FORMS.sustained.settings,
  LOAD_FORMS.churn.settings,
  LOAD_FORMS.open.settings,
]);
export type LoadOptions = Static<typeof LoadOptionsSchema>;
/** The settings of one load mode (`LoadSettings<'open'>` has `rate`). */
export type LoadSettings<M extends LoadMode = LoadMode> = Extract<LoadOptions, { load: M }>;

// LOAD_FORMS is keyed by mode, so LOAD_FORMS[o.load] is o's own form; TypeScript cannot correlate the two.
const formOf = (o: LoadOptions): LoadForm<TObject> => LOAD_FORMS[o.load] as unknown as LoadForm<TObject>;

/** The load in a few words: `burst 1000 x 20`, `sustained 100 connections for 10 s`, `open 400 req/s for 10 s`. */
export const loadText = (o: LoadOptions): string => formOf(o).describe(o);

/** Timed (one round of D seconds, charted by second) rather than rounds of requests. */
export const isTimed = (o: LoadOptions): boolean => formOf(o).timed;

/** The settings of `o`'s mode that must match another run's for a comparison. */
export const comparableSettings = (o: LoadOptions): readonly string[] => formOf(o).comparable as readonly string[];
