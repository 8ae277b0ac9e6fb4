import { defineRule } from '../rule';
import { pinnedSpec } from '../requirements';

/** `pip install`, `pip3 install`, `python -m pip install`, `uv pip install`, `conda`/`mamba install`. */
const INSTALL =
  /^(?:(?:python3?(?:\.\d+)?|\S*\/python3?(?:\.\d+)?|\{sys\.executable\}|\$\{?sys\.executable\}?)\s+-m\s+pip|uv\s+pip|pip3?(?:\.\d+)?|conda|mamba|micromamba)\s+install\b(.*)$/;
const SHELL_CELLS = /^\s*%%(?:bash|sh|script\s+(?:ba)?sh)\b/;

/** Installing from a requirements or lock file, or the project itself, is the fix, not the problem. */
function installsFromFile(args: string, tool: 'pip' | 'conda'): boolean {
  // (`.`, or `..` and `../..` from a notebook in a subfolder of the project; an extra: `..[zeno]`.)
  const project = /(?:^|\s)(?:-e\s+|--editable\s+)?\.\.?(?:\/\.\.)*\/?(?:\[[^\]]*\])?(?:\s|$)/.test(args);
  if (tool === 'conda') return project || /(?:^|\s)--file(?:\s|=)/.test(args);
  // (pip's `-c` is a constraints file; conda's is a channel.)
  return project || pipOptions(words(args)).some(({ name }) => PIP_FILE_OPTIONS.has(name));
}

/** The install line's words, quotes around a word dropped. */
function words(args: string): string[] {
  return args
    .trim()
    .split(/\s+/)
    .filter((word) => word !== '')
    .map((word) => word.replace(/^["']|["']$/g, ''));
}

const PIP_FILE_OPTIONS = new Set(['-r', '--requirement', '-c', '--constraint']);
/** pip's one-letter options that take a value (`-r FILE`, `-i URL`). */
const PIP_VALUED_LETTERS = new Set(['r', 'c', 'e', 'i', 'f', 't']);

/**
 * pip's options among `words`, read as pip's option parser (optparse) reads them: one-letter
 * options may be grouped, the first that takes a value taking the rest of the group or the next
 * word (`-qr requirements.txt` is `-q -r requirements.txt`, `-rreq.txt` is `-r req.txt`), and a
 * long option's value follows `=` or comes as the next word.
 */
function pipOptions(words: readonly string[]): { name: string; value?: string }[] {
  const options: { name: string; value?: string }[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word.startsWith('--')) {
      const equals = word.indexOf('=');
      if (equals > 0) options.push({ name: word.slice(0, equals), value: word.slice(equals + 1) });
      else options.push({ name: word, value: VALUED_OPTIONS.has(word) || PIP_FILE_OPTIONS.has(word) ? words[++i] : undefined });
    } else if (word.startsWith('-') && word.length > 1) {
      for (let k = 1; k < word.length; k++) {
        const letter = word[k];
        if (!PIP_VALUED_LETTERS.has(letter)) {
          options.push({ name: `-${letter}` });
          continue;
        }
        options.push({ name: `-${letter}`, value: k + 1 < word.length ? word.slice(k + 1) : words[++i] });
        break;
      }
    }
  }
  return options;
}

/** pip's and conda's options that take a value (`-i URL`), whose value is not a package. */
const VALUED_OPTIONS = new Set([
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '-t',
  '--target',
  '--prefix',
  '--root',
  '-c',
  '--channel',
  '-n',
  '--name',
  '-p',
]);

/**
 * Verdicts of `allPinned` by install line: the rule runs after every keystroke in a notebook, and
 * pip-requirements-js takes tens of microseconds per specifier. Emptied when it holds 512.
 */
const pinnedMemo = new Map<string, boolean>();
/** More packages than this on one line are not read (a crafted 1 MB line of 60,000 specifiers took 4 s): the line is not called pinned. */
const MAX_PACKAGES = 64;

/** True when every package the install names is pinned to one version (`xgboost==2.0.3`; conda's `xgboost=2.0.3`). */
function allPinned(args: string, tool: 'pip' | 'conda'): boolean {
  const key = `${tool} ${args}`;
  let pinned = pinnedMemo.get(key);
  if (pinned === undefined) {
    if (pinnedMemo.size >= 512) pinnedMemo.clear();
    pinnedMemo.set(key, (pinned = readPinned(args, tool)));
  }
  return pinned;
}

function readPinned(args: string, tool: 'pip' | 'conda'): boolean {
  const line = words(args);
  const packages: string[] = [];
  for (let i = 0; i < line.length; i++) {
    const word = line[i];
    if (word.startsWith('-')) {
      if (VALUED_OPTIONS.has(word)) i++;
      continue;
    }
    packages.push(word);
    if (packages.length > MAX_PACKAGES) return false;
  }
  if (packages.length === 0) return false;
  return packages.every((spec) => (tool === 'conda' ? /^[\w.-]+==?[\w.+!-]+$/.test(spec) && !spec.includes('*') : pinnedSpec(spec).pinned));
}

export default defineRule({
  name: 'notebook-pip-install',
  category: 'reproducibility',
  severity: 'warning',
  summary: '`!pip install`, `%pip install` or `!conda install` inside a notebook instead of a pinned requirements or lock file.',
  appliesTo: 'notebook',
  docs: {
    what: "Flags each package installation inside a notebook: `!pip install`, `%pip install`, `!python -m pip install`, `!uv pip install`, `!conda install`/`%conda install` (and `mamba`), `pip install` written without `%` (IPython's automagic runs it as `%pip`), and `pip install` lines in a `%%bash` cell.",
    why: 'An install in a cell records neither the versions that were actually installed nor the environment the notebook ran in: the next run resolves to whatever is newest that day, results drift, and the code that moves to production has no requirements file to build its image from. Dependencies belong in a pinned `requirements.txt`, `pyproject.toml` lock or `environment.yml` that CI and the serving image install from.',
    example: '!pip install xgboost pandas\n%pip install -q "scikit-learn>=1.3"',
    useInstead:
      '# requirements.txt (pinned, e.g. with pip-compile or uv lock):\n#   xgboost==2.0.3\n#   pandas==2.2.2\n#   scikit-learn==1.4.2\n# then, once per environment: pip install -r requirements.txt',
    notes:
      'Installing from a requirements, constraints or lock file (`%pip install -r requirements.txt`) or installing the project itself (`%pip install -e .`, or `-e ..` and `-e "..[extra]"` from a notebook in a subfolder) ties the notebook to the pinned dependencies and is not flagged. A pinned single package (`!pip install xgboost==2.0.3`) is still flagged: the pin lives in the notebook, not where the deployment reads it. Installs run through `subprocess` from Python code are not magics and are not flagged. The range is the magic line.',
  },
  create(context) {
    return {
      'file:end'() {
        const notebook = context.notebook;
        if (!notebook) return;
        // The `%%` header of the cell-magic cell being walked, and where that cell ends.
        let shellCellEnd = -1;
        for (const magic of notebook.magics) {
          let command: string | undefined;
          if (magic.kind === 'shell') command = magic.text.replace(/^!+\s*/, '');
          else if (magic.kind === 'line-magic') command = /^%?(pip|conda|mamba)\b/.test(magic.text) ? magic.text.replace(/^%/, '') : undefined;
          else if (magic.kind === 'cell-magic') {
            if (/^\s*%%/.test(magic.text)) {
              const cell = notebook.cells.find((span) => span.start <= magic.start && magic.start <= span.end);
              shellCellEnd = SHELL_CELLS.test(magic.text) && cell ? cell.end : -1;
            } else if (magic.start <= shellCellEnd) {
              command = magic.text;
            }
          }
          if (command === undefined) continue;
          const match = INSTALL.exec(command.trim());
          if (!match) continue;
          const tool = /conda|mamba/.test(command.trim().split(/\s+/)[0]) ? 'conda' : 'pip';
          const args = match[1].replace(/#.*$/, '');
          if (installsFromFile(args, tool)) continue;
          context.report({
            start: magic.start,
            end: magic.end,
            message: allPinned(args, tool)
              ? `\`${tool} install\` in a notebook: its pins live in the notebook, where neither CI nor the serving image reads them; move them to a requirements or lock file and install it once per environment`
              : `\`${tool} install\` in a notebook: the versions it installs are recorded nowhere and drift between runs; pin them in a requirements or lock file and install it once per environment`,
          });
        }
      },
    };
  },
});
