// Number formatting shared by the terminal table and the Markdown report.

export const pct = (x: number): string => (x * 100).toFixed(1);
export const fixed = (x: number, d: number): string => x.toFixed(d);
export const maxMinText = (x: number | null): string => (x === null ? '∞' : x.toFixed(2));
export const sharesText = (shares: readonly number[]): string => shares.map(pct).join('/');
export const msText = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
