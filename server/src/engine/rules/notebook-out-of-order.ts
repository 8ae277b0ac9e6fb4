import { defineRule } from '../rule';
import { cellLabel, isMaskedMagic, isPythonBodyCellMagic, type CellSpan, type NotebookProgram } from '../notebook';
import type { SyntaxNode } from '../parser';
import type { SemanticModel } from '../semantic';
import { namesIn } from '../dataflow';
import { descendants } from '../tree-queries';
import { SEED_FUNCTIONS } from '../knowledge';

export default defineRule({
  name: 'notebook-out-of-order',
  category: 'reproducibility',
  severity: 'warning',
  summary: "The notebook's code cells were not run top to bottom, so its saved outputs come from a different program than the one on the page.",
  appliesTo: 'notebook',
  docs: {
    what: "Checks the execution counts of the notebook's non-empty code cells. It reports once, at the first cell that breaks the top-to-bottom order: a cell whose count is not higher than that of every cell above it, or a cell that never ran while a cell below it did and could change what that cell saw.",
    why: 'A notebook run out of order has outputs, plots and metrics that the code on the page does not produce: a cell further down defined a variable that an earlier cell used, a cell was edited after it ran, or a cell was skipped. The next person, or the job that turns the notebook into a pipeline, runs it top to bottom and gets different numbers or an error.',
    example:
      '# [3]  df = load()\n# [1]  import pandas as pd     <- ran before the cell above\n# [ ]  df = df.dropna()        <- never ran, while the next cell did\n# [4]  model.fit(df)',
    useInstead: 'Restart the kernel and run all cells (Kernel > Restart & Run All), then save: the counts read 1, 2, 3, … from top to bottom.',
    notes:
      "Empty and whitespace-only cells are ignored, and so is a cell that never ran and holds no Python (only comments, `%pip install …` or `!` shell lines): it leaves nothing in the kernel; so is a cell of `!` shell commands only, whenever it ran (`!curl … | sqlite3 data.db` run before the imports above it), unless a command reads Python values (`!python test.py -m {model_name}`). A cell that never ran and only restarts the kernel (`import IPython` then `IPython.Application.instance().kernel.do_shutdown(restart=True)`, the cell a Colab-style notebook runs after its installs) leaves nothing in the kernel either. A cell of comments only is ignored whether it ran or not, and so is `%%capture` (or `%%time`) above shell commands only. A skipped cell matters when running it first could change what a cell below it that ran saw: it binds, mutates or passes along a name such a cell reads (words in a magic line below count as names read), seeds a random generator, touches `os.environ` or calls `load_dotenv()`, calls a function the notebook defines (it may set globals) or holds a magic other than shell commands. A skipped `notebook_login()`, `get_ipython().system_raw(\'ollama serve &\')` or `model.push_to_hub(…)` that no cell below reads from is not reported. Markdown cells have no count. Gaps in the counts are fine (a cell that was run twice, or deleted); only a decrease, a repeat or a skipped cell with a later cell run breaks the order. Cells that never ran at the end of the notebook, and a notebook that never ran at all, are not flagged. When any non-empty cell's execution state is unknown (an editor that does not report execution summaries), the rule stays silent rather than guess. The range is the first line of the cell that breaks the order.",
  },
  create(context) {
    return {
      'file:end'() {
        const notebook = context.notebook;
        if (!notebook) return;
        const nonEmpty = notebook.cells.filter((cell) => cell.source.trim() !== '');
        if (nonEmpty.some((cell) => cell.executionCount === undefined)) return;
        // A notebook that never ran is not out of order (and a 2,000-cell one is left at once).
        if (!nonEmpty.some((cell) => typeof cell.executionCount === 'number')) return;
        // A cell that never ran and holds no Python (only comments, `%pip install …`, `!wget …`)
        // leaves nothing in the kernel that the outputs could depend on; nor does a cell of shell
        // commands only (`!curl … > data.db`), whenever it ran. Cells and top-level statements are
        // both in document order: one pass over each.
        const statements = context.root.namedChildren;
        // (`!python convert.py -m {model_name}` reads the kernel: IPython expands `{…}` and `$name`.)
        const shellAt = new Set(notebook.magics.filter((magic) => magic.kind === 'shell' && !/[{$]/.test(magic.text)).map((magic) => magic.start));
        const pythonBodyAt = new Set(
          notebook.magics.filter((magic) => magic.kind === 'cell-magic' && isPythonBodyCellMagic(magic.text)).map((magic) => magic.start),
        );
        let next = 0;
        /** What the cell holds: Python, shell commands only, other magics, or only comments. */
        const contents = (cell: CellSpan): 'python' | 'shell' | 'other' | 'nothing' => {
          // (A kernel restart and the IPython import it needs are not Python the outputs depend on.)
          while (next < statements.length && (statements[next]?.startIndex ?? 0) < cell.start) next++;
          let shell = false;
          let other = false;
          for (let i = next; i < statements.length; i++) {
            const node = statements[i];
            if (!node || node.startIndex >= cell.end) break;
            if (node.type === 'comment') continue;
            if (restartsKernel(node, context.model)) {
              other = true;
              continue;
            }
            if (!isMaskedMagic(notebook, node)) return 'python';
            if (shellAt.has(node.startIndex)) shell = true;
            // `%%capture` above `!pip install …` only hides the output of what it wraps.
            else if (!pythonBodyAt.has(node.startIndex)) other = true;
          }
          return other ? 'other' : shell ? 'shell' : 'nothing';
        };
        const cells = nonEmpty.filter((cell) => {
          const held = contents(cell);
          return held === 'python' || (held === 'other' && typeof cell.executionCount === 'number');
        });
        const broken = firstOutOfOrder(cells, skippedCellEffects(notebook, statements, context.model));
        if (!broken) return;
        const { cell, message } = broken;
        const leading = cell.source.search(/\S/);
        const lineEnd = cell.source.indexOf('\n', leading);
        const end = lineEnd === -1 ? cell.source.length : lineEnd;
        context.report({ start: cell.start + leading, end: cell.start + end, message });
      },
    };
  },
});

/**
 * `import IPython` (or `from IPython import …`) and `….kernel.do_shutdown(…)`, the statements of a
 * cell that restarts the kernel (`IPython.Application.instance().kernel.do_shutdown(restart=True)`,
 * `get_ipython().kernel.do_shutdown(True)`).
 */
function restartsKernel(node: SyntaxNode, model: SemanticModel): boolean {
  if (node.type === 'import_statement' || node.type === 'import_from_statement') {
    const modules = node.type === 'import_from_statement' ? [node.childForFieldName('module_name')] : node.childrenForFieldName('name');
    return modules.every((module) => {
      const name = module?.type === 'aliased_import' ? module.childForFieldName('name') : module;
      return name?.text === 'IPython';
    });
  }
  const call = node.type === 'expression_statement' ? node.namedChild(0) : undefined;
  return call?.type === 'call' && model.method(call)?.name === 'do_shutdown';
}

/** The first cell that breaks the top-to-bottom order, with why. */
function firstOutOfOrder(
  cells: readonly CellSpan[],
  mayChangeLater: (skipped: CellSpan, later: readonly CellSpan[]) => boolean,
): { cell: CellSpan; message: string } | undefined {
  const restart = 'restart the kernel and run all cells before saving';
  let highest = 0;
  let highestCell: CellSpan | undefined;
  // The cells that ran, in order, and the first of them below the cell looked at.
  const ran = cells.filter((cell) => typeof cell.executionCount === 'number');
  let nextRan = 0;
  for (let i = 0; i < cells.length; i++) {
    const count = cells[i].executionCount;
    if (count === null || count === undefined) {
      while (nextRan < ran.length && ran[nextRan].index <= cells[i].index) nextRan++;
      const later = ran[nextRan];
      if (later && mayChangeLater(cells[i], ran.slice(nextRan))) {
        return {
          cell: cells[i],
          message: `This cell never ran, but ${cellLabel(later)} below it did (execution count ${later.executionCount}): the saved outputs do not come from the code on the page; ${restart}`,
        };
      }
      continue;
    }
    if (count <= highest) {
      const above = highestCell ? cellLabel(highestCell) : 'the cell';
      return {
        cell: cells[i],
        message:
          count === highest
            ? `This cell and ${above} above it both show execution count [${count}]: the counts were edited or the outputs come from different sessions, so they may not come from the code on the page; ${restart}`
            : `This cell ran as [${count}], not after ${above} above it, which ran as [${highest}]: the notebook was not run top to bottom, so its outputs may not come from the code on the page; ${restart}`,
      };
    }
    highest = count;
    highestCell = cells[i];
  }
  return undefined;
}

/**
 * Whether running `skipped` (a cell that never ran) first could change what the cells below it
 * that did run saw: it binds, mutates or passes along a name one of them reads, seeds a random
 * generator, touches the process environment, or calls a function the notebook defines (which may
 * set globals) or a magic mlready cannot read. A cell that only calls imported functions for their
 * effect outside the kernel (`notebook_login()`, `get_ipython().system_raw("ollama serve &")`) or
 * touches names nothing below reads does not: the saved outputs below come from the code on the
 * page either way.
 */
function skippedCellEffects(notebook: NotebookProgram, statements: readonly SyntaxNode[], model: SemanticModel) {
  // Top-level statements by cell, in one pass (both are in document order), made when a cell
  // was skipped: most notebooks that ran have none, and this runs on every keystroke.
  let byCell: Map<CellSpan, SyntaxNode[]> | undefined;
  const statementsOf = (cell: CellSpan): readonly SyntaxNode[] => {
    if (!byCell) {
      byCell = new Map();
      let next = 0;
      for (const each of notebook.cells) {
        while (next < statements.length && (statements[next]?.startIndex ?? 0) < each.start) next++;
        const own: SyntaxNode[] = [];
        for (; next < statements.length && (statements[next]?.startIndex ?? 0) < each.end; next++) own.push(statements[next]);
        byCell.set(each, own);
      }
    }
    return byCell.get(cell) ?? [];
  };
  const reads = new Map<CellSpan, Set<string>>();
  const readBy = (cell: CellSpan): Set<string> => {
    let names = reads.get(cell);
    if (names) return names;
    names = new Set<string>();
    for (const statement of statementsOf(cell)) for (const name of namesIn(statement)) names.add(name);
    // A magic's text is IPython syntax: any word in it may name a kernel value (`%time fit(df)`).
    for (const magic of notebook.magics) {
      if (magic.start < cell.start || magic.start >= cell.end) continue;
      for (const word of magic.text.match(/[A-Za-z_]\w*/g) ?? []) names.add(word);
    }
    reads.set(cell, names);
    return names;
  };
  return (skipped: CellSpan, later: readonly CellSpan[]): boolean => {
    const touched = namesTouched(statementsOf(skipped), notebook, model);
    if (touched === 'anything') return true;
    return later.some((cell) => {
      const names = readBy(cell);
      for (const name of touched) if (names.has(name)) return true;
      return false;
    });
  };
}

/** The names a cell's statements bind, mutate or pass along, or `anything` when that cannot be told. */
function namesTouched(statements: readonly SyntaxNode[], notebook: NotebookProgram, model: SemanticModel): Set<string> | 'anything' {
  const touched = new Set<string>();
  for (const statement of statements) {
    if (statement.type === 'comment' || restartsKernel(statement, model)) continue;
    if (isMaskedMagic(notebook, statement)) return 'anything';
    // An imported function called by its bare name acts outside the names on the page
    // (`notebook_login()`), unless it changes state every cell sees (a seed, the environment).
    const importedCallees = new Set<number>();
    for (const call of descendants(statement, 'call')) {
      const callee = model.callee(call);
      if (callee && (SEED_FUNCTIONS.has(callee) || PROCESS_STATE_CALLS.has(callee))) return 'anything';
      const fn = call.childForFieldName('function');
      if (fn?.type !== 'identifier') continue;
      if (model.functionsNamed(fn.text).length > 0) return 'anything';
      if (callee) importedCallees.add(fn.id);
    }
    for (const identifier of descendants(statement, 'identifier')) {
      if (importedCallees.has(identifier.id)) continue;
      const parent = identifier.parent;
      if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === identifier.id) continue;
      if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === identifier.id) continue;
      // `os.environ[...] = …`, `os.getenv(…)`: the environment every client below reads.
      if (identifier.text === 'os' && model.qualifiedName(identifier) === 'os') return 'anything';
      touched.add(identifier.text);
    }
  }
  return touched;
}

/** Calls that change process-wide state every later cell sees (`load_dotenv()` fills `os.environ`). */
const PROCESS_STATE_CALLS: ReadonlySet<string> = new Set(['dotenv.load_dotenv', 'os.putenv', 'os.chdir']);
