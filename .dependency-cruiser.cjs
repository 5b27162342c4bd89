// The layers, each looking only down (see docs/architecture.md):
//
//   scripts     commands: argv -> options -> call -> exit code
//   reports     result files -> tables, charts, pages (reads the format layer only)
//   runner      collects: load generators, the cluster's processes, dispatch (both sides)
//   sim         the discrete-event simulator: the same pickers, modelled queues (beside runner)
//   servers     the worker apps under test
//   strategies  pure placement policies
//   format      the result document: schema, validation, files; error types
//
// Beside them, not in the stack:
//   perf        the tool's benchmarks of itself (npm run perf:*): may import every layer above, of
//               scripts/ only scripts/lib; no layer may import perf/ (tests may)
//
// `npm run deps` prints the violations; test/layers.test.ts fails on any.

/** What each layer may import of ours. */
const MAY_IMPORT = {
  format: [],
  strategies: ['format'],
  servers: ['format', 'strategies'],
  runner: ['format', 'strategies', 'servers'],
  reports: ['format'],
  sim: ['format', 'strategies', 'servers'],
  scripts: ['format', 'strategies', 'servers', 'runner', 'reports', 'sim'],
  perf: ['format', 'strategies', 'servers', 'runner', 'reports', 'sim', 'scripts'],
};
const LAYERS = Object.keys(MAY_IMPORT);

module.exports = {
  forbidden: [
    ...LAYERS.map((layer) => ({
      name: `${layer}-looks-down`,
      comment: `${layer}/ may import only ${MAY_IMPORT[layer].join(', ') || 'node and packages'} (of ours)`,
      severity: 'error',
      from: { path: `^${layer}/` },
      to: { path: `^(${[...LAYERS.filter((l) => l !== layer && !MAY_IMPORT[layer].includes(l)), 'test'].join('|')})/` },
    })),
    {
      name: 'perf-uses-scripts-lib-only',
      comment: 'perf/ may use the shared command code (scripts/lib), never a product command or entry point',
      severity: 'error',
      from: { path: '^perf/' },
      to: { path: '^scripts/', pathNot: '^scripts/lib/' },
    },
    {
      name: 'no-cycles',
      comment: 'a cycle makes two modules one; split what they share into a lower module',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'an import that does not resolve',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // TypeScript 7 has no compiler API, so swc parses the sources (type-only imports count too).
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    // test/fixtures/layers breaks the rules on purpose (test/layers.test.ts cruises it on its own).
    exclude: { path: '^(dist|node_modules|test/fixtures/layers)/' },
    // ESM packages (typebox, vega-lite) resolve through their "exports" import condition, as Node does.
    enhancedResolveOptions: { conditionNames: ['import', 'node', 'default'], exportsFields: ['exports'], mainFields: ['module', 'main', 'types'] },
  },
};
