import { defineRule, type Fix } from '../rule';
import { addKeywordArgument, argument, keywordArgument, positionalArguments } from '../calls';
import { ensureImport } from '../fixes';
import type { SyntaxNode } from '../parser';
import { nameSetFact, type SemanticModel } from '../semantic';
import { descendants } from '../tree-queries';
import { resolveValue, withOpenPath } from '../dataflow';
import { IN_MEMORY_SERIALIZERS, MODEL_SAVERS, SAVER_WORDS, UNSAFE_DESERIALIZERS } from '../knowledge';
import { stringValue } from '../literals';

const YAML_LOADS = new Map<string, string>([
  ['yaml.load', 'safe_load'],
  ['yaml.load_all', 'safe_load_all'],
]);
const YAML_UNSAFE = new Set(['yaml.unsafe_load', 'yaml.unsafe_load_all']);
const YAML_SAFE_LOADERS = new Set(['SafeLoader', 'CSafeLoader', 'BaseLoader', 'CBaseLoader']);
const YAML_UNSAFE_LOADERS = new Set(['Loader', 'CLoader', 'UnsafeLoader', 'CUnsafeLoader', 'FullLoader', 'CFullLoader']);

/** Where a load reads from or a dump writes to, as the code names it: the path of `open(path)` or `with open(path) as fh`, else the expression. */
function placeOf(model: SemanticModel, expr: SyntaxNode): SyntaxNode {
  if (expr.type === 'identifier') return withOpenPath(model, expr.text, expr) ?? expr;
  if (expr.type === 'call' && model.callee(expr) === 'builtins.open') return argument(expr, 0, 'file') ?? expr;
  return expr;
}

/** A place as text: a string's value, or a name or attribute chain as written (undefined: an expression no other place equals). */
function placeKey(place: SyntaxNode): string | undefined {
  if (place.type === 'string') {
    const value = stringValue(place);
    return value === undefined ? undefined : `s:${value}`;
  }
  if (place.type === 'identifier' || place.type === 'attribute') return `${place.type}:${place.text}`;
  return undefined;
}

/** What a dump (`MODEL_SAVERS`: `pickle.dump`, `joblib.dump`, `torch.save`, ...) writes to; undefined for any other call. */
function dumpTarget(model: SemanticModel, call: SyntaxNode): SyntaxNode | undefined {
  const saver = MODEL_SAVERS.get(model.callee(call) ?? '');
  return saver && argument(call, saver.path[0], saver.path[1]);
}

/** The places module-level dumps write to (`placeKey`), a notebook's cells included: asked "does one write here?". */
const MODULE_DUMP_PLACES = nameSetFact('module-dump-places', (model) => {
  const places = new Set<string>();
  for (const call of model.calls) {
    const target = dumpTarget(model, call);
    const key = target && model.scopeAt(call.startIndex) === -1 ? placeKey(placeOf(model, target)) : undefined;
    if (key !== undefined) places.add(key);
  }
  return places;
});

export default defineRule({
  name: 'unsafe-deserialization',
  category: 'failure-handling',
  severity: 'warning',
  scope: 'statement',
  summary:
    "Loading pickles, full-model `torch.load`, unsafe `yaml.load`, `numpy.load(allow_pickle=True)` or LangChain's `allow_dangerous_*` opt-ins: the file (or the model) can run code.",
  fix: 'safe',
  skipTestModules: true,
  docs: {
    what: "Flags loads that can execute code stored in the file: `pickle.load`/`loads` (and `cPickle`, `dill`, `cloudpickle`, `pickle.Unpickler`), `joblib.load`, `pandas.read_pickle`, `torch.load` without `weights_only=True`, `yaml.load`/`load_all` without a safe loader (and `yaml.unsafe_load`), `numpy.load(..., allow_pickle=True)`, and LangChain's opt-ins `allow_dangerous_deserialization=True` (`FAISS.load_local` and other loaders that unpickle) and `allow_dangerous_code=True` (agents that run the Python the model writes, such as `create_pandas_dataframe_agent`).",
    why: 'A pickle is a program: unpickling calls whatever callables the file names, so a model file downloaded from a hub, a bucket anyone can write to or a user upload can run arbitrary code on the serving host. In production, model artefacts cross trust boundaries (registries, shared storage, CI caches), and the loader is where that trust is decided. Prefer formats that hold only data (`safetensors`, ONNX, `skops`, JSON) or load only from storage you control and verify.',
    example: 'import torch\nimport yaml\n\nstate = torch.load("checkpoint.pt")\nwith open("config.yaml") as fh:\n    config = yaml.load(fh)',
    useInstead:
      'import torch\nimport yaml\n\nstate = torch.load("checkpoint.pt", weights_only=True)\nwith open("config.yaml") as fh:\n    config = yaml.safe_load(fh)',
    fixSafety:
      'Safe for `yaml.load(stream)` without a loader: it becomes `yaml.safe_load(stream)`, which parses every plain YAML document the same way and refuses only Python-object tags (PyYAML 6 rejects a loader-less `yaml.load` anyway). Unsafe for an explicit unsafe loader (`Loader=yaml.Loader` becomes `Loader=yaml.SafeLoader`) and for `torch.load` (`weights_only=True` is added, or `weights_only=False` flipped): a checkpoint that pickles a whole model object instead of a `state_dict` will no longer load, so the code that uses it may need to change. Pickle, joblib and pandas loads have no automatic fix: the file format itself has to change.',
    notes:
      'A `yaml.load` whose `Loader` is a variable that cannot be resolved is not flagged (it may be a safe subclass); a loader named `*SafeLoader*` counts as safe. `FullLoader` is treated as unsafe: it still constructs arbitrary Python objects in older PyYAML versions. `torch.load` is flagged without an explicit `weights_only=True` even though PyTorch 2.6 made it the default: the code may run on an older PyTorch, and the explicit argument documents the intent. `numpy.load` is only flagged with `allow_pickle=True` (its default is safe). A pickle, joblib or `torch.load` of what the same code made just before is not flagged: bytes from `pickle.dumps` (directly or through a variable), or a file or buffer that a dump (`pickle.dump`, `joblib.dump`, `torch.save`, ...) wrote earlier in the same function, or at module level, to the same place (the same string, or the same variable not reassigned in between, also through `with open(path) as fh`). Otherwise `pickle.load` is flagged whatever it loads: whether the file is trusted cannot be seen from the code.',
    realCode:
      "The LangChain opt-ins (issue 15) on the 37 repositories of the audit: 1 finding, a true positive (`FAISS.load_local(..., allow_dangerous_deserialization=True)` in Langchain-Chatchat's cache of vector stores); precision 1.00. Reproduce: `scripts/audit-checkout.sh <mirrors> /tmp/audit`, then `node --import tsx scripts/real-code-audit.ts /tmp/audit --check` (verdicts in `docs/audit/llm-rules.csv`, method and repositories in `docs/real-code-audit.md`). The whole rule on 26 public repositories (2026-12-02): 79 findings; precision 0.88 on 58 labelled, up from 0.72 (106 findings) before unit-test modules and round trips (a dump then a load of the same place) were recognised. The false positives left: loads made safe by a `torch>=2.6` pin in the folder's requirements, caches the project writes at fixed local paths. Reproduce: `scripts/audit-checkout.sh <mirrors> /tmp/audit-sw docs/audit/swallowed-error-repos.txt`, then `node --import tsx scripts/real-code-audit.ts /tmp/audit-sw --list docs/audit/swallowed-error-repos.txt --verdicts docs/audit/rules-sample.csv --rules unsafe-deserialization` (verdicts in `docs/audit/rules-sample.csv`, method in `docs/real-code-audit.md`).",
  },
  create(context) {
    const { model } = context;

    /** The same place at both points: equal string literals, or one name (or attribute chain) bound by the same assignment. */
    const samePlace = (a: SyntaxNode, b: SyntaxNode): boolean => {
      if (placeKey(a) === undefined || placeKey(a) !== placeKey(b)) return false;
      if (a.type === 'identifier') return model.valueOf(a.text, a) === model.valueOf(b.text, b);
      return true;
    };
    /**
     * What the load reads was made by this code just before: bytes from `pickle.dumps`, or a file
     * (or buffer) a dump wrote at the same place earlier in the same function (or at module level,
     * a notebook's earlier cells included). Nothing crosses a trust boundary on the way.
     */
    const producedHere = (load: SyntaxNode): boolean => {
      const source = argument(load, 0);
      if (!source) return false;
      const value = resolveValue(model, source);
      if (value.type === 'call' && IN_MEMORY_SERIALIZERS.has(model.callee(value) ?? '')) return true;
      // Cheap guard: every saver's name holds one of these words, which the source then holds.
      if (!SAVER_WORDS.some((word) => model.mentions(word))) return false;
      const place = placeOf(model, source);
      const key = placeKey(place);
      if (key === undefined) return false;
      const scope = model.scopeAt(load.startIndex);
      let dumps: readonly SyntaxNode[];
      if (scope === -1) {
        // At module level the dump may be anywhere above (another cell). Asked as a file-level fact
        // first, so the statement stays incremental where no module-level dump writes to this place.
        if (!model.factHas(MODULE_DUMP_PLACES, key)) return false;
        dumps = model.memo('module-level-dumps', () => model.calls.filter((call) => dumpTarget(model, call) && model.scopeAt(call.startIndex) === -1));
      } else {
        // In a function, the dump is in the same function, hence in the same top-level statement.
        const fn = model.enclosingFunctionAt(load.startIndex);
        dumps = fn ? descendants(fn, 'call').filter((call) => dumpTarget(model, call) && model.scopeAt(call.startIndex) === scope) : [];
      }
      return dumps.some((dump) => {
        if (dump.startIndex >= load.startIndex) return false;
        const target = dumpTarget(model, dump);
        return target !== undefined && samePlace(placeOf(model, target), place);
      });
    };

    const yamlLoaderIsSafe = (loader: SyntaxNode): boolean | undefined => {
      const name = model.qualifiedName(loader) ?? loader.text;
      const last = name.split('.').pop() ?? '';
      if (YAML_SAFE_LOADERS.has(last) || /SafeLoader$/.test(last)) return true;
      if (name.startsWith('yaml.') && YAML_UNSAFE_LOADERS.has(last)) return false;
      return undefined;
    };

    // LangChain's opt-ins to unpickling and to running generated code (cheap guard: the words are in the source).
    const dangerous = model.mentions('allow_dangerous_');
    const langchainOptIn = (call: SyntaxNode): boolean => {
      const deserialization = keywordArgument(call, 'allow_dangerous_deserialization');
      if (deserialization && resolveValue(model, deserialization).type === 'true') {
        const called = model.method(call)?.name ?? model.calledName(call) ?? 'this call';
        context.report({
          node: call,
          message: `\`${called}(..., allow_dangerous_deserialization=True)\` unpickles the saved index or object, which can run code from the file; load only files you wrote yourself and keep them where nobody else can write`,
        });
        return true;
      }
      const code = keywordArgument(call, 'allow_dangerous_code');
      if (code && resolveValue(model, code).type === 'true') {
        const called = model.method(call)?.name ?? model.calledName(call) ?? 'this call';
        context.report({
          node: call,
          message: `\`${called}(..., allow_dangerous_code=True)\` runs Python that the model writes, with this process's rights: a prompt can make it read files or open connections; run the agent in a sandbox or use a tool that does not execute code`,
        });
        return true;
      }
      return false;
    };

    return {
      call(call) {
        if (dangerous && langchainOptIn(call)) return;
        const qualified = model.callee(call);
        if (!qualified) return;
        const shown = UNSAFE_DESERIALIZERS.get(qualified);
        if (shown) {
          if (producedHere(call)) return;
          context.report({
            node: call,
            message: `\`${shown}\` can run arbitrary code from the file it reads; load only artefacts you produced and verified, or use a data-only format (safetensors, ONNX, skops, JSON)`,
          });
          return;
        }
        if (qualified === 'torch.load') {
          const weightsOnly = keywordArgument(call, 'weights_only');
          if (weightsOnly?.type === 'true') return;
          // A variable may hold True; only a literal False or a missing argument is certain.
          if (weightsOnly && weightsOnly.type !== 'false') return;
          if (producedHere(call)) return;
          const edit = weightsOnly
            ? { start: weightsOnly.startIndex, end: weightsOnly.endIndex, text: 'True' }
            : addKeywordArgument(call, 'weights_only', 'True');
          context.report({
            node: call,
            message:
              '`torch.load` without `weights_only=True` unpickles arbitrary objects and can run code from the checkpoint; pass `weights_only=True` and load a `state_dict`',
            fix: edit ? { title: 'Pass weights_only=True', applicability: 'unsafe', edits: [edit] } : undefined,
          });
          return;
        }
        if (qualified === 'numpy.load') {
          const allow = keywordArgument(call, 'allow_pickle');
          if (allow?.type !== 'true') return;
          context.report({
            node: call,
            message:
              '`numpy.load(..., allow_pickle=True)` unpickles object arrays and can run code from the file; save plain numeric arrays and drop `allow_pickle`',
          });
          return;
        }
        if (YAML_UNSAFE.has(qualified)) {
          context.report({ node: call, message: `\`${qualified}\` constructs arbitrary Python objects from the document; use \`yaml.safe_load\`` });
          return;
        }
        const safeName = YAML_LOADS.get(qualified);
        if (!safeName) return;
        const loader = keywordArgument(call, 'Loader') ?? positionalArguments(call)[1];
        let fix: Fix | undefined;
        if (loader) {
          const safe = yamlLoaderIsSafe(loader);
          if (safe !== false) return;
          const yaml = ensureImport(context, 'yaml');
          fix = {
            title: 'Use yaml.SafeLoader',
            applicability: 'unsafe',
            edits: [{ start: loader.startIndex, end: loader.endIndex, text: `${yaml.name}.SafeLoader` }, ...yaml.edits],
          };
        } else {
          const fn = call.childForFieldName('function')!;
          if (fn.type === 'attribute') {
            const attribute = fn.childForFieldName('attribute')!;
            fix = { title: `Use yaml.${safeName}`, applicability: 'safe', edits: [{ start: attribute.startIndex, end: attribute.endIndex, text: safeName }] };
          } else {
            const yaml = ensureImport(context, 'yaml');
            fix = {
              title: `Use yaml.${safeName}`,
              applicability: 'safe',
              edits: [{ start: fn.startIndex, end: fn.endIndex, text: `${yaml.name}.${safeName}` }, ...yaml.edits],
            };
          }
        }
        const called = qualified.split('.').pop();
        context.report({
          node: call,
          message: loader
            ? `\`yaml.${called}\` with an unsafe \`Loader\` constructs arbitrary Python objects from the document; use \`yaml.${safeName}\` or \`Loader=yaml.SafeLoader\``
            : `\`yaml.${called}\` without a safe loader constructs arbitrary Python objects from the document; use \`yaml.${safeName}\``,
          fix,
        });
      },
    };
  },
});
