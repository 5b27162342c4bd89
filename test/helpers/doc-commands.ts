// The commands the README and docs/ tell a user to type, read out of their code blocks, so a test
// can run each one (test/e2e/docs-examples.test.ts) and a stale command fails CI.
//
//   markdown -> fenced blocks (not js/ts/json ones) -> lines joined at a trailing `\`
//     -> `$ ` prompts dropped; a prompted line's following unprompted lines are its shown output
//     -> split at `&&`, `;`, `|` -> each part that calls this tool: npm run [-s] X [-- args],
//        npx cluster-sched-bench X args, cluster-sched-bench X args, csb X args
//   shell words: quotes, `# comments`, redirections (`> f`, `2>&1`) and leading `VAR=value` handled;
//   `$(npm run -s node:get -- 22)` becomes NODE_GET_22 (the caller decides what stands for it).

export interface DocCommand {
  /** Repository-relative file and 1-based line where the command starts. */
  file: string;
  line: number;
  /** As written (joined continuation lines). */
  text: string;
  /** The npm script or tool command: `bench`, `perf:sim`, `lint`. */
  script: string;
  args: string[];
  /** The output shown under a `$ ` prompted command, if any. */
  shownOutput?: string;
  /** Written as `npm run` (true) or as the installed command (false). */
  viaNpm: boolean;
}

export const NODE_GET_MARK = 'NODE_GET_';
const TOOL = /^(?:npx\s+)?(?:cluster-sched-bench|csb)$/;
/** A line that may call the tool (others, like a flag table's rows, are not read as shell). */
const COMMAND_START = /^(?:[A-Z_][A-Z0-9_]*=\S+\s+)*(?:npm|npx|csb|cluster-sched-bench)\s/;
const SKIP_LANGS = new Set(['js', 'javascript', 'ts', 'typescript', 'json', 'jsonc', 'yaml', 'yml', 'html', 'text']);

/** Shell words of one command line: quotes, comments, `$(node:get)` substitutions. Throws on what it cannot read. */
export function shellWords(line: string): string[][] {
  const commands: string[][] = [[]];
  let word: string | null = null;
  const push = (): void => {
    if (word !== null) commands[commands.length - 1].push(word);
    word = null;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '$' && line[i + 1] === '(') {
      const end = line.indexOf(')', i);
      if (end < 0) throw new Error(`unclosed $( in: ${line}`);
      const inner = line.slice(i + 2, end);
      const m = /node:get\s+--\s+(\d+)/.exec(inner);
      if (!m) throw new Error(`a command substitution this test cannot stand in for: $(${inner})`);
      word = (word ?? '') + NODE_GET_MARK + m[1];
      i = end;
    } else if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unclosed ${c} in: ${line}`);
      const inner = line.slice(i + 1, end);
      word = (word ?? '') + (c === '"' ? inner.replace(/\$\(npm run -s node:get -- (\d+)\)/g, `${NODE_GET_MARK}$1`) : inner);
      i = end;
    } else if (c === '#' && word === null) {
      break; // a comment
    } else if (/\s/.test(c)) {
      push();
    } else if ((c === '&' && line[i + 1] === '&') || c === ';' || (c === '|' && line[i + 1] !== '|')) {
      push();
      commands.push([]);
      if (c === '&') i++;
    } else {
      word = (word ?? '') + c;
    }
  }
  push();
  return commands.map(dropRedirections).filter((w) => w.length > 0);
}

/** `> file`, `>file`, `2>&1`, `< file` out; leading `VAR=value` assignments out. */
function dropRedirections(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (/^\d?>&\d$/.test(w)) continue;
    if (/^\d?>>?$|^<$/.test(w)) {
      i++;
      continue;
    }
    if (/^\d?>>?\S|^<\S/.test(w)) continue;
    out.push(w);
  }
  while (out.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(out[0])) out.shift();
  return out;
}

/** The tool command in `words`, or null when they call something else (git, curl, wrk). */
export function toolCommand(words: readonly string[]): { script: string; args: string[]; viaNpm: boolean } | null {
  if (words[0] === 'npm' && words[1] === 'run') {
    const rest = words.slice(2).filter((w, i) => !(i === 0 && (w === '-s' || w === '--silent')));
    const [script, ...more] = rest;
    if (script === undefined) return null;
    const dashes = more.indexOf('--');
    if (dashes > 0) throw new Error(`npm run ${script}: flags before -- go to npm, not the command: ${words.join(' ')}`);
    return { script, args: dashes === 0 ? more.slice(1) : more, viaNpm: true };
  }
  if (words[0] === 'npm' && words[1] === 'test') return { script: 'test', args: words.slice(words[2] === '--' ? 3 : 2), viaNpm: true };
  const start = words[0] === 'npx' ? 1 : 0;
  if (TOOL.test(words.slice(0, start + 1).join(' '))) {
    const [script = '', ...args] = words.slice(start + 1);
    return { script, args, viaNpm: false };
  }
  return null;
}

/** Every tool command in a markdown file's code blocks, in order. */
export function docCommands(markdown: string, file: string): DocCommand[] {
  const found: DocCommand[] = [];
  const lines = markdown.split(/\r?\n/);
  let lang: string | null = null; // inside a block: its language ('' for none)
  let last: DocCommand | undefined; // the last prompted command, collecting its output
  for (let i = 0; i < lines.length; i++) {
    const fence = /^\s*```(\w*)/.exec(lines[i]);
    if (fence) {
      lang = lang === null ? fence[1].toLowerCase() : null;
      last = undefined;
      continue;
    }
    if (lang === null || SKIP_LANGS.has(lang)) continue;
    const start = i;
    let text = lines[i];
    while (text.endsWith('\\') && i + 1 < lines.length) text = `${text.slice(0, -1)} ${lines[++i].trim()}`;
    const prompted = /^\s*\$ /.test(text);
    const bare = text.replace(/^\s*\$ /, '').trim();
    // A tool's output line (`cluster-sched-bench  run ...`) is not a command: two spaces after the name.
    const output = /^(?:cluster-sched-bench|csb) {2}/.test(bare) || (last !== undefined && !prompted);
    let words: string[][] = [];
    try {
      if (!output && COMMAND_START.test(bare)) words = shellWords(bare);
    } catch (err) {
      throw new Error(`${file}:${start + 1}: ${(err as Error).message}`);
    }
    const cmds = words.map(toolCommand).filter((c) => c !== null);
    if (cmds.length === 0) {
      if (last && !prompted) last.shownOutput = `${last.shownOutput ?? ''}${lines[i]}\n`;
      continue;
    }
    for (const c of cmds) found.push({ file, line: start + 1, text: bare, ...c });
    last = prompted ? found[found.length - 1] : undefined;
  }
  return found;
}
