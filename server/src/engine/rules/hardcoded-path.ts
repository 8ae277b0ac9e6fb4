import { defineRule } from '../rule';
import { ensureImport } from '../fixes';
import { literalPrefix } from '../literals';
import { dottedText, type SemanticModel } from '../semantic';
import type { SyntaxNode } from '../parser';

/** Modules whose functions take filesystem paths. */
const IO_MODULES = [
  'os.',
  'shutil.',
  'pathlib.',
  'glob.',
  'tarfile.',
  'zipfile.',
  'h5py.',
  'gzip.',
  'bz2.',
  'lzma.',
  'codecs.open',
  'io.open',
  'builtins.open',
  'sqlite3.connect',
  'logging.FileHandler',
  'logging.handlers.',
  'sys.path.append',
  'sys.path.insert',
  'dotenv.load_dotenv',
  'scipy.io.',
  'PIL.Image.open',
  'cv2.imread',
  'cv2.imwrite',
  'imageio.',
  'soundfile.',
  'librosa.load',
  'tensorflow.io.gfile.',
  'onnxruntime.InferenceSession',
  'onnx.load',
  'onnx.save',
  'matplotlib.pyplot.savefig',
  'matplotlib.pyplot.imread',
  'matplotlib.pyplot.imsave',
];
/** os functions that do not take paths. */
const NOT_IO = /^os\.(?:environ|getenv|putenv|unsetenv|getpid|cpu_count|urandom|system|popen|kill|getcwd|sep|linesep|pathsep|name|path\.sep)\b/;
/** Function or method names that read or write files, whatever module they come from. */
const IO_NAMES = new Set([
  'open',
  'load',
  'save',
  'dump',
  'savez',
  'savez_compressed',
  'loadtxt',
  'savetxt',
  'genfromtxt',
  'fromfile',
  'tofile',
  'memmap',
  'imread',
  'imwrite',
  'imsave',
  'savefig',
  'from_pretrained',
  'save_pretrained',
  'load_model',
  'save_model',
  'load_weights',
  'save_weights',
  'load_dataset',
  'load_from_disk',
  'save_to_disk',
  'read_text',
  'write_text',
  'read_bytes',
  'write_bytes',
  'glob',
  'iglob',
  'rglob',
  'iterdir',
  'mkdir',
  'makedirs',
  'listdir',
  'scandir',
  'walk',
  'chdir',
  'exists',
  'isfile',
  'isdir',
  'copy',
  'copy2',
  'copyfile',
  'copytree',
  'move',
  'rmtree',
  'remove',
  'unlink',
  'rename',
  'extractall',
  'download_file',
  'upload_file',
  'log_artifact',
  'log_artifacts',
  'Path',
  'PurePath',
  'PosixPath',
  'WindowsPath',
  'ZipFile',
  'TarFile',
  'File',
  'FileHandler',
  'RotatingFileHandler',
  'SummaryWriter',
  'InferenceSession',
  'HDFStore',
  'ExcelWriter',
  'ImageFolder',
  'DatasetFolder',
  'ModelCheckpoint',
  'CSVLogger',
  'TensorBoard',
  'DMatrix',
  'load_dotenv',
  'expanduser',
  'abspath',
  'realpath',
]);
const IO_NAME_PATTERN = /^(?:read|to)_(?:csv|parquet|json|jsonl|excel|feather|hdf|pickle|table|fwf|orc|sas|spss|stata|xml|html)$|^(?:load|save)_/;
/** Calls that only build a path from their first argument: the root is what matters. */
const FIRST_ARGUMENT_ONLY = new Set(['os.path.join', 'posixpath.join', 'ntpath.join']);
/** pathlib methods that take the path as their receiver (an argument is data, not a path of this machine). */
const RECEIVER_PATH_METHODS = new Set(['exists', 'read_text', 'write_text', 'read_bytes', 'write_bytes', 'iterdir', 'mkdir', 'unlink', 'touch']);
/** The local source of an upload, by keyword (huggingface_hub's `path_or_fileobj=`, boto3's `Filename=`). */
const UPLOAD_SOURCE_KEYWORDS = new Set(['path_or_fileobj', 'Filename', 'local_path', 'local_file', 'source']);
/** Calls and methods a path flows through unchanged. */
const PATH_WRAPPERS = new Set([
  'os.path.join',
  'os.path.expanduser',
  'os.path.abspath',
  'os.path.realpath',
  'os.path.normpath',
  'os.fspath',
  'builtins.str',
  'pathlib.Path',
  'pathlib.PurePath',
  'pathlib.PosixPath',
  'pathlib.WindowsPath',
]);
const PATH_METHODS = new Set(['joinpath', 'with_suffix', 'with_name', 'expanduser', 'resolve', 'absolute', 'format']);
/** Environment reads whose default is the recommended fix, not the problem. */
const ENV_READS = new Set(['os.environ.get', 'os.getenv', 'os.environ.setdefault']);

/** Roots that are someone's machine or one platform's mount, not a place every deployment has. */
const MACHINE_ROOTS =
  /^\/(?:home|Users|root|content|kaggle|opt|mnt|data|srv|media|Volumes|workspace|Workspace|scratch|gpfs|nfs|shared|datasets|models|var|app|dbfs|lustre|projects|storage|net|private)(?:\/|$)/;
/** Kernel and scratch locations that are the same everywhere. */
const SYSTEM_PATHS = /^\/(?:tmp|dev|proc|sys|var\/tmp|run)(?:\/|$)/;
const PATH_NAME = /path|dir|file|root|folder|fname/i;
/** Variables the system already uses for something else. */
const RESERVED_ENV = new Set([
  'PATH',
  'HOME',
  'PWD',
  'OLDPWD',
  'TMPDIR',
  'TEMP',
  'TMP',
  'SHELL',
  'USER',
  'PYTHONPATH',
  'PYTHONHOME',
  'LD_LIBRARY_PATH',
  'DYLD_LIBRARY_PATH',
  'MANPATH',
  'CDPATH',
  'ROOT',
  'DIR',
  'FILE',
]);

type Strength = 'strong' | 'weak';

/** How surely a literal is a machine-specific filesystem path: strong, weak (any absolute path) or not one. */
function pathKind(value: string): Strength | undefined {
  if (value.length < 2 || /[\r\n]/.test(value) || value.includes('://')) return undefined;
  if (/^[A-Za-z]:[\\/]/.test(value)) return 'strong';
  if (/^\\\\[^\\\s]+\\/.test(value)) return 'strong';
  // (`~/.cache/huggingface`, `~/.claude/skills`: an application's per-user folder, where the tool
  // keeps it on every machine, for whoever runs it.)
  if (/^~[/\\]\.[A-Za-z0-9]/.test(value)) return undefined;
  if (/^~[A-Za-z0-9_.-]*(?:[/\\]|$)/.test(value)) return 'strong';
  if (!/^\/[^/\s]/.test(value)) return undefined;
  if (SYSTEM_PATHS.test(value)) return undefined;
  if (MACHINE_ROOTS.test(value)) return 'strong';
  // `/etc/app/config.yaml`: an absolute path to a file.
  if (/^\/[^/]+\/.*\.[A-Za-z0-9]{1,5}$/.test(value)) return 'strong';
  return 'weak';
}

export default defineRule({
  name: 'hardcoded-path',
  category: 'configuration',
  severity: 'warning',
  scope: 'statement',
  summary: 'An absolute or user-specific filesystem path literal used for I/O or assigned to a path-like name.',
  fix: 'unsafe',
  skipTestModules: true,
  docs: {
    what: 'Flags absolute and user-specific path literals (`/home/…`, `/Users/…`, `C:\\…`, `\\\\server\\share`, `~/…`, `/content/drive/…`, `/kaggle/input/…`, `/opt/…`, `/mnt/…`, `/data/…`) that are used for I/O: passed to `open`, to `os`, `os.path`, `shutil`, `glob` and `pathlib` functions, to readers and writers such as `pd.read_csv`, `np.loadtxt`, `df.to_parquet`, `joblib.load` or `from_pretrained`, directly or through a variable, constant, `os.path.join`, `Path(...) / …` or an f-string; or assigned to a name, keyword argument, dictionary key or parameter default that says path, dir, file, root or folder. The range is the literal.',
    why: "A path to one person's home directory, a Colab drive or a Kaggle input folder exists on that machine only. The script fails with `FileNotFoundError` in CI, in a container and on a colleague's laptop, and the fix is always an edit of the code. A path read from configuration or the environment, with the old value as a default, lets every environment point the code at its own data.",
    example: 'import pandas as pd\n\nDATA_ROOT = "/home/priya/work/fraud/data"\nlabels = pd.read_csv("/home/priya/work/fraud/labels.csv")',
    useInstead:
      'import os\nimport pandas as pd\n\nDATA_ROOT = os.environ.get("DATA_ROOT", "data")\nlabels = pd.read_csv(os.path.join(DATA_ROOT, "labels.csv"))',
    fixSafety:
      'Unsafe: the literal becomes `os.environ.get("NAME", "<literal>")` (NAME from the variable or keyword it is assigned to, such as `DATA_ROOT` or `DATA_PATH`, else `MLREADY_PATH`) and `import os` is added if needed. With the variable unset the program behaves as before; with it set, the program reads another location, which is the point but is a change in behaviour.',
    notes:
      'Not flagged: an application\'s per-user folder under the home directory (`~/.cache/huggingface`, `~/.claude/skills`: a dot-folder right under `~`, where the tool keeps it on every machine); a path passed as an argument to a pathlib-named method (`exists`, `write_text`, `read_text`, `mkdir`, …) of an object that is not a module, since pathlib takes the path as the receiver (`sandbox.write_text("/home/user/workdir/x.py", source)` writes on another machine); the remote side of `upload_file(local, remote)`; relative paths (`data/x.csv`, `../input/x.csv`), URLs and cloud URIs (`s3://`, `gs://`, `https://`), web routes (`"/v1/predict"` in route decorators, `requests` calls and route constants, since they are not used for file I/O and their names do not say path), format strings (`"%Y/%m/%d"`), `/tmp`, `/var/tmp`, `/run`, `/dev`, `/proc` and `/sys`, bytes literals, and a literal that is already the default of `os.environ.get`/`os.getenv` (the fix\'s own output). Through a name alone (no I/O seen), an absolute POSIX path is flagged only when it starts at a machine-specific root (`/home`, `/Users`, `/opt`, `/mnt`, `/data`, `/content`, `/kaggle`, `/srv`, `/var`, …) or names a file with an extension, so that `PREDICT_PATH = "/v1/predict"` is not mistaken for a file; used for I/O, any absolute path is flagged. An argparse `default=` is configuration the user can override and is not flagged unless the value is also used for I/O through a constant. `drive.mount("/content/drive")` in Colab is not flagged; the reads under the mount are. A path inside a container or pod that the file itself defines is the same on every machine and is not flagged, nor is any path under it: Modal\'s `remote_path=` (`image.add_local_file("src/config.py", remote_path="/root/src/config.py")`), the mount points of Modal\'s `volumes=` (`@app.function(volumes={"/mnt": volume})`, then `open(os.path.join("/mnt", name))`), and Kubernetes\' `mount_path=` or `"mountPath"` of a volume mount (`MNT_PATH = "/mnt/data"` with `{"mountPath": MNT_PATH}`). A `volumes=` dictionary without Modal is not read: docker-py\'s keys are paths on the host.',
    realCode:
      "On 26 public repositories (2026-12-02): 43 findings, every one labelled: 40 true positives (precision 0.93), up from 0.65 before unit-test modules were skipped (72 findings). The false positives left: a container path the repository's own Dockerfile creates, an `rsync` target on a remote host, a website URL prefix. Reproduce: `scripts/audit-checkout.sh <mirrors> /tmp/audit-sw docs/audit/swallowed-error-repos.txt`, then `node --import tsx scripts/real-code-audit.ts /tmp/audit-sw --list docs/audit/swallowed-error-repos.txt --verdicts docs/audit/rules-sample.csv --rules hardcoded-path` (verdicts in `docs/audit/rules-sample.csv`, method in `docs/real-code-audit.md`).",
  },
  create(context) {
    const { model } = context;
    /**
     * A literal to report. It may sit in another statement (`DATA = "/…"` read by `open(DATA)`) and
     * is reported once for all its readers: collected here (per statement, with incremental analysis),
     * reported at `file:end`.
     */
    const report = (node: SyntaxNode, value: string): void => {
      context.collect(node, value);
    };
    /** A path inside a container image or pod that the file itself defines (see CONTAINER_PATH_KEYWORDS). */
    const declareContainerPaths = (value: SyntaxNode): void => {
      for (const literal of sources(value, model, 0)) {
        const text = literalPrefix(literal);
        if (text?.startsWith('/')) context.collect(literal, { containerPath: text } satisfies ContainerPath);
      }
    };

    /** A literal bound to a path-like name: needs a strongly machine-specific value. */
    const checkNamed = (name: string | undefined, node: SyntaxNode, field: string): void => {
      const value = node.childForFieldName(field);
      if (!value || value.type !== 'string' || !name || !PATH_NAME.test(name)) return;
      const text = literalPrefix(value);
      if (text !== undefined && pathKind(text) === 'strong') report(value, text);
    };

    /**
     * Modal's volumes (`@app.function(volumes={"/mnt": volume})`, `config["volumes"] = {...}`): the keys
     * are mount points in the container. Only with Modal: docker-py's `volumes=` keys are host paths.
     */
    const declareMountTable = (table: SyntaxNode): void => {
      if (table.type !== 'dictionary' || !model.seenModule('modal')) return;
      for (const pair of table.namedChildren) {
        const key = pair?.type === 'pair' ? pair.childForFieldName('key') : undefined;
        if (key) declareContainerPaths(key);
      }
    };

    return {
      call(call) {
        const qualified = model.callee(call);
        if (!isIO(call, qualified, model)) return;
        const args = call.childForFieldName('arguments');
        if (!args || args.type !== 'argument_list') return;
        let inputs = args.namedChildren.filter((child): child is SyntaxNode => child !== null && child.type !== 'comment');
        if (qualified && FIRST_ARGUMENT_ONLY.has(qualified)) inputs = inputs.slice(0, 1);
        const method = qualified === undefined ? model.method(call) : undefined;
        // `path.exists()`, `path.write_text(text)`: pathlib's methods take their path as the
        // receiver, so an argument is data or a path somewhere else (`sandbox.write_text("/home/user/x.py", src)`).
        if (method && RECEIVER_PATH_METHODS.has(method.name)) return;
        // `upload_file(local, remote)`: only the first is a path here (boto3's, an environment's; hf_hub's by keyword).
        if (method?.name === 'upload_file')
          inputs = inputs.filter((input, index) =>
            input.type === 'keyword_argument' ? UPLOAD_SOURCE_KEYWORDS.has(input.childForFieldName('name')?.text ?? '') : index === 0,
          );
        for (const input of inputs) {
          const value = input.type === 'keyword_argument' ? input.childForFieldName('value') : input;
          if (!value) continue;
          for (const literal of sources(value, model, 0)) {
            const text = literalPrefix(literal);
            if (text !== undefined && pathKind(text) !== undefined) report(literal, text);
          }
        }
      },
      assignment(node) {
        const right = node.childForFieldName('right');
        if (right?.type === 'dictionary') {
          // `config["volumes"] = {"/mnt": volume}`
          const left = node.childForFieldName('left');
          const key = left?.type === 'subscript' ? left.childForFieldName('subscript') : undefined;
          if (key?.type === 'string' && MOUNT_TABLE_KEYWORDS.has(literalPrefix(key) ?? '')) declareMountTable(right);
          return;
        }
        // (Most assignments bind no string literal: the name is read only for those that do.)
        if (right?.type !== 'string') return;
        const left = node.childForFieldName('left');
        const name = left ? dottedText(left)?.split('.').pop() : undefined;
        checkNamed(name, node, 'right');
      },
      keyword_argument(node) {
        const name = node.childForFieldName('name')?.text;
        const value = node.childForFieldName('value');
        if (name && value && CONTAINER_PATH_KEYWORDS.has(name)) {
          declareContainerPaths(value);
          return;
        }
        if (name && value && MOUNT_TABLE_KEYWORDS.has(name)) declareMountTable(value);
        checkNamed(name, node, 'value');
      },
      default_parameter(node) {
        checkNamed(node.childForFieldName('name')?.text, node, 'value');
      },
      typed_default_parameter(node) {
        checkNamed(node.childForFieldName('name')?.text, node, 'value');
      },
      pair(node) {
        const key = node.childForFieldName('key');
        const keyText = key?.type === 'string' ? literalPrefix(key) : undefined;
        const value = node.childForFieldName('value');
        if (keyText !== undefined && value && CONTAINER_PATH_KEYS.has(keyText)) {
          declareContainerPaths(value);
          return;
        }
        if (keyText !== undefined && value && MOUNT_TABLE_KEYWORDS.has(keyText)) declareMountTable(value);
        checkNamed(keyText, node, 'value');
      },
      'file:end'() {
        const collected = context.collected();
        const containerPaths = collected.flatMap(({ data }) => (typeof data === 'object' && data !== null ? [(data as ContainerPath).containerPath] : []));
        const insideContainer = (value: string): boolean =>
          containerPaths.some((root) => value === root || value.startsWith(root.endsWith('/') ? root : `${root}/`));
        const reported = new Set<number>();
        for (const { node, data } of collected) {
          if (typeof data !== 'string' || reported.has(node.id) || isEnvDefault(node, model)) continue;
          reported.add(node.id);
          const value = data;
          if (insideContainer(value)) continue;
          const env = envName(node);
          const os = ensureImport(context, 'os');
          const shown = value.length > 48 ? `${value.slice(0, 45)}…` : value;
          context.report({
            node,
            message: `Hard-coded path \`${shown}\` exists only on one machine: read it from configuration or the environment, e.g. \`os.environ.get("${env}", …)\``,
            fix: {
              title: `Read the path from the environment variable ${env}`,
              applicability: 'unsafe',
              edits: [...os.edits, { start: node.startIndex, end: node.endIndex, text: `${os.name}.environ.get("${env}", ${node.text})` }],
            },
          });
        }
      },
    };
  },
});

/**
 * Where a file names a path inside the container or pod it defines, not on a machine: Modal's
 * `add_local_file(..., remote_path="/root/src/config.py")` and `add_local_dir`, Kubernetes'
 * `V1VolumeMount(mount_path=...)` and a volume mount written as a dict (`{"mountPath": MNT_PATH}`).
 * Such a path, and any path under it, is the same on every machine the code runs on
 * (zenml-io/zenml-projects: 7 of 12 findings were these).
 */
const CONTAINER_PATH_KEYWORDS: ReadonlySet<string> = new Set(['remote_path', 'mount_path']);
const CONTAINER_PATH_KEYS: ReadonlySet<string> = new Set(['mountPath', 'mount_path']);
/** Keywords whose dictionary maps mount points in the container to volumes (Modal). */
const MOUNT_TABLE_KEYWORDS: ReadonlySet<string> = new Set(['volumes', 'network_file_systems']);

interface ContainerPath {
  containerPath: string;
}

/** IO_MODULES split once: the names matched whole, and the module prefixes (ending with a dot). */
const IO_EXACT = new Set(IO_MODULES.filter((entry) => !entry.endsWith('.')));
const IO_PREFIXES = new Set(IO_MODULES.filter((entry) => entry.endsWith('.')));

/** Whether a qualified name is one of IO_MODULES or inside one of its modules: one look-up per dot of the name. */
function inIOModule(qualified: string): boolean {
  if (IO_EXACT.has(qualified)) return true;
  for (let dot = qualified.indexOf('.'); dot !== -1; dot = qualified.indexOf('.', dot + 1)) {
    if (IO_PREFIXES.has(qualified.slice(0, dot + 1))) return true;
  }
  return false;
}

function isIO(call: SyntaxNode, qualified: string | undefined, model: SemanticModel): boolean {
  if (qualified) {
    if (NOT_IO.test(qualified) || ENV_READS.has(qualified)) return false;
    if (inIOModule(qualified)) return true;
  }
  const name = model.calledName(call);
  if (!name) return false;
  if (qualified === undefined && !model.method(call) && model.defines(name)) return false;
  return IO_NAMES.has(name) || IO_NAME_PATTERN.test(name);
}

/** The string literals a path expression starts from, following names, joins and wrappers. */
function sources(node: SyntaxNode, model: SemanticModel, depth: number): SyntaxNode[] {
  if (depth > 6) return [];
  switch (node.type) {
    case 'string': {
      // `f"{DATA_ROOT}/x.csv"`: the path starts with the first field.
      const first = node.namedChildren.find((child) => child !== null && child.type !== 'string_start');
      if (first?.type === 'interpolation') {
        const expression = first.childForFieldName('expression') ?? first.namedChild(0);
        return expression ? sources(expression, model, depth + 1) : [];
      }
      return [node];
    }
    case 'concatenated_string':
      return node.namedChild(0) ? [node.namedChild(0)!] : [];
    case 'parenthesized_expression':
      return node.namedChild(0) ? sources(node.namedChild(0)!, model, depth + 1) : [];
    case 'identifier':
    case 'attribute': {
      const name = dottedText(node);
      if (!name) return [];
      const assigned = model.valueOf(name, node);
      return assigned && assigned.index === undefined ? sources(assigned.value, model, depth + 1) : [];
    }
    case 'binary_operator': {
      // `ROOT + "/x.csv"`, `Path(ROOT) / "x"`, `"/data/%s.csv" % day`: the root is on the left.
      const left = node.childForFieldName('left');
      return left ? sources(left, model, depth + 1) : [];
    }
    case 'conditional_expression':
      return node.namedChildren
        .filter((child): child is SyntaxNode => child !== null)
        .filter((_, i) => i !== 1)
        .flatMap((child) => sources(child, model, depth + 1));
    case 'call': {
      const qualified = model.callee(node);
      if (qualified && PATH_WRAPPERS.has(qualified)) {
        const first = node
          .childForFieldName('arguments')
          ?.namedChildren.find((child) => child !== null && child.type !== 'keyword_argument' && child.type !== 'comment');
        return first ? sources(first, model, depth + 1) : [];
      }
      const method = model.method(node);
      if (method && PATH_METHODS.has(method.name)) return sources(method.receiver, model, depth + 1);
      return [];
    }
    default:
      return [];
  }
}

/** `os.environ.get("DATA", "/home/…")`: the literal is the default of an environment read. */
function isEnvDefault(node: SyntaxNode, model: SemanticModel): boolean {
  const args = node.parent;
  if (args?.type !== 'argument_list') return false;
  const call = args.parent;
  if (call?.type !== 'call') return false;
  const qualified = model.callee(call);
  return qualified !== undefined && ENV_READS.has(qualified);
}

/** The variable a fix reads: from the name the literal is bound to (`DATA_ROOT`, `DATA_PATH`), else MLREADY_PATH. */
function envName(literal: SyntaxNode): string {
  let name: string | undefined;
  let child = literal;
  for (let current = literal.parent; current; child = current, current = current.parent) {
    if (current.type === 'assignment') {
      if (current.childForFieldName('right')?.id === child.id) {
        const left = current.childForFieldName('left');
        name = left ? dottedText(left)?.split('.').pop() : undefined;
      }
      break;
    }
    if (current.type === 'keyword_argument' || current.type === 'default_parameter' || current.type === 'typed_default_parameter') {
      name = current.childForFieldName('name')?.text;
      break;
    }
    if (current.type === 'pair') {
      const key = current.childForFieldName('key');
      name = key?.type === 'string' ? literalPrefix(key) : undefined;
      break;
    }
    if (!['argument_list', 'call', 'attribute', 'binary_operator', 'parenthesized_expression', 'concatenated_string'].includes(current.type)) break;
  }
  if (!name) return 'MLREADY_PATH';
  const parts = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '');
  if (parts.length === 0 || /^\d/.test(parts[0])) return 'MLREADY_PATH';
  const upper = parts.join('_').toUpperCase();
  const env = PATH_NAME.test(upper) ? upper : `${upper}_PATH`;
  // `def load(path=...)` must not read the shell's PATH.
  return RESERVED_ENV.has(env) ? `MLREADY_${env}` : env;
}
