import { NodeTable, type SyntaxNode } from './parser';
import type { FileFact, SemanticModel } from './semantic';
import { dottedText } from './semantic';
import { positionalArguments } from './calls';
import { decoratorsOf, functionName, inWithContext } from './tree-queries';
import { NO_GRAD_CONTEXTS, SET_GRAD_ENABLED, TORCH_LAYERS, TORCH_MODULE_METHODS, TORCH_SELF_RETURNING } from './knowledge';

/** PyTorch: which callables are models, where gradients are off, which code trains. */

const MODEL_NAME =
  /^(model|net|network|classifier|regressor|encoder|decoder|backbone|generator|discriminator|critic|actor|policy|ranker|autoencoder|detector|segmenter|cnn|rnn|lstm|gru|mlp|transformer|teacher|student|vae|gan|unet|resnet|bert|gpt|ae)\d*$|_(model|net|network|classifier|encoder|decoder)\d*$|^(model|net)_/i;
const NOT_MODEL_NAME =
  /loss|criterion|metric|optim|sched|tokeni[sz]er|scaler|processor|collate|transform|^f$|fn$|func|(^|_)(class|cls|type|factory|builder|ctor|cases?)$|^_*(log|save|load|get|build|make|create|init|setup|configure|sharded|wrap|unwrap|compile|export|register|prepare|freeze|merge|quantize|convert|push|upload|download|copy|clone|print)_/i;
/** `Model(...)`, `BoringModel(...)`: a CamelCase name called is a class instantiated, not a forward pass. */
const CLASS_NAME = /^_?[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$/;

/** A called name by its patterns: a class (`Model`), not a model (`loss_fn`), a model (`encoder`), or none of these. */
const enum NameShape {
  Class,
  NotModel,
  Model,
  Other,
}

/** True when a class definition derives from `nn.Module`, a Lightning module or another model class. */
export function isModuleClass(model: SemanticModel, cls: SyntaxNode): boolean {
  const bases = cls.childForFieldName('superclasses');
  if (!bases) return false;
  return bases.namedChildren.some((base) => {
    if (!base) return false;
    const name = model.qualifiedName(base) ?? base.text;
    return /^torch\.nn\.(modules\.module\.)?Module$|LightningModule$|PreTrainedModel$|^nn\.Module$/.test(name);
  });
}

/**
 * The file's `TorchFacts`, built once per analysis and shared by the rules that ask. A file-level
 * fact: besides the look-ups it makes (tracked one by one), its answers depend on its three name
 * sets, and each membership question is recorded for the statement being analysed.
 */
export function torchFacts(model: SemanticModel): TorchFacts {
  return model.fileFact(TORCH_FACTS);
}

const TORCH_FACTS: FileFact<TorchFacts> = {
  key: 'torch-facts',
  make: (model) => new TorchFacts(model),
  answer: (facts, question) => facts.answer(question),
  signature: (facts) => facts.signature(),
};

/** Per-file knowledge about PyTorch models, built on first use (after the model is filled). */
export class TorchFacts {
  /** Per call node id; `null` caches "no model". */
  private readonly forwardTargets: NodeTable<SyntaxNode | null>;
  private readonly moduleReceivers = new Set<string>();
  private readonly moduleClasses = new Set<string>();
  private readonly modelFactories = new Set<string>();
  private readonly shapes = new Map<string, NameShape>();

  constructor(private readonly model: SemanticModel) {
    this.forwardTargets = new NodeTable(model.root.tree.count);
    for (const call of model.calls) {
      const name = model.methodName(call);
      if (name === undefined || !TORCH_MODULE_METHODS.has(name)) continue;
      const text = dottedText(model.method(call)!.receiver);
      if (text) this.moduleReceivers.add(text);
    }
    for (const cls of model.classes) if (isModuleClass(model, cls)) this.moduleClasses.add(cls.childForFieldName('name')?.text ?? '');
    for (const fn of model.functions) {
      const name = functionName(fn);
      if (/model|net/i.test(name) && /^(make|build|create|get|load|init)/i.test(name)) this.modelFactories.add(name);
    }
  }

  /** `r:name`: used as a module (`name.parameters()`); `m:name`: a module class or a model factory. */
  answer(question: string): string {
    return this.holds(question.startsWith('r:') ? 'r:' : 'm:', question.slice(2)) ? '1' : '0';
  }

  /** The three name sets every answer reads. */
  signature(): string {
    return `${[...this.moduleReceivers].join(',')}\n${[...this.moduleClasses].join(',')}\n${[...this.modelFactories].join(',')}`;
  }

  private holds(kind: 'r:' | 'm:', name: string): boolean {
    return kind === 'r:' ? this.moduleReceivers.has(name) : this.moduleClasses.has(name) || this.modelFactories.has(name);
  }

  /** `answer(kind + name)`, recorded for incremental analysis; the question is spelled only when a statement is tracked (asked for most calls of a file). */
  private asked(kind: 'r:' | 'm:', name: string): boolean {
    const yes = this.holds(kind, name);
    if (this.model.tracker) this.model.askedFact(TORCH_FACTS, `${kind}${name}`, yes ? '1' : '0');
    return yes;
  }

  /** True when the value of `expr` is a model by construction (`nn.Sequential(...)`, `MyNet().to(d)`, `AutoModel.from_pretrained`). */
  constructedModel(expr: SyntaxNode, depth = 0): boolean {
    if (depth > 8) return false;
    if (expr.type === 'parenthesized_expression') return expr.namedChild(0) ? this.constructedModel(expr.namedChild(0)!, depth + 1) : false;
    if (expr.type === 'identifier' || expr.type === 'attribute') {
      const text = dottedText(expr);
      const assigned = text ? this.model.valueOf(text, expr) : undefined;
      return assigned !== undefined && assigned.index === undefined && this.constructedModel(assigned.value, depth + 1);
    }
    if (expr.type !== 'call') return false;
    const method = this.model.method(expr);
    if (method && TORCH_SELF_RETURNING.has(method.name) && !this.model.callee(expr)) return this.constructedModel(method.receiver, depth + 1);
    const callee = this.model.callee(expr);
    const fn = expr.childForFieldName('function');
    if (callee) {
      if (TORCH_LAYERS.test(callee)) return true;
      if (/^torchvision\.models\./.test(callee) || callee === 'timm.create_model' || callee === 'torch.load' || callee === 'torch.jit.load') return true;
      // Not models: what preprocesses or configures, and pipelines (a diffusers or transformers pipeline has no
      // `.eval()`; diffusers runs its `__call__` under `torch.no_grad()`).
      if (callee.endsWith('.from_pretrained')) return !/Tokeni[sz]er|Processor|FeatureExtractor|Config|Pipeline|Scheduler/.test(callee);
      return false;
    }
    if (fn?.type === 'identifier') return this.asked('m:', fn.text);
    return false;
  }

  /** True when `expr`, a called name such as `model` or `self.encoder`, is a model whose call is a forward pass. */
  isModel(expr: SyntaxNode, type = expr.type): boolean {
    if (type !== 'identifier' && type !== 'attribute') return false;
    const text = dottedText(expr, type);
    if (!text || text === 'self') return false;
    const shape = this.nameShape(text.slice(text.lastIndexOf('.') + 1));
    if (shape === NameShape.Class) return false;
    const byName = shape !== NameShape.NotModel && (this.asked('r:', text) || shape === NameShape.Model);
    if (!byName && !this.constructedModel(expr)) return false;
    // Imported functions (`F.relu`, `torch.cat`) resolve to a qualified name; models are values.
    // (Asked last: most called names are neither models by name nor by construction.)
    return !this.model.qualifiedName(expr);
  }

  /** What a called name's last part says by itself (the same few names are called all over a file: their patterns are tested once per analysis). */
  private nameShape(last: string): NameShape {
    let shape = this.shapes.get(last);
    if (shape === undefined) {
      shape = CLASS_NAME.test(last)
        ? NameShape.Class
        : NOT_MODEL_NAME.test(last)
          ? NameShape.NotModel
          : MODEL_NAME.test(last)
            ? NameShape.Model
            : NameShape.Other;
      this.shapes.set(last, shape);
    }
    return shape;
  }

  /** The model a call runs forward (`model(x)`, `model.forward(x)`), or undefined (cached per call). */
  forwardTarget(call: SyntaxNode): SyntaxNode | undefined {
    // (While a statement is tracked, a table of its own: the look-ups behind the answer are recorded for it.)
    const cache = this.model.answersPerCall(this.forwardTargets);
    const known = cache.get(call.id);
    if (known !== undefined) return known ?? undefined;
    let target: SyntaxNode | undefined;
    const method = this.model.method(call);
    if (method) {
      if (method.name === 'forward') target = this.isModel(method.receiver) ? method.receiver : undefined;
      else {
        const fn = this.model.functionOf(call);
        target = fn && this.isModel(fn, 'attribute') ? fn : undefined;
      }
    } else {
      const fn = this.model.functionOf(call);
      target = fn && this.isModel(fn) ? fn : undefined;
    }
    cache.set(call.id, target ?? null);
    return target;
  }
}

/** True when `node` runs with autograd off: inside `with torch.no_grad()`/`inference_mode()`, or a function decorated so. */
export function gradientsOff(model: SemanticModel, node: SyntaxNode): boolean {
  // Cheap guard: every name that turns autograd off ends in one of these words, which the source
  // then holds (in an import or an attribute), so a file without them has autograd on everywhere.
  if (!GRAD_OFF_WORDS.some((word) => model.mentions(word))) return false;
  const isNoGrad = (expr: SyntaxNode): boolean => {
    const call = expr.type === 'call' ? expr : undefined;
    const name = model.qualifiedName(call ? call.childForFieldName('function') : expr);
    if (!name) return false;
    if (NO_GRAD_CONTEXTS.has(name)) return true;
    if (call && SET_GRAD_ENABLED.has(name)) return positionalArguments(call)[0]?.type === 'false';
    return false;
  };
  if (inWithContext(node, isNoGrad)) return true;
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'function_definition' && decoratorsOf(current).some(isNoGrad)) return true;
  }
  // `torch.set_grad_enabled(False)` earlier in the same function or at module level.
  const disabling = model.memo('set-grad-enabled-false', () =>
    model.calls.filter((call) => SET_GRAD_ENABLED.has(model.callee(call) ?? '') && positionalArguments(call)[0]?.type === 'false'),
  );
  const scope = model.enclosingFunctionAt(node.startIndex);
  for (const call of disabling) {
    if (call.startIndex >= node.startIndex) break;
    const callScope = model.enclosingFunctionAt(call.startIndex);
    if (!callScope || (scope && callScope.id === scope.id)) return true;
  }
  return false;
}

const GRAD_OFF_WORDS = ['no_grad', 'inference_mode', 'set_grad_enabled'];

/** `.backward()` on a loss, `accelerator.backward(loss)`, Lightning's `manual_backward(loss)`. */
export function isBackward(model: SemanticModel, call: SyntaxNode): boolean {
  const name = model.methodName(call);
  return name === 'backward' || name === 'manual_backward';
}

/** `optimizer.step()` (not an LR scheduler's or an environment's), or `scaler.step(optimizer)`. */
export function isOptimizerStep(model: SemanticModel, call: SyntaxNode): boolean {
  const method = model.method(call);
  if (method?.name !== 'step') return false;
  const type = model.constructedType(method.receiver);
  if (type) return (type.startsWith('torch.optim.') && !type.startsWith('torch.optim.lr_scheduler')) || /GradScaler$/.test(type);
  const text = dottedText(method.receiver) ?? '';
  const last = text.split('.').pop() ?? '';
  if (/sched/i.test(last)) return false;
  return /opt/i.test(last) || /scaler$/i.test(last);
}
