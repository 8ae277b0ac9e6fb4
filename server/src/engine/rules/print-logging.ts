import { defineRule } from '../rule';
import { keywordArgument } from '../calls';
import type { SyntaxNode } from '../parser';
import { decoratorsOf, functionName, inWithContext } from '../tree-queries';
import { CLI_FRAMEWORKS, LOGGING_MODULES, ML_STACK_MODULES, PRINT_LOGGING_DECORATORS } from '../knowledge';
import type { FileFact } from '../semantic';

const STANDARD_STREAMS = new Set(['sys.stdout', 'sys.stderr', 'sys.__stdout__', 'sys.__stderr__']);
/** Contexts that capture what `print` writes: the text is a value the program uses, not a log line. */
const STDOUT_CAPTURES = new Set(['contextlib.redirect_stdout', 'contextlib.redirect_stderr']);

/** Names of functions whose job is to print: `print_topics`, `show_results`, `display`, `pretty_print`, a demo (`run_demo`, `demo_with_examples`). */
const DISPLAY_FUNCTION = /^_*(print|show|display|pprint|pretty_?print|demo)(_|$)|_demo$/i;
/** Reading the keyboard: a program that asks its user at a terminal prints its answers there. */
const TERMINAL_INPUT = new Set(['builtins.input', 'getpass.getpass', 'builtins.raw_input']);

/**
 * The file reads the keyboard (`input()`, `getpass()`): a program that asks its user at a terminal
 * (a chat loop, a menu) shows its answers with `print`; its standard output is its interface. A
 * file-level fact, so a print statement keeps its finding between edits while the answer holds.
 */
const READS_KEYBOARD: FileFact<boolean> = {
  key: 'print-logging:reads-keyboard',
  make: (model) => model.calls.some((call) => TERMINAL_INPUT.has(model.callee(call) ?? '')),
  answer: (reads) => (reads ? '1' : '0'),
  signature: (reads) => (reads ? '1' : '0'),
};

export default defineRule({
  name: 'print-logging',
  category: 'observability',
  severity: 'info',
  scope: 'statement',
  summary: '`print()` in a script reports progress or results where a logger would give levels, timestamps and routing.',
  appliesTo: 'script',
  // (pytest captures a test's output and shows it only for a failing test.)
  skipTestModules: true,
  // ML code, and modules that already have a logger: a repository's own command-line tooling,
  // whose standard output is its product, imports neither (docs/real-code-audit.md).
  requiresImport: [...ML_STACK_MODULES, ...LOGGING_MODULES],
  docs: {
    what: 'Flags `print()` calls (and Python 2 `print` statements, including `print >>sys.stderr, ...`) in a Python script that is part of an ML project, one that imports a library of the ML stack (NumPy, pandas, scikit-learn, PyTorch, TensorFlow, an experiment tracker, a web or serving framework, an LLM SDK, ...), and in any script that already imports a logging library. Notebooks are not checked: there, printing a value is how you look at it.',
    why: 'In a scheduled job or a service, `print` output has no level (an error looks like a progress line), no timestamp, no module name, and goes wherever stdout happens to go: it cannot be silenced in tests, raised to DEBUG when something breaks, or routed to the log system the platform reads. A training run that printed its metrics leaves nothing a monitor can alert on. The `if __name__ == "__main__":` block of a command-line tool is no exception: in a pipeline that output is logging.',
    example: 'print("loaded", len(df), "rows")\nprint(f"epoch {epoch} loss {loss:.4f}")',
    useInstead:
      'import logging\n\nlogger = logging.getLogger(__name__)\n\nlogger.info("loaded %d rows", len(df))\nlogger.info("epoch %d loss %.4f", epoch, loss)',
    notes:
      "A script that imports neither the ML stack nor a logging library (a repository's table-of-contents generator, a notebook validator with an interactive menu, a command-line report whose text is its output) is not checked: its standard output is usually its product. A `print` inside `with contextlib.redirect_stdout(...)` is captured as a value, not logged, and is not flagged. `print(..., file=fh)` (and `print >>fh, ...`) that writes to a file handle is output, not logging, and is not flagged; printing to `sys.stdout` or `sys.stderr` is. A function or variable the file itself defines as `print` is not the builtin and is not flagged. A `print` inside a function named for showing text (`print_topics`, `show_results`, `display`, `pretty_print`) or for a demo (`run_demo`, `format_comparison_demo`), defined at module level or in a class, is that function's product and is not flagged; nor is any `print` of a script that reads the keyboard (`input()`, `getpass.getpass()`): a chat loop or a menu at a terminal shows its answers with `print`, its standard output is its interface; a closure so named inside another function (`print_loss_closure` in a training step) reports progress and is. A `print` inside a Prefect flow or task declared with `log_prints=True` (`@flow(log_prints=True)`, `@task(..., log_prints=True)`) goes to Prefect's run logger at INFO and is not flagged; without the flag it is. A `print` inside a command of a click or typer program (`@click.command()`, `@cli.command()`, typer's `@app.command()`) is the command's output, which a user or a shell reads (`RUN_ID=$(python predict.py get-best-run-id)`), and is not flagged. Unit-test modules (the files pytest collects, `test_*.py` and `*_test.py`, and modules that import a test framework) are not checked: pytest captures a test's output and shows it only when the test fails. No automatic fix: `print` joins its arguments with spaces while `logger.info` takes a format string, so the rewrite needs a human.",
    realCode:
      "On 26 public repositories (2026-12-02): 352 findings; precision 0.89 on 61 labelled (54 true positives), up from 0.45 when every script was checked (578 findings). The false positives left: a command printing a run id for shell scripts to capture, a setup script printing a new assistant's id, demos printing generated code or a profiler table, an alert service's deliberate stdout fallback, a library's ASCII banner. Reproduce: `scripts/audit-checkout.sh <mirrors> /tmp/audit-sw docs/audit/swallowed-error-repos.txt`, then `node --import tsx scripts/real-code-audit.ts /tmp/audit-sw --list docs/audit/swallowed-error-repos.txt --verdicts docs/audit/rules-sample.csv --rules print-logging` (verdicts in `docs/audit/rules-sample.csv`, method in `docs/real-code-audit.md`).",
  },
  create(context) {
    const { model } = context;
    const toFile = (target: SyntaxNode | undefined): boolean => {
      if (!target || target.type === 'none') return false;
      const name = model.qualifiedName(target);
      return !(name && STANDARD_STREAMS.has(name));
    };
    const capturedOutput = (node: SyntaxNode): boolean =>
      model.mentions('redirect_std') && inWithContext(node, (context) => context.type === 'call' && STDOUT_CAPTURES.has(model.callee(context) ?? ''));
    /**
     * Inside a function named for showing text (`print_topics`, `show_results`, `display`), defined at
     * module level or in a class: its output is what it is for. (A closure such as
     * `print_loss_closure` inside a training step reports progress: logging.)
     */
    const displays = (node: SyntaxNode): boolean => {
      const functions = model.enclosingFunctionsAt(node.startIndex);
      return functions.length === 1 && DISPLAY_FUNCTION.test(functionName(functions[0]));
    };
    /** Inside a Prefect flow or task run with `log_prints=True`: Prefect sends the `print` to its run logger. */
    const loggedByDecorator = (node: SyntaxNode): boolean =>
      model.mentions('log_prints') &&
      model
        .enclosingFunctionsAt(node.startIndex)
        .some((fn) =>
          decoratorsOf(fn).some(
            (decorator) =>
              decorator.type === 'call' &&
              PRINT_LOGGING_DECORATORS.has(model.callee(decorator) ?? '') &&
              keywordArgument(decorator, 'log_prints')?.type === 'true',
          ),
        );
    /**
     * Inside a command of a click or typer program (`@click.command()`, `@cli.command()`,
     * `@app.command()`): what it prints is the command's output, which a user or a shell reads
     * (`RUN_ID=$(python predict.py get-best-run-id)`).
     */
    const commandOutput = (node: SyntaxNode): boolean =>
      model.seenAnyModule(CLI_FRAMEWORKS) &&
      model.enclosingFunctionsAt(node.startIndex).some((fn) =>
        decoratorsOf(fn).some((decorator) => {
          const named = decorator.type === 'call' ? decorator.childForFieldName('function') : decorator;
          if (!named) return false;
          // A group's or app's `.command`, or click's own (`from click import command`).
          return (named.type === 'attribute' && named.childForFieldName('attribute')?.text === 'command') || model.qualifiedName(named) === 'click.command';
        }),
      );
    const interactive = (): boolean => {
      const reads = model.fileFact(READS_KEYBOARD);
      model.askedFact(READS_KEYBOARD, '', reads ? '1' : '0');
      return reads;
    };
    return {
      call(call) {
        if (model.callee(call) !== 'builtins.print') return;
        if (interactive()) return;
        if (toFile(keywordArgument(call, 'file'))) return;
        if (capturedOutput(call)) return;
        if (displays(call)) return;
        if (loggedByDecorator(call)) return;
        if (commandOutput(call)) return;
        context.report({ node: call, message: '`print` in a script: no level, timestamp or routing; use `logging` (`logger.info(...)`) instead' });
      },
      print_statement(statement) {
        const chevron = statement.namedChildren.find((child) => child?.type === 'chevron');
        if (chevron && toFile(chevron.namedChild(0) ?? undefined)) return;
        if (interactive()) return;
        if (capturedOutput(statement)) return;
        if (displays(statement)) return;
        if (loggedByDecorator(statement)) return;
        if (commandOutput(statement)) return;
        context.report({
          node: statement,
          message: '`print` statement in a script: no level, timestamp or routing; use `logging` (`logger.info(...)`) instead',
        });
      },
    };
  },
});
