import { defineRule } from '../rule';
import { keywordArgument } from '../calls';
import type { SyntaxNode } from '../parser';

const STANDARD_STREAMS = new Set(['sys.stdout', 'sys.stderr', 'sys.__stdout__', 'sys.__stderr__']);

export default defineRule({
  name: 'print-logging',
  category: 'observability',
  severity: 'info',
  scope: 'statement',
  summary: '`print()` in a script reports progress or results where a logger would give levels, timestamps and routing.',
  appliesTo: 'script',
  docs: {
    what: 'Flags every `print()` call in a Python script (Python 2 `print` statements too, including `print >>sys.stderr, ...`). Notebooks are not checked: there, printing a value is how you look at it.',
    why: 'In a scheduled job or a service, `print` output has no level (an error looks like a progress line), no timestamp, no module name, and goes wherever stdout happens to go: it cannot be silenced in tests, raised to DEBUG when something breaks, or routed to the log system the platform reads. A training run that printed its metrics leaves nothing a monitor can alert on. The `if __name__ == "__main__":` block of a command-line tool is no exception: in a pipeline that output is logging.',
    example: 'print("loaded", len(df), "rows")\nprint(f"epoch {epoch} loss {loss:.4f}")',
    useInstead:
      'import logging\n\nlogger = logging.getLogger(__name__)\n\nlogger.info("loaded %d rows", len(df))\nlogger.info("epoch %d loss %.4f", epoch, loss)',
    notes:
      '`print(..., file=fh)` (and `print >>fh, ...`) that writes to a file handle is output, not logging, and is not flagged; printing to `sys.stdout` or `sys.stderr` is. A function or variable the file itself defines as `print` is not the builtin and is not flagged. No automatic fix: `print` joins its arguments with spaces while `logger.info` takes a format string, so the rewrite needs a human.',
  },
  create(context) {
    const { model } = context;
    const toFile = (target: SyntaxNode | undefined): boolean => {
      if (!target || target.type === 'none') return false;
      const name = model.qualifiedName(target);
      return !(name && STANDARD_STREAMS.has(name));
    };
    return {
      call(call) {
        if (model.callee(call) !== 'builtins.print') return;
        if (toFile(keywordArgument(call, 'file'))) return;
        context.report({ node: call, message: '`print` in a script: no level, timestamp or routing; use `logging` (`logger.info(...)`) instead' });
      },
      print_statement(statement) {
        const chevron = statement.namedChildren.find((child) => child?.type === 'chevron');
        if (chevron && toFile(chevron.namedChild(0) ?? undefined)) return;
        context.report({
          node: statement,
          message: '`print` statement in a script: no level, timestamp or routing; use `logging` (`logger.info(...)`) instead',
        });
      },
    };
  },
});
