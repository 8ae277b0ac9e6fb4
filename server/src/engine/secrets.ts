/**
 * Credentials: the one place that knows what a secret looks like, and the one redaction step
 * that every message, hover, code-action title, report, log and trace line passes through.
 *
 * Two kinds of knowledge live here:
 * - shapes recognisable on their own, anywhere in a text (`findSecrets`, `redact`): cloud access
 *   keys, `sk-`/`sk-proj-`/`sk_live_` keys, GitHub, Hugging Face, Slack, Google, GitLab and npm
 *   tokens, JWTs, PEM private key blocks, passwords in URLs and connection strings, tokens in URL
 *   query strings, and secrets in notebook magics (`%env KEY=…`, `!pip install git+https://TOKEN@…`);
 * - a string literal's verdict with the name it is bound to (`classifySecret`), which the
 *   `hardcoded-secret` rule reports and `analyze` uses to redact the same value from every other
 *   rule's message on that line.
 *
 * Every pattern here runs in linear time on any input (no nested quantifiers over the same
 * characters), since the text is hostile.
 */

import { ownCopy } from './text';

export interface SecretShape {
  /** What the user is told it is ("GitHub token"). */
  kind: string;
  /** The environment variable a fix reads instead. */
  env: string;
  /** Matches the whole value of a literal. */
  whole: RegExp;
  /** Finds the secret inside a longer text (global, sticky-free). */
  within: RegExp;
}

/** Known credential formats. `within` patterns are bounded on both sides so a match never grows into its neighbours. */
export const SECRET_SHAPES: readonly SecretShape[] = [
  shape('AWS access key ID', 'AWS_ACCESS_KEY_ID', '(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}', '(?<![A-Za-z0-9])', '(?![A-Za-z0-9])'),
  shape('API key', 'OPENAI_API_KEY', 'sk-(?:proj-|ant-[a-z0-9]+-)?[A-Za-z0-9_-]{20,}', '(?<![A-Za-z0-9_-])', ''),
  shape('Stripe secret key', 'STRIPE_API_KEY', '(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}', '(?<![A-Za-z0-9_])', ''),
  shape('GitHub token', 'GITHUB_TOKEN', '(?:(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})', '(?<![A-Za-z0-9_])', ''),
  shape('Hugging Face token', 'HF_TOKEN', 'hf_[A-Za-z0-9]{30,}', '(?<![A-Za-z0-9_])', ''),
  shape('Slack token', 'SLACK_TOKEN', 'xox[abposr]-[A-Za-z0-9-]{10,}', '(?<![A-Za-z0-9_])', ''),
  shape('Slack webhook URL', 'SLACK_WEBHOOK_URL', 'https://hooks\\.slack\\.com/services/T[A-Za-z0-9]+/B[A-Za-z0-9]+/[A-Za-z0-9]{16,}', '', ''),
  shape('Google API key', 'GOOGLE_API_KEY', 'AIza[0-9A-Za-z_-]{35}', '(?<![A-Za-z0-9_])', '(?![A-Za-z0-9_-])'),
  shape('GitLab token', 'GITLAB_TOKEN', 'glpat-[A-Za-z0-9_-]{20,}', '(?<![A-Za-z0-9_])', ''),
  shape('npm token', 'NPM_TOKEN', 'npm_[A-Za-z0-9]{36}', '(?<![A-Za-z0-9_])', '(?![A-Za-z0-9])'),
  shape('JSON Web Token', 'AUTH_TOKEN', 'eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}', '(?<![A-Za-z0-9_-])', ''),
];

function shape(kind: string, env: string, body: string, before: string, after: string): SecretShape {
  return { kind, env, whole: new RegExp(`^${body}$`), within: new RegExp(`${before}${body}${after}`, 'g') };
}

/** A PEM private key block, up to its END line, a quote (inside a literal) or the end of the text. */
const PEM_BLOCK =
  /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----(?:(?!-----END)[^"'`])*(?:-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----)?/g;
const PEM_START = /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----/;

/** `scheme://user:password@host`: the password is group 2 (no `/`, `@`, space or quote in either part). */
const URL_PASSWORD = /([a-zA-Z][a-zA-Z0-9+.-]{0,30}:\/\/[^:/@\s"'`\\]{0,256}):([^@\s/"'`\\]{1,512})@/g;
/** `scheme://TOKEN@host` with no password: the user part is a token when it looks random (`git+https://ghp_…@github.com`). */
const URL_TOKEN_USER = /([a-zA-Z][a-zA-Z0-9+.-]{0,30}:\/\/)([^:/@\s"'`\\]{12,512})@/g;
/** A URL query parameter: `?access_token=…`, `&sig=…`, `&X-Amz-Signature=…`. */
const QUERY_PARAMETER = /([?&;])([A-Za-z0-9_.-]{1,64})=([^&#\s"'`<>\\]{1,2048})/g;
/** `%env KEY=value`, `%env KEY value`, `%set_env KEY=value` in a notebook. */
const ENV_MAGIC = /(%(?:set_)?env\s+)([A-Za-z_][A-Za-z0-9_]{0,128})(\s*=\s*|\s+)([^\s"'`]{1,2048})/g;

/** Name parts that say a value is a credential. */
export const SECRET_WORDS = /^(?:key|apikey|secret|secrets|token|tokens|password|passwd|passphrase|pwd|pass|credential|credentials|auth|authorization)$/i;
const QUERY_SECRET_NAMES =
  /(?:^|[_.-])(?:token|access[_-]?token|id[_-]?token|refresh[_-]?token|api[_-]?key|apikey|key|secret|client[_-]?secret|password|passwd|pwd|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|auth|credential)$/i;

/** Stand-ins that are not credentials (`YOUR_API_KEY`, `<token>`, `[your-api-key]`, `${PW}`, `xxx`, `changeme`). */
export const PLACEHOLDER =
  /^(?:your|my|insert|enter|put|add|replace|set)[-_ ]|[-_ ](?:here|goes[-_ ]here)$|^<[^>]*>$|^\[[^\]]*\]$|^\{[^}]*\}$|^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$|^%\(?[a-z_]*\)?s$|^(?:x+|\*+|\.+|-+|#+|0+|1234\w*|abc\w*)$|^(?:changeme|change[-_]?me|placeholder|dummy|example|sample|redacted|secret|password|passwd|token|api[-_]?key|none|null|undefined|todo|fixme|tbd|test|testing|fake|mock|default|empty|n\/a|na)$/i;

/** A secret found in a text: `[start, end)` is the part to hide. */
export interface SecretMatch {
  start: number;
  end: number;
  kind: string;
  env: string;
}

/**
 * The literal start of every shape in `SECRET_SHAPES`, in one pattern: most texts (every
 * finding's message passes here) hold none, and one scan then replaces eleven. A shape added
 * above needs its prefix here; the shape tests in test/security/secrets.test.ts fail otherwise.
 */
const SHAPE_PREFIXES = /AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA|sk-|[sr]k_|gh[pousr]_|github_pat_|hf_|xox[abposr]-|hooks\.slack\.com|AIza|glpat-|npm_|eyJ/;

/** Every credential shape in `text`, in order, without overlaps. */
export function findSecrets(text: string): SecretMatch[] {
  if (text.length < 8) return [];
  const found: SecretMatch[] = [];
  if (SHAPE_PREFIXES.test(text)) {
    for (const known of SECRET_SHAPES) {
      for (const match of text.matchAll(known.within)) found.push({ start: match.index, end: match.index + match[0].length, kind: known.kind, env: known.env });
    }
  }
  if (text.includes('PRIVATE KEY')) {
    for (const match of text.matchAll(PEM_BLOCK))
      found.push({ start: match.index, end: match.index + match[0].length, kind: 'private key', env: 'PRIVATE_KEY' });
  }
  if (text.includes('://')) {
    for (const match of text.matchAll(URL_PASSWORD)) {
      const password = match[2];
      if (password.endsWith('…') || isPlaceholder(decodeSafe(password))) continue;
      const start = match.index + match[1].length + 1;
      found.push({ start, end: start + password.length, kind: 'password in a connection string', env: 'DATABASE_URL' });
    }
    for (const match of text.matchAll(URL_TOKEN_USER)) {
      const user = match[2];
      if (user.endsWith('…') || isPlaceholder(user) || !looksRandom(user, 12)) continue;
      const start = match.index + match[1].length;
      found.push({ start, end: start + user.length, kind: 'token in a URL', env: 'GIT_TOKEN' });
    }
  }
  if (text.includes('=')) {
    for (const match of text.matchAll(QUERY_PARAMETER)) {
      const value = match[3];
      if (!QUERY_SECRET_NAMES.test(match[2]) || value.endsWith('…') || !tokenLike(value) || isPlaceholder(value)) continue;
      const start = match.index + match[1].length + match[2].length + 1;
      found.push({ start, end: start + value.length, kind: 'token in a URL query string', env: 'SECRET' });
    }
  }
  if (text.includes('env')) {
    for (const match of text.matchAll(ENV_MAGIC)) {
      const value = match[4];
      if (!isSecretName(match[2]) || value.endsWith('…') || isPlaceholder(value) || value.startsWith('$')) continue;
      const start = match.index + match[1].length + match[2].length + match[3].length;
      found.push({ start, end: start + value.length, kind: 'secret in %env', env: match[2] });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: SecretMatch[] = [];
  for (const match of found) {
    const last = kept[kept.length - 1];
    if (last && match.start < last.end) {
      last.end = Math.max(last.end, match.end);
      continue;
    }
    kept.push({ ...match });
  }
  return kept;
}

/** How a secret is shown: at most its first 4 characters (none for short ones), then `…`. */
export function maskSecret(secret: string): string {
  return secret.length >= 16 ? `${secret.slice(0, 4)}…` : '…';
}

/**
 * The text with every recognisable secret masked, and every value in `known` (literals that
 * `classifySecret` judged to be credentials) masked wherever it appears. Idempotent.
 */
export function redact(text: string, known?: Iterable<string>): string {
  if (typeof text !== 'string' || text === '') return text;
  let result = text;
  if (known) {
    for (const value of known) {
      if (value.length >= 4 && result.includes(value)) result = result.split(value).join(maskSecret(value));
    }
  }
  // Findings' messages come back unchanged from keystroke to keystroke: their redaction is kept
  // for short texts (a bounded memo, in memory only, as `mayBeSecret`'s).
  if (result.length > 512) return redactFound(result);
  const memo = redactedMemo.get(result);
  if (memo !== undefined) return memo;
  if (redactedMemo.size >= 4096) redactedMemo.clear();
  const redacted = redactFound(result);
  redactedMemo.set(result, redacted);
  return redacted;
}

const redactedMemo = new Map<string, string>();

/** `text` with every secret `findSecrets` sees masked. */
function redactFound(result: string): string {
  const matches = findSecrets(result);
  if (matches.length === 0) return result;
  let out = '';
  let cursor = 0;
  for (const match of matches) {
    out += result.slice(cursor, match.start) + maskSecret(result.slice(match.start, match.end));
    cursor = match.end;
  }
  return out + result.slice(cursor);
}

/** Every string inside a JSON-like value redacted (reports sent to the editor); other values kept. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = redactDeep(item);
    return out as T;
  }
  return value;
}

/** True when the text holds a recognisable secret. */
export function containsSecret(text: string): boolean {
  return findSecrets(text).length > 0;
}

// ---- a literal's verdict, with its name ----------------------------------------------------------

const PASSWORD_WORDS = /^(?:password|passwd|passphrase|pwd|pass)$/i;
/** Prefixes that make a bare `key` a credential (`api_key`, `secret_key`), unlike `sort_key` or `cache_key`. */
const KEY_PREFIXES =
  /^(?:api|secret|access|private|auth|client|signing|encryption|master|license|subscription|service|openai|anthropic|cohere|stripe|aws|gcp|azure|wandb|comet|neptune|hf|huggingface|pinecone|mapbox|sendgrid|twilio)$/i;
const AUTH_SCHEME = /^(?:Bearer|Basic|Token|token)\s+(\S+)$/;
/** `scheme://user:password@host` as a whole value. */
const CONNECTION = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^:/@\s]*:([^@\s/]+)@[^\s]+$/;

/** The words of an identifier: `apiKey` → api, Key; `DB_PASSWORD` → DB, PASSWORD. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '');
}

/**
 * The words of a name that says what it holds: IBM Cloud's `ibm_api_key_id` is the API key itself
 * (the instance's id is `ibm_service_instance_id`), so its trailing `id` is dropped.
 */
function credentialWords(name: string): string[] {
  const parts = nameWords(name);
  const n = parts.length;
  if (n >= 3 && /^id$/i.test(parts[n - 1]) && /^key$/i.test(parts[n - 2]) && /^api$/i.test(parts[n - 3])) parts.pop();
  return parts;
}

/** A name whose last word says credential (`OPENAI_API_KEY`, `db_password`, `hfToken`). */
export function isSecretName(name: string): boolean {
  const parts = credentialWords(name);
  return SECRET_WORDS.test(parts[parts.length - 1] ?? '');
}

/**
 * Whether a string literal's value is a credential, given the name it is bound to (assignment
 * target, keyword, dictionary key, parameter), and what kind.
 */
export function classifySecret(value: string, name: string | undefined): { kind: string; env: string } | undefined {
  // Every shape starts with one of SHAPE_PREFIXES: one scan rules out all eleven for most values.
  if (SHAPE_PREFIXES.test(value)) for (const known of SECRET_SHAPES) if (known.whole.test(value)) return { kind: known.kind, env: known.env };
  if (PEM_START.test(value)) return { kind: 'private key', env: 'PRIVATE_KEY' };
  const connection = CONNECTION.exec(value);
  if (connection) {
    const password = decodeSafe(connection[1]);
    if (!isPlaceholder(password)) return { kind: 'password in a connection string', env: 'DATABASE_URL' };
    return undefined;
  }
  const embedded = findSecrets(value)[0];
  if (embedded) return { kind: embedded.kind, env: embedded.env };
  if (!name) return undefined;
  const parts = credentialWords(name);
  const last = parts[parts.length - 1] ?? '';
  if (!SECRET_WORDS.test(last)) return undefined;
  let secret = value;
  if (/^authorization$|^auth$/i.test(last)) {
    // A header value: `Bearer <token>`, `Basic <base64>`, `token <token>`.
    const scheme = AUTH_SCHEME.exec(value);
    if (!scheme) return undefined;
    secret = scheme[1];
  }
  if (notASecret(secret)) return undefined;
  if (PASSWORD_WORDS.test(last)) {
    if (!passwordLike(secret)) return undefined;
    return { kind: 'password', env: 'PASSWORD' };
  }
  const bareKey = /^key$/i.test(last) && !(parts.length > 1 && KEY_PREFIXES.test(parts[parts.length - 2]));
  if (!looksRandom(secret, bareKey ? 20 : 12)) return undefined;
  const kind = /pass|pwd/i.test(last)
    ? 'password'
    : /token/i.test(last)
      ? 'token'
      : /secret/i.test(last)
        ? 'secret'
        : /credential/i.test(last)
          ? 'credential'
          : 'key';
  return { kind, env: 'SECRET' };
}

/**
 * False when `classifySecret` rejects the value under every possible name: a cheap test before
 * looking the name up. True for every value some name would make a credential.
 */
export function mayBeSecret(value: string): boolean {
  if (value.length < 4) return false;
  // The same literals come back in file after file (`"utf-8"`, `"__main__"`, column names) and,
  // in the server, keystroke after keystroke (a script's argparse help texts): the verdict depends
  // on the value alone, so it is kept for values up to a few lines long (a bounded memo).
  if (value.length > 512) return judgeMayBeSecret(value);
  const known = mayBeSecretMemo.get(value);
  if (known !== undefined) return known;
  if (mayBeSecretMemo.size >= 4096) mayBeSecretMemo.clear();
  const verdict = judgeMayBeSecret(value);
  mayBeSecretMemo.set(ownCopy(value), verdict);
  return verdict;
}

const mayBeSecretMemo = new Map<string, boolean>();

function judgeMayBeSecret(value: string): boolean {
  if (classifySecret(value, undefined)) return true;
  const scheme = AUTH_SCHEME.exec(value);
  const secrets = scheme ? [value, scheme[1]] : [value];
  return secrets.some((secret) => !notASecret(secret) && (passwordLike(secret) || looksRandom(secret, 12)));
}

/** A value that can be a token: 8 characters or more, letters and digits, not a word chain. */
function tokenLike(value: string): boolean {
  return value.length >= 8 && /[0-9]/.test(value) && /[A-Za-z]/.test(value) && !isWordLike(value);
}

function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value) || /^[{$%<*]/.test(value);
}

/** Placeholders, text with spaces and CONSTANT_NAMES are never secrets, whatever they are bound to. */
function notASecret(secret: string): boolean {
  return PLACEHOLDER.test(secret) || /\s/.test(secret) || /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(secret);
}

function passwordLike(secret: string): boolean {
  if (secret.length < 4 || (/^[a-z]+(?:[_-][a-z]+)*$/.test(secret) && secret.length < 6)) return false;
  return !(isWordLike(secret) && !/\d/.test(secret));
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Words, identifiers and paths: `customer_id`, `X-Auth-Token`, `model-v1`, `users.email`, in any
 * script: a validation message in Chinese (`"密码和确认密码不一致"`, written without spaces) or German
 * words joined by hyphens is text for a person, not a credential.
 */
function isWordLike(value: string): boolean {
  return /^\p{L}+(?:[-_.: /]\p{L}+)*$/u.test(value);
}

/**
 * Identifier words joined by punctuation, no digits: `[_TrainingEpochLoop].train_dataloader_next`
 * (a profiler's record name), `Foo.Bar::baz`. Random tokens split into short fragments.
 */
function isWordChain(value: string): boolean {
  if (/\d/.test(value)) return false;
  const pieces = value.split(/[^A-Za-z]+/).flatMap((chunk) => chunk.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])/g) ?? []);
  return pieces.length >= 2 && pieces.every((piece) => piece.length >= 2) && pieces.filter((piece) => piece.length >= 4).length * 2 >= pieces.length;
}

/** A random-looking token: long enough, several character classes, high entropy, not a word chain. */
export function looksRandom(value: string, minLength: number): boolean {
  if (value.length < minLength || isWordLike(value) || isWordChain(value)) return false;
  if (/^[a-z]+(?:[-_.][a-z0-9]+)*$/.test(value) && !/\d{3,}/.test(value)) return false;
  if (/^https?:\/\//.test(value) || /^[./~]/.test(value)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((pattern) => pattern.test(value)).length;
  const hex = /^[0-9a-f]{24,}$/i.test(value);
  if (classes < 2 && !hex) return false;
  return entropy(value) >= (hex ? 3.0 : 3.3);
}

function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** `OPENAI_KEY` for `openai_key`, `apiKey` → `API_KEY`; undefined for names that make poor variables. */
export function envNameFor(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const parts = nameWords(name);
  if (parts.length === 0) return undefined;
  return parts.join('_').toUpperCase();
}

// ---- control characters ---------------------------------------------------------------------------

/**
 * Text safe for a terminal: control characters (ESC, BEL, CR, C1 controls, bidi overrides) shown
 * as `\xNN`/`\uNNNN` escapes, so a file name or message cannot move the cursor, recolour the
 * screen or set the window title. Newlines and tabs are escaped too: one finding, one line.
 */
export function escapeControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
