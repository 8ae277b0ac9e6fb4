import { defineRule } from '../rule';
import { cellLabel, isMaskedMagic, type CellSpan } from '../notebook';
import type { SyntaxNode } from '../parser';
import type { SemanticModel } from '../semantic';

export default defineRule({
  name: 'notebook-out-of-order',
  category: 'reproducibility',
  severity: 'warning',
  summary: "The notebook's code cells were not run top to bottom, so its saved outputs come from a different program than the one on the page.",
  appliesTo: 'notebook',
  docs: {
    what: "Checks the execution counts of the notebook's non-empty code cells. It reports once, at the first cell that breaks the top-to-bottom order: a cell whose count is not higher than that of every cell above it, or a cell that never ran while a cell below it did.",
    why: 'A notebook run out of order has outputs, plots and metrics that the code on the page does not produce: a cell further down defined a variable that an earlier cell used, a cell was edited after it ran, or a cell was skipped. The next person, or the job that turns the notebook into a pipeline, runs it top to bottom and gets different numbers or an error.',
    example:
      '# [3]  df = load()\n# [1]  import pandas as pd     <- ran before the cell above\n# [ ]  df = df.dropna()        <- never ran, while the next cell did\n# [4]  model.fit(df)',
    useInstead: 'Restart the kernel and run all cells (Kernel > Restart & Run All), then save: the counts read 1, 2, 3, … from top to bottom.',
    notes:
      "Empty and whitespace-only cells are ignored, and so is a cell that never ran and holds no Python (only comments, `%pip install …` or `!` shell lines): it leaves nothing in the kernel; so is a cell of `!` shell commands only, whenever it ran (`!curl … | sqlite3 data.db` run before the imports above it), unless a command reads Python values (`!python test.py -m {model_name}`). A cell that never ran and only restarts the kernel (`import IPython` then `IPython.Application.instance().kernel.do_shutdown(restart=True)`, the cell a Colab-style notebook runs after its installs) leaves nothing in the kernel either. Markdown cells have no count. Gaps in the counts are fine (a cell that was run twice, or deleted); only a decrease, a repeat or a skipped cell with a later cell run breaks the order. Cells that never ran at the end of the notebook, and a notebook that never ran at all, are not flagged. When any non-empty cell's execution state is unknown (an editor that does not report execution summaries), the rule stays silent rather than guess. The range is the first line of the cell that breaks the order.",
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
        let next = 0;
        /** What the cell holds: Python, shell commands only, or neither (comments, other magics). */
        const contents = (cell: CellSpan): 'python' | 'shell' | 'other' => {
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
            else other = true;
          }
          return shell && !other ? 'shell' : 'other';
        };
        const cells = nonEmpty.filter((cell) => {
          const held = contents(cell);
          return held === 'python' || (held === 'other' && typeof cell.executionCount === 'number');
        });
        const broken = firstOutOfOrder(cells);
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
function firstOutOfOrder(cells: readonly CellSpan[]): { cell: CellSpan; message: string } | undefined {
  const restart = 'restart the kernel and run all cells before saving';
  let highest = 0;
  let highestCell: CellSpan | undefined;
  for (let i = 0; i < cells.length; i++) {
    const count = cells[i].executionCount;
    if (count === null || count === undefined) {
      const later = cells.slice(i + 1).find((cell) => typeof cell.executionCount === 'number');
      if (later) {
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
