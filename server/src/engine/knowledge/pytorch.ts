/**
 * PyTorch and the libraries built on it: which modules mean a file may hold models and training
 * loops, the layers and containers that build a model, where gradients are off, and the loaders
 * that shuffle. Used by `torch-facts.ts` (the per-file model of PyTorch code), the rules and the
 * readiness shape.
 */

/** PyTorch and its training frameworks: importing one makes `nn.Module`s, training loops and `DataLoader`s possible. */
export const TORCH_FAMILY: readonly string[] = ['torch', 'transformers', 'accelerate', 'lightning', 'pytorch_lightning'];

/** Deep-learning libraries whose training draws random numbers (initial weights, shuffling, dropout). */
export const DEEP_LEARNING_LIBRARIES: readonly string[] = [...TORCH_FAMILY, 'tensorflow', 'keras', 'tf_keras'];

/** PyTorch's data loaders (they shuffle with the global generator unless given one). */
export const TORCH_DATA_LOADERS: ReadonlySet<string> = new Set(['torch.utils.data.DataLoader', 'torch.utils.data.dataloader.DataLoader']);

/** Constructors of PyTorch layers and containers: what they build is a model. */
export const TORCH_LAYERS =
  /^torch\.nn\.(Sequential|Module|ModuleList|ModuleDict|Linear|Bilinear|LazyLinear|Conv[123]d|ConvTranspose[123]d|LSTM|GRU|RNN|Transformer\w*|Embedding\w*|MultiheadAttention|DataParallel)$|^torch\.nn\.parallel\.DistributedDataParallel$/;

/** Methods only an `nn.Module` (or a model wrapper) has; a name used with one is a model. */
export const TORCH_MODULE_METHODS: ReadonlySet<string> = new Set([
  'parameters',
  'named_parameters',
  'state_dict',
  'load_state_dict',
  'eval',
  'train',
  'zero_grad',
  'modules',
  'children',
]);

/** `nn.Module` methods that return the module itself (`model.to(device).eval()`). */
export const TORCH_SELF_RETURNING: ReadonlySet<string> = new Set([
  'to',
  'cuda',
  'cpu',
  'eval',
  'train',
  'float',
  'half',
  'double',
  'bfloat16',
  'requires_grad_',
  'share_memory',
]);

/** Context managers under which no gradients are recorded. */
export const NO_GRAD_CONTEXTS: ReadonlySet<string> = new Set([
  'torch.no_grad',
  'torch.inference_mode',
  'torch.autograd.no_grad',
  'torch.autograd.grad_mode.no_grad',
  'torch.autograd.grad_mode.inference_mode',
]);

/** `set_grad_enabled(False)` turns gradients off, as a context manager or for the rest of the process. */
export const SET_GRAD_ENABLED: ReadonlySet<string> = new Set(['torch.set_grad_enabled', 'torch.autograd.set_grad_enabled']);
