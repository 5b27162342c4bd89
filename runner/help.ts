// --help for every CLI of the project: one aligned line per flag (flag and value, description,
// default), drawn from the CLI's own flag table.

export interface FlagDoc {
  type: 'string' | 'boolean';
  /** Placeholder for the value in --help (`N`, `DIR`). */
  value?: string;
  description: string;
  /** The default as shown to people (parseArgs' own `default` is not always what a user sees). */
  shown?: string;
}

export function flagLines(flags: Record<string, FlagDoc>): string[] {
  const rows = Object.entries(flags).map(([name, f]) => [`--${name}${f.value ? ` ${f.value}` : ''}`, f.description, f.shown ? `(default: ${f.shown})` : '']);
  const w = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([f, d, def]) => `  ${f.padEnd(w)}  ${d}${def ? ` ${def}` : ''}`);
}
