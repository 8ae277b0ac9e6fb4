import { defineRule, type RuleContext, type TextEdit } from '../rule';
import { ensureImport } from '../fixes';
import type { SyntaxNode } from '../parser';
import { dottedText, type FileFact, type SemanticModel } from '../semantic';
import { descendants, inSameBody } from '../tree-queries';
import { enclosingLoops } from '../loops';
import { isMaskedMagic } from '../notebook';
import { literalString } from '../literals';

/** Calls that only print: `print(...)`, `sys.stderr.write(...)`, `traceback.print_exc()`. */
const PRINTS = new Set(['builtins.print', 'sys.stderr.write', 'sys.stdout.write', 'traceback.print_exc', 'traceback.print_exception']);

const LOGGER_NAMES = ['logger', 'log', 'LOGGER', 'LOG', '_logger', '_log'];

/**
 * The module's logger, as `name` for a standard-library logger (`logger = logging.getLogger(...)`,
 * `LOGGER_NAMES`) or `name?` for one whose formatting is not known to be `%`-style: loguru's
 * `logger` (it formats with `{}`) and a logger imported from the project (`from app.core.log
 * import logger`).
 */
const MODULE_LOGGER: FileFact<string | null> = {
  key: 'module-logger',
  make(model) {
    for (const name of LOGGER_NAMES) {
      const assigned = model.assignmentsOf(name).find((assignment) => assignment.scope === -1);
      if (assigned?.value.type === 'call' && model.callee(assigned.value)?.startsWith('logging.')) return name;
    }
    const imported = model.imports.find((binding) => LOGGER_NAMES.includes(binding.local) && binding.qualified !== 'logging');
    return imported ? `${imported.local}?` : null;
  },
  answer: (name) => name ?? '',
  signature: (name) => name ?? '',
};

export default defineRule({
  name: 'swallowed-error',
  category: 'failure-handling',
  severity: 'warning',
  scope: 'statement',
  summary: 'A bare `except:`, or an `except` whose body only passes, continues or prints, so the failure vanishes.',
  fix: 'unsafe',
  docs: {
    what: "Flags a bare `except:` (unless it ends by re-raising), and an `except` clause whose body does nothing but `pass`, `continue`, `...` or print (`print(...)`, Python 2's `print` statement, `sys.stderr.write(...)`, `traceback.print_exc()`). The range is the `except` keyword. Handlers that answer an expected condition on purpose are not flagged (see the notes).",
    why: 'A swallowed exception turns a failure into silently wrong output: rows dropped from a training set, a feature filled with nothing, a model that was never saved. In a pipeline nobody reads stdout, so a print is as good as nothing. A bare `except:` is worse: it also catches `KeyboardInterrupt` and `SystemExit`, so the job cannot even be stopped cleanly.',
    example: 'try:\n    record["amount"] = float(record["amount"])\nexcept:\n    pass',
    useInstead:
      'import logging\n\nlogger = logging.getLogger(__name__)\n\ntry:\n    record["amount"] = float(record["amount"])\nexcept ValueError:\n    logger.warning("unparseable amount %r", record["amount"])\n    record["amount"] = None',
    fixSafety:
      "Unsafe, and offered only for the bare form: `except:` becomes `except Exception:` and, when the body only swallowed the error, `logger.exception(...)` is added (with the module's `logger` if it has one, otherwise `logging.exception` and an `import logging`), with `as exc` bound for its `%s` argument; a logger imported from the project or from loguru (which formats with `{}`) gets a message without arguments, and the traceback still comes with `.exception`. `KeyboardInterrupt` and `SystemExit` now propagate, and a log record is written, which changes behaviour on purpose. Narrowing the exception type and deciding on a fallback stays with the author.",
    notes:
      'Not flagged: a bare `except:` whose body ends in a bare `raise` (clean up, then re-raise everything: nothing is swallowed, and catching `Exception` instead would skip the clean-up on Ctrl+C); handlers of named exceptions (never `Exception`/`BaseException`) that handle an expected condition on purpose: outside a loop, answered with messages of the handler\'s own, the caught error not printed (`except DuplicateDatabase: print("Database already exists")`, `except KeyboardInterrupt: print("Exiting early")`); in a notebook, any print, `traceback.print_exc()` included, perhaps followed by `continue` to the next item (the output shows under the cell); `except ImportError: pass` (an optional dependency); `except OSError: pass` around `os.makedirs` alone; `except FileExistsError: pass`, `except ProcessLookupError: pass` and psutil\'s `except NoSuchProcess: pass` (what the code wanted already holds: the file exists, the process it stops is gone); `pass` where the `try` has an `else`, returns on success and is followed by more code (`try: return store.get(tag)` / `except NotFound: pass`, then the fallback; a poll loop that returns once the server answers; a function that would fall off its end and return `None` is still flagged), or is followed at once by `return <fallback>` (in a loop that tries candidates and returns the first that works, `continue` as the last statement of the pass counts as `pass`: `for fmt in FORMATS: try: return datetime.strptime(text, fmt) / except ValueError: continue`, then `return None`); insert-or-ignore, `except sqlite3.IntegrityError: pass` (or another driver\'s `IntegrityError`) around `cursor.execute("INSERT ...")`, with at most a counter of inserted rows beside it: the duplicate row is skipped on purpose; `except KeyboardInterrupt: pass` (Ctrl+C ends a wait); `pass` where the `try` only binds values (`try: model = get_model(name)`, `try: response = pretty(json.loads(response))`: the names keep their earlier values, a default or a probe answered after; in a loop, only when each name the loop reads after the `try` was bound earlier in the same pass, as `response = row["response"]` before it; a `try` that acts, such as `shutil.move(...)`, is still flagged); or `pass` or `continue` with a comment on a line after the `except` line saying why (as ESLint\'s `no-empty` accepts). In a notebook, a `try` around IPython magics only (Colab\'s `%tensorflow_version`) is not flagged either, nor one that only displays (`try: display(Image(app.get_graph().draw_mermaid_png()))` / `except Exception: pass`, LangGraph\'s optional picture of the graph). A `pass` inside a handler that already dealt with its failure in a statement of its own (`except Exception as exc: logger.exception(...)`, then `try: await ws.send_json(...) / except Exception: pass`) lets go of a second, best-effort failure and is not flagged either. Still flagged: broad handlers, handlers in loops (a message per item is an item skipped), a print of the caught error in a script. Measured on 26 public repositories (docs/real-code-audit.md). Also not flagged: a handler that logs (any statement other than pass, continue, `...` or a print counts as handling: a logger call, `warnings.warn`, `raise`, `return` of a fallback, an assignment, `break` out of a retry loop, a bare `return`). A string statement in the body counts as a comment. A Python 2 `except Exception, exc:` is treated like its `as` form. `except*` groups are judged like `except`.',
  },
  create(context) {
    const { model } = context;
    /** The module's logger (a file-level fact: the question is recorded, so the statement stays incremental). */
    const findLogger = (): string | null => {
      const name = model.fileFact(MODULE_LOGGER);
      model.askedFact(MODULE_LOGGER, 'logger', name ?? '');
      return name;
    };

    return {
      except_clause(clause) {
        const keyword = clause.firstChild;
        if (!keyword || keyword.type !== 'except') return;
        const block = clause.namedChildren.find((child) => child?.type === 'block') ?? null;
        const value = clause.childForFieldName('value');
        const bare = value === null;
        // `except: rollback(); raise` cleans up and re-raises everything, KeyboardInterrupt included: nothing is swallowed.
        if (bare && block !== null && endsInReraise(block)) return;
        const swallows = block !== null && onlySwallows(block, model.callee.bind(model));
        if (!bare && !swallows) return;
        if (!bare && block !== null && handledOnPurpose(context, clause, value, block)) return;
        if (!bare && block !== null && bestEffortInHandler(clause, block, model.callee.bind(model))) return;
        const what = bare ? 'Bare `except:` catches everything, including `KeyboardInterrupt` and `SystemExit`' : 'This `except` only';
        const how = swallowDescription(block);
        const message = bare
          ? `${what}${swallows ? `, and ${how}` : ''}: catch the exceptions you expect and log or re-raise the rest`
          : `${what} ${how}, so the failure vanishes: log it (\`logger.exception(...)\`), re-raise it, or return a deliberate fallback`;
        const fix = bare && block ? bareFix(context, clause, keyword, block, swallows, findLogger()) : undefined;
        context.report({ node: keyword, message, fix: fix ? { title: 'Catch `Exception` and log it', applicability: 'unsafe', edits: fix } : undefined });
      },
    };
  },
});

function statements(block: SyntaxNode): SyntaxNode[] {
  return block.namedChildren.filter((child): child is SyntaxNode => child !== null && child.type !== 'comment');
}

/** True when every statement of the handler only passes, continues, `...`s or prints. */
function onlySwallows(block: SyntaxNode, callee: (call: SyntaxNode) => string | undefined): boolean {
  const body = statements(block);
  if (body.length === 0) return false;
  return onlySwallowsList(body, callee);
}

/** True when every statement only passes, continues, `...`s or prints. */
function onlySwallowsList(body: readonly SyntaxNode[], callee: (call: SyntaxNode) => string | undefined): boolean {
  return body.every((statement) => {
    switch (statement.type) {
      case 'pass_statement':
      case 'continue_statement':
      case 'print_statement':
        return true;
      case 'expression_statement': {
        const expression = statement.namedChild(0);
        if (!expression || statement.namedChildCount !== 1) return false;
        if (expression.type === 'ellipsis' || expression.type === 'string') return true;
        if (expression.type === 'call') {
          const name = callee(expression);
          return name !== undefined && PRINTS.has(name);
        }
        return false;
      }
      default:
        return false;
    }
  });
}

/**
 * The names an assignment statement binds (`x`, `obj.attr`; each of `a, b = …`), or undefined when
 * a target is no plain name (`rows[i] = …`): such a target has no earlier value to keep.
 */
function boundNames(statement: SyntaxNode): string[] | undefined {
  const left = statement.namedChild(0)?.childForFieldName('left');
  if (!left) return undefined;
  const targets = left.type === 'pattern_list' || left.type === 'tuple_pattern' ? left.namedChildren : [left];
  const names: string[] = [];
  for (const target of targets) {
    const name = target ? dottedText(target) : undefined;
    if (name === undefined) return undefined;
    names.push(name);
  }
  return names;
}

/** True when `statement` only binds a value (`x = f()`, `obj.attr = f()`, `total += f()`). */
function bindsOnly(statement: SyntaxNode): boolean {
  const expression = statement.type === 'expression_statement' && statement.namedChildCount === 1 ? statement.namedChild(0) : null;
  return expression?.type === 'assignment' || expression?.type === 'augmented_assignment';
}

/** True when the handler's last statement is a bare `raise`. */
function endsInReraise(block: SyntaxNode): boolean {
  const last = statements(block).at(-1);
  return last?.type === 'raise_statement' && last.namedChildCount === 0;
}

/** The nodes a name is read through (`x`, `obj.attr`). */
const NAME_NODES: ReadonlySet<string> = new Set(['identifier', 'attribute']);
const BROAD_EXCEPTIONS = /^(builtins\.)?(Exception|BaseException)$/;
/** Exceptions that say an optional module is missing: `except ImportError: pass` is how optional dependencies are written. */
const IMPORT_ERRORS = /^(builtins\.)?(ImportError|ModuleNotFoundError)$/;
/** `try: os.makedirs(d) except OSError: pass`: the folder exists (the idiom from before `exist_ok`). */
const EXISTS_ERRORS = /^(builtins\.)?(FileExistsError|OSError|IOError)$/;
const MAKE_DIRECTORY = new Set(['os.makedirs', 'os.mkdir']);
const MESSAGE_PRINTS = new Set(['builtins.print', 'sys.stderr.write', 'sys.stdout.write']);
/** `display(...)`: IPython's, imported or the name every notebook kernel defines. */
function displaysOnly(model: SemanticModel, statement: SyntaxNode): boolean {
  const call = statement.type === 'expression_statement' ? statement.namedChild(0) : null;
  if (call?.type !== 'call') return false;
  const callee = model.callee(call);
  return callee === 'IPython.display.display' || (callee === undefined && model.functionOf(call)?.text === 'display' && !model.defines('display'));
}

/** In a notebook a printed traceback shows under the cell like a print. */
const NOTEBOOK_PRINTS = new Set([...MESSAGE_PRINTS, 'traceback.print_exc', 'traceback.print_exception']);
const INTERRUPTS = /^(builtins\.)?KeyboardInterrupt$/;
/**
 * Errors that say the state the code wanted already holds: the file or folder exists, the process
 * it meant to stop is gone (`os.killpg`, psutil's `terminate`).
 */
const ALREADY_SO = /^((builtins\.)?(FileExistsError|ProcessLookupError)|psutil\.NoSuchProcess)$/;
/** A database's duplicate-key error (`sqlite3.IntegrityError`, psycopg2's, SQLAlchemy's). */
const INTEGRITY_ERRORS = /(^|\.)IntegrityError$/;

/**
 * A handler that swallows by the letter but handles an expected condition on purpose, in the
 * shapes real code uses (each measured on public repositories, docs/real-code-audit.md):
 * - in a notebook, named exceptions (never `Exception`/`BaseException`) answered with a print
 *   (then perhaps `continue`): the output shows under the cell, where the person running it reads it;
 * - outside a loop, one or more named exceptions answered
 *   with messages of the handler's own, the caught error not among them (`except
 *   DuplicateDatabase: print("Database already exists")`, `except KeyboardInterrupt:
 *   print("Exiting early")`);
 * - in a notebook, a `try` around IPython magics only (Colab's `%tensorflow_version`): the magic
 *   is missing from other kernels, which is what the handler is for;
 * - in a notebook, a `try` that only displays (`display(Image(graph.draw_mermaid_png()))`): the
 *   picture needs optional dependencies, and only the picture is lost;
 * - a named exception passed over, or an item skipped with `continue`, with a comment that says
 *   why (`except NotImplementedError: # iterable-style datasets have no length`), as ESLint's
 *   `no-empty` accepts a commented block;
 * - a named exception passed over where the `try` only binds values (a default kept, a probe
 *   answered after; in a loop, defaults bound earlier in the same pass);
 * - `except ImportError: pass` (an optional dependency), `except OSError: pass` around
 *   `os.makedirs` alone (the folder exists), `except FileExistsError`/`ProcessLookupError`/
 *   `psutil.NoSuchProcess: pass` (already so);
 * - a named exception passed over where the `try` has an `else` for the other outcome
 *   (`except StopIteration: pass / else: ...`) or is followed at once by a `return` of the
 *   fallback.
 */
function handledOnPurpose(context: RuleContext, clause: SyntaxNode, value: SyntaxNode | null, block: SyntaxNode): boolean {
  const { model } = context;
  const body = statements(block);
  const calls = body.map((statement) => (statement.type === 'expression_statement' ? statement.namedChild(0) : null));
  const printsWith = (prints: ReadonlySet<string>, statementCalls = calls): boolean =>
    statementCalls.every((call) => call?.type === 'call' && prints.has(model.callee(call) ?? ''));
  const printsOnly = printsWith(MESSAGE_PRINTS);
  const attempt = clause.parent;
  const tried = attempt?.type === 'try_statement' ? statements(attempt.childForFieldName('body') ?? attempt) : [];
  // `try: %tensorflow_version 2.x / except Exception: pass`: a magic that exists only in some
  // kernels (Colab's), tried and let go elsewhere.
  const notebook = context.notebook;
  if (notebook && tried.length > 0 && tried.every((statement) => isMaskedMagic(notebook, statement))) return true;
  // `try: display(Image(graph.draw_mermaid_png())) / except Exception: pass`: a picture that needs
  // optional dependencies (LangGraph's tutorials draw their graphs so); only the picture is lost.
  if (context.kind === 'notebook' && tried.length > 0 && tried.every((statement) => displaysOnly(model, statement))) return true;
  const caughtExpression = value?.type === 'as_pattern' ? value.namedChild(0) : value;
  const caught =
    caughtExpression?.type === 'tuple' || caughtExpression?.type === 'parenthesized_expression' ? caughtExpression.namedChildren : [caughtExpression];
  const names = caught.map((node) =>
    node && (node.type === 'identifier' || node.type === 'attribute') ? (model.qualifiedName(node) ?? node.text) : undefined,
  );
  if (names.length === 0 || names.some((name) => name === undefined || BROAD_EXCEPTIONS.test(name))) return false;
  // (A `continue` after the prints goes on to the next item; the warning still shows under the cell.)
  if (context.kind === 'notebook') {
    const printing = body.length > 1 && body[body.length - 1].type === 'continue_statement' ? calls.slice(0, -1) : calls;
    if (printsWith(NOTEBOOK_PRINTS, printing)) return true;
  }
  if (printsOnly) {
    // Inside a loop, a message per item is an item skipped (a record left without its field, a
    // row dropped): the case the rule is for.
    if (enclosingLoops(clause).length > 0) return false;
    const bound = value?.type === 'as_pattern' ? value.namedChildren.find((child) => child?.type === 'as_pattern_target')?.text : undefined;
    return bound === undefined || !calls.some((call) => call !== null && descendants(call, 'identifier').some((name) => name.text === bound));
  }
  if (!body.every((statement) => passes(statement) || statement.type === 'continue_statement')) return false;
  // A comment in the handler says why it passes or skips the item (as ESLint's no-empty accepts a
  // commented block). Only a comment on a line of its own: one trailing the `except` line is about the line.
  const headerRow = clause.startPosition.row;
  if (block.startPosition.row > headerRow && descendants(clause, 'comment').some((comment) => comment.startPosition.row > headerRow)) return true;
  // An uncommented `continue` skips an item: the case the rule is for; unless the loop tries
  // candidates and returns the first that works, the fallback after it (`for fmt in FORMATS: try:
  // return datetime.strptime(text, fmt) / except ValueError: continue`, then `return None`): there
  // the `continue` ends the pass as a `pass` would.
  if (!body.every(passes)) return attempt?.type === 'try_statement' && endsLoopPass(attempt) && returnsWithFallback(attempt);
  if (names.every((name) => IMPORT_ERRORS.test(name!))) return true;
  // Ctrl+C ends a wait (`proc.wait()`, a server's loop): how the user stops it, not a failure.
  if (names.every((name) => INTERRUPTS.test(name!))) return true;
  // `except FileExistsError: pass`, `except ProcessLookupError: pass` after a kill: already so.
  if (names.every((name) => ALREADY_SO.test(name!))) return true;
  if (attempt?.type !== 'try_statement') return false;
  // Outside a loop, a named exception passed over where the `try` only binds values leaves the
  // names as they were: a default kept (`try: response = pretty(json.loads(response))`), a probe
  // answered after (`try: model = get_model(name) / except UnknownModelError: pass`). A `try` that
  // acts (`shutil.move(...)`) is still flagged: the action silently did not happen.
  if (tried.length > 0 && tried.every(bindsOnly)) {
    const loops = enclosingLoops(clause);
    if (loops.length === 0) return true;
    // In a loop, when each name the `try` binds that the pass reads after it was bound earlier in
    // the same pass, the handler keeps this item's default (`response = row["response"]`, then
    // `try: response = pretty(json.loads(response))`); otherwise the item is left with the last
    // item's value or none: skipped.
    const pass = loops[0].body;
    const readAfter = (name: string): boolean => descendants(pass, NAME_NODES).some((node) => node.startIndex >= attempt.endIndex && dottedText(node) === name);
    const keptThisPass = (name: string): boolean => {
      if (!readAfter(name)) return true;
      const earlier = model.valueOf(name, attempt);
      return earlier !== undefined && earlier.value.startIndex >= pass.startIndex && earlier.value.endIndex <= attempt.startIndex;
    };
    if (tried.every((statement) => boundNames(statement)?.every(keptThisPass) === true)) return true;
  }
  // Insert-or-ignore: `try: cursor.execute("INSERT ...") / except sqlite3.IntegrityError: pass`
  // skips a row the table already holds (a UNIQUE key), the purpose of the handler; a counter of
  // the rows inserted may follow the insert.
  const inserts = (statement: SyntaxNode): boolean => insertsRow(statement, model);
  if (names.every((name) => INTEGRITY_ERRORS.test(name!)) && tried.some(inserts) && tried.every((statement) => inserts(statement) || countsUp(statement)))
    return true;
  if (names.every((name) => EXISTS_ERRORS.test(name!)) && tried.length === 1) {
    const call = tried[0].type === 'expression_statement' ? tried[0].namedChild(0) : null;
    if (call?.type === 'call' && MAKE_DIRECTORY.has(model.callee(call) ?? '')) return true;
  }
  if (attempt.namedChildren.some((child) => child?.type === 'else_clause')) return true;
  // `try: return store.get(tag) / except NotFound: pass` then fetch it: the success path returns, so
  // what follows the `try` (or the loop's next attempt, when polling) is the fallback.
  if (returnsWithFallback(attempt)) return true;
  return nextStatement(attempt)?.type === 'return_statement';
}

/** The `try` returns on success and code follows it in its function (the fallback, or the loop's next attempt). */
function returnsWithFallback(attempt: SyntaxNode): boolean {
  const success = attempt.childForFieldName('body');
  return success !== null && returnsFrom(success) && somethingFollows(attempt);
}

/** True when `statement` is the last statement of a loop's body: after it, the next pass begins. */
function endsLoopPass(statement: SyntaxNode): boolean {
  const block = statement.parent;
  const loop = block?.parent;
  return (
    block?.type === 'block' &&
    (loop?.type === 'for_statement' || loop?.type === 'while_statement') &&
    loop.childForFieldName('body')?.id === block.id &&
    nextStatement(statement) === null
  );
}

/** `cursor.execute("INSERT ...", ...)` (or `executemany`), the SQL a string literal. */
function insertsRow(statement: SyntaxNode, model: SemanticModel): boolean {
  const call = statement.type === 'expression_statement' ? statement.namedChild(0) : null;
  if (call?.type !== 'call') return false;
  const method = model.methodName(call);
  if (method !== 'execute' && method !== 'executemany') return false;
  const sql = call.childForFieldName('arguments')?.namedChildren.find((argument) => argument?.type !== 'comment');
  return sql !== undefined && sql !== null && /^\s*INSERT\b/i.test(literalString(sql) ?? '');
}

/** `count += 1`. */
function countsUp(statement: SyntaxNode): boolean {
  const update = statement.type === 'expression_statement' ? statement.namedChild(0) : null;
  return update?.type === 'augmented_assignment' && update.childForFieldName('right')?.type === 'integer';
}

/**
 * A best-effort step inside a handler that already dealt with the failure: `except Exception as e:
 * logger.exception(...)`, then `try: await ws.send_json({"error": ...}) / except Exception: pass`.
 * The failure the outer handler caught is logged (or re-raised, or answered with a fallback); the
 * inner `pass` lets go of a second one, a notice that could not be sent or a clean-up that could
 * not run. Only a handler that passes (one that prints is still read as reporting nowhere).
 */
function bestEffortInHandler(clause: SyntaxNode, block: SyntaxNode, callee: (call: SyntaxNode) => string | undefined): boolean {
  if (!statements(block).every(passes)) return false;
  const attempt = clause.parent;
  if (attempt?.type !== 'try_statement') return false;
  // The handler around this `try` (also through an `if` or a `with` in it), in the same function.
  let holder: SyntaxNode = attempt;
  let outerBlock: SyntaxNode | null = null;
  for (let node = attempt.parent; node && node.type !== 'function_definition' && node.type !== 'class_definition'; node = node.parent) {
    if (node.type === 'block' && node.parent?.type === 'except_clause') {
      outerBlock = node;
      break;
    }
    if (node.type === 'block') holder = node.parent ?? holder;
  }
  if (!outerBlock) return false;
  // The outer handler deals with its failure in a statement of its own, not only through this `try`.
  const others = statements(outerBlock).filter((statement) => statement.id !== holder.id && statement.type !== 'try_statement');
  return others.length > 0 && !onlySwallowsList(others, callee);
}

/** `pass` or `...`: a statement that does nothing. */
function passes(statement: SyntaxNode): boolean {
  return statement.type === 'pass_statement' || (statement.type === 'expression_statement' && statement.namedChild(0)?.type === 'ellipsis');
}

/** The statement after `statement` in its block, comments skipped. */
function nextStatement(statement: SyntaxNode): SyntaxNode | null {
  let next = statement.nextNamedSibling;
  while (next?.type === 'comment') next = next.nextNamedSibling;
  return next;
}

/** True when `block` holds a `return` of the function it is in (not of a function defined in it). */
function returnsFrom(block: SyntaxNode): boolean {
  return descendants(block, 'return_statement').some((ret) => inSameBody(block, ret));
}

/**
 * True when a statement runs after `statement` in its function: the next one of its block, or of
 * an enclosing block (after the loop or `if` it sits in). False when the function ends there and
 * the failure falls off its end as `None`.
 */
function somethingFollows(statement: SyntaxNode): boolean {
  for (let node: SyntaxNode | null = statement; node && node.type !== 'function_definition'; node = node.parent) {
    if ((node.parent?.type === 'block' || node.parent?.type === 'module') && nextStatement(node)) return true;
  }
  return false;
}

function swallowDescription(block: SyntaxNode | null): string {
  const body = block ? statements(block) : [];
  if (body.some((s) => s.type === 'print_statement' || s.namedChild(0)?.type === 'call')) return 'prints the error where no one reads it';
  if (body.some((s) => s.type === 'continue_statement')) return 'skips to the next iteration';
  return 'passes';
}

/** `except:` → `except Exception as exc:`, plus `logger.exception(...)` when the body swallowed the error. */
function bareFix(
  context: RuleContext,
  clause: SyntaxNode,
  keyword: SyntaxNode,
  block: SyntaxNode,
  swallows: boolean,
  logger: string | null,
): TextEdit[] | undefined {
  const colon = clause.children.find((child) => child?.type === ':');
  if (!colon) return undefined;
  // `as exc` only where the added call reads it (an unused name is a warning of its own).
  const percentStyle = logger === null || !logger.endsWith('?');
  const edits: TextEdit[] = [{ start: keyword.endIndex, end: colon.startIndex, text: swallows && percentStyle ? ' Exception as exc' : ' Exception' }];
  if (!swallows) return edits;
  let call: string;
  if (logger && !percentStyle) {
    // loguru formats with `{}` and a project's logger may too: a message without arguments reads the
    // same in both, and `.exception` adds the traceback in both.
    call = `${logger.slice(0, -1)}.exception("Ignoring unexpected error")`;
  } else if (logger) {
    call = `${logger}.exception("Ignoring unexpected error: %s", exc)`;
  } else {
    const imported = ensureImport(context, 'logging');
    edits.push(...imported.edits);
    call = `${imported.name}.exception("Ignoring unexpected error: %s", exc)`;
  }
  const body = statements(block);
  const first = body[0];
  const lineBreak = context.text.includes('\r\n') ? '\r\n' : '\n';
  const headerLine = context.lines.position(keyword.startIndex).line;
  const headerIndent = /^[ \t]*/.exec(context.text.slice(context.lines.lineStart(headerLine)))![0];
  if (context.lines.position(first.startIndex).line === headerLine) {
    // `except: pass` on one line: move the body under the header.
    const indent = headerIndent + (headerIndent.includes('\t') ? '\t' : '    ');
    const kept = body.filter((statement) => statement.type !== 'pass_statement').map((statement) => statement.text);
    const lines = [call, ...kept].map((text) => `${lineBreak}${indent}${text}`).join('');
    edits.push({ start: colon.endIndex, end: body[body.length - 1].endIndex, text: lines });
    return edits;
  }
  if (body.length === 1 && first.type === 'pass_statement') {
    edits.push({ start: first.startIndex, end: first.endIndex, text: call });
    return edits;
  }
  const firstLine = context.lines.position(first.startIndex).line;
  const indent = /^[ \t]*/.exec(context.text.slice(context.lines.lineStart(firstLine)))![0];
  edits.push({ start: first.startIndex, end: first.startIndex, text: `${call}${lineBreak}${indent}` });
  return edits;
}
