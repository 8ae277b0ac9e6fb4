import { defineRule } from '../rule';
import { ensureImport } from '../fixes';
import { stringValue } from '../literals';
import { dottedText } from '../semantic';
import type { SyntaxNode } from '../parser';

/** Credential formats recognisable on their own, with the environment variable a fix reads instead. */
const KNOWN_FORMATS: { pattern: RegExp; kind: string; env: string }[] = [
  { pattern: /^(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}$/, kind: 'AWS access key ID', env: 'AWS_ACCESS_KEY_ID' },
  { pattern: /^sk-(?:proj-|ant-[a-z0-9]+-)?[A-Za-z0-9_-]{20,}$/, kind: 'API key', env: 'OPENAI_API_KEY' },
  { pattern: /^(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}$/, kind: 'Stripe secret key', env: 'STRIPE_API_KEY' },
  { pattern: /^(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}$|^github_pat_[A-Za-z0-9_]{22,}$/, kind: 'GitHub token', env: 'GITHUB_TOKEN' },
  { pattern: /^hf_[A-Za-z0-9]{30,}$/, kind: 'Hugging Face token', env: 'HF_TOKEN' },
  { pattern: /^xox[abposr]-[A-Za-z0-9-]{10,}$/, kind: 'Slack token', env: 'SLACK_TOKEN' },
  { pattern: /^https:\/\/hooks\.slack\.com\/services\/T[A-Za-z0-9]+\/B[A-Za-z0-9]+\/[A-Za-z0-9]{16,}$/, kind: 'Slack webhook URL', env: 'SLACK_WEBHOOK_URL' },
  { pattern: /^AIza[0-9A-Za-z_-]{35}$/, kind: 'Google API key', env: 'GOOGLE_API_KEY' },
  { pattern: /^glpat-[A-Za-z0-9_-]{20,}$/, kind: 'GitLab token', env: 'GITLAB_TOKEN' },
  { pattern: /^npm_[A-Za-z0-9]{36}$/, kind: 'npm token', env: 'NPM_TOKEN' },
  { pattern: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----/, kind: 'private key', env: 'PRIVATE_KEY' },
  { pattern: /^eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}$/, kind: 'JSON Web Token', env: 'AUTH_TOKEN' },
];

/** `scheme://user:password@host`: the password part, when there is one. */
const CONNECTION = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^:/@\s]*:([^@\s/]+)@[^\s]+$/;

/** Name parts that say the value is a credential. */
const SECRET_WORDS = /^(?:key|apikey|secret|secrets|token|tokens|password|passwd|passphrase|pwd|pass|credential|credentials|auth|authorization)$/i;
const PASSWORD_WORDS = /^(?:password|passwd|passphrase|pwd|pass)$/i;
/** Prefixes that make a bare `key` a credential (`api_key`, `secret_key`), unlike `sort_key` or `cache_key`. */
const KEY_PREFIXES = /^(?:api|secret|access|private|auth|client|signing|encryption|master|license|subscription|service|openai|anthropic|cohere|stripe|aws|gcp|azure|wandb|comet|neptune|hf|huggingface|pinecone|mapbox|sendgrid|twilio)$/i;

/** Stand-ins that are not credentials. */
const PLACEHOLDER = /^(?:your|my|insert|enter|put|add|replace|set)[-_ ]|[-_ ](?:here|goes[-_ ]here)$|^<[^>]*>$|^\{[^}]*\}$|^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$|^%\(?[a-z_]*\)?s$|^(?:x+|\*+|\.+|-+|#+|0+|1234\w*|abc\w*)$|^(?:changeme|change[-_]?me|placeholder|dummy|example|sample|redacted|secret|password|passwd|token|api[-_]?key|none|null|undefined|todo|fixme|tbd|test|testing|fake|mock|default|empty|n\/a|na)$/i;

export default defineRule({
  name: 'hardcoded-secret',
  category: 'configuration',
  severity: 'error',
  summary: 'A credential (API key, token, password, connection string with a password) written into the code.',
  fix: 'unsafe',
  docs: {
    what: 'Flags string literals that are credentials: known key formats anywhere (AWS access key IDs, `sk-…` API keys, Stripe `sk_live_…`, GitHub `ghp_…`, Hugging Face `hf_…`, Slack `xox…` tokens and webhooks, Google `AIza…` keys, private key blocks, JWTs), connection strings that carry a password (`postgresql://user:pass@host/db`), and random-looking values assigned to a name, keyword argument, dictionary key or parameter default that says key, secret, token, password, passwd, pwd or credential. The message shows at most the first 4 characters of the value.',
    why: 'A secret in code is a secret in every clone, fork, notebook export, CI log and Docker layer, and in git history after it is "removed". Keys pushed to a public repository are found by scanners within minutes. It also ties the code to one account: the same code cannot run against staging and production without editing it.',
    example: 'OPENAI_KEY = "sk-88Hx…"\nconn = psycopg2.connect(host="db", user="etl", password="q9Tv-R2mW7zL4pXe")',
    useInstead: 'import os\n\nOPENAI_KEY = os.environ["OPENAI_KEY"]\nconn = psycopg2.connect(host="db", user="etl", password=os.environ["PASSWORD"])',
    fixSafety: 'Unsafe: the literal is replaced with `os.environ["NAME"]` (named after the variable or keyword, or after the key\'s kind), and `import os` is added if needed. The program now fails with a `KeyError` until that variable is set, which changes behaviour on purpose; the secret must also be rotated, since it stays in the repository\'s history.',
    notes: 'Not flagged: empty strings and placeholders (`"YOUR_API_KEY"`, `"<token>"`, `"xxx"`, `"changeme"`, `"${TOKEN}"`), values read from the environment or a secret manager, names whose last word is not a secret word (`PASSWORD_FIELD = "password"`, `TOKEN_HEADER = "X-Auth-Token"`, `token_env_var = "SLACK_BOT_TOKEN"`), values that are an environment variable\'s name (`"DB_PASSWORD"`), and words or identifiers (`key="customer_id"`). A bare `key` needs a prefix that makes it a credential (`api_key`, `secret_key`) or a long random value. Password names (`password`, `passwd`, `pwd`) accept short values (`"hunter2"`), since real passwords often are, but not a plain word (`"postgres"`, `"email"`), which is more often a user or field name; token/secret/key names need a random-looking value (at least 12 characters, mixed character classes, high entropy). A connection string whose password is a placeholder (`user:password@`, `user:${PW}@`) is not flagged. Docstrings are never checked. Publishable keys (Stripe `pk_…`) are not secrets.',
  },
  create(context) {
    const reported = new Set<number>();
    return {
      string(node) {
        if (reported.has(node.id)) return;
        const value = stringValue(node);
        if (!value || value.length < 4) return;
        // Cheap test first (`parent` is costly): most strings are no secret whatever their name.
        if (!classify(value, undefined) && !mayBeNamedSecret(value)) return;
        if (node.parent?.type === 'expression_statement') return; // a docstring or a bare string
        const named = nameFor(node);
        const finding = classify(value, named);
        if (!finding) return;
        reported.add(node.id);
        const env = envName(named?.name) ?? finding.env;
        const os = ensureImport(context, 'os');
        context.report({
          node,
          message: `Hard-coded ${finding.kind} (\`${value.slice(0, 4)}…\`)${named ? ` in \`${named.name}\`` : ''}: anyone with the code has the credential; read it from the environment or a secret manager (\`os.environ["${env}"]\`) and rotate it`,
          fix: {
            title: `Read it from the environment variable ${env}`,
            applicability: 'unsafe',
            edits: [...os.edits, { start: node.startIndex, end: node.endIndex, text: `${os.name}.environ["${env}"]` }],
          },
        });
      },
    };
  },
});

/** The name a literal is bound to: assignment target, keyword, dictionary key, parameter. */
function nameFor(node: SyntaxNode): { name: string } | undefined {
  const parent = node.parent;
  if (!parent) return undefined;
  if (parent.type === 'assignment' && parent.childForFieldName('right')?.id === node.id) {
    const left = parent.childForFieldName('left');
    const name = left ? dottedText(left) : undefined;
    return name ? { name: name.split('.').pop()! } : undefined;
  }
  if (parent.type === 'keyword_argument' && parent.childForFieldName('value')?.id === node.id) {
    const name = parent.childForFieldName('name')?.text;
    return name ? { name } : undefined;
  }
  if ((parent.type === 'default_parameter' || parent.type === 'typed_default_parameter') && parent.childForFieldName('value')?.id === node.id) {
    const name = parent.childForFieldName('name')?.text;
    return name ? { name } : undefined;
  }
  if (parent.type === 'pair' && parent.childForFieldName('value')?.id === node.id) {
    const key = parent.childForFieldName('key');
    const name = key ? stringValue(key) : undefined;
    return name ? { name } : undefined;
  }
  return undefined;
}

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '');
}

function classify(value: string, named: { name: string } | undefined): { kind: string; env: string } | undefined {
  for (const format of KNOWN_FORMATS) if (format.pattern.test(value)) return { kind: format.kind, env: format.env };
  const connection = CONNECTION.exec(value);
  if (connection) {
    const password = decodeSafe(connection[1]);
    if (!PLACEHOLDER.test(password) && !/^[{$%<*]/.test(password)) return { kind: 'password in a connection string', env: 'DATABASE_URL' };
    return undefined;
  }
  if (!named) return undefined;
  const parts = words(named.name);
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
  const kind = /pass|pwd/i.test(last) ? 'password' : /token/i.test(last) ? 'token' : /secret/i.test(last) ? 'secret' : /credential/i.test(last) ? 'credential' : 'key';
  return { kind, env: 'SECRET' };
}

const AUTH_SCHEME = /^(?:Bearer|Basic|Token|token)\s+(\S+)$/;

/** Placeholders, text with spaces and CONSTANT_NAMES are never secrets, whatever they are bound to. */
function notASecret(secret: string): boolean {
  return PLACEHOLDER.test(secret) || /\s/.test(secret) || /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(secret);
}

function passwordLike(secret: string): boolean {
  if (secret.length < 4 || /^[a-z]+(?:[_-][a-z]+)*$/.test(secret) && secret.length < 6) return false;
  return !(isWordLike(secret) && !/\d/.test(secret));
}

/**
 * False when `classify` rejects the value under every possible name: the same tests as its
 * named branch, with the most permissive name (a password, or a key of 12 characters or more).
 */
function mayBeNamedSecret(value: string): boolean {
  const scheme = AUTH_SCHEME.exec(value);
  const secrets = scheme ? [value, scheme[1]] : [value];
  return secrets.some((secret) => !notASecret(secret) && (passwordLike(secret) || looksRandom(secret, 12)));
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Words, identifiers and paths: `customer_id`, `X-Auth-Token`, `model-v1`, `users.email`. */
function isWordLike(value: string): boolean {
  return /^[A-Za-z]+(?:[-_.: /][A-Za-z]+)*$/.test(value);
}

/** A random-looking token: long enough, several character classes, high entropy, not a word chain. */
function looksRandom(value: string, minLength: number): boolean {
  if (value.length < minLength || isWordLike(value)) return false;
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
function envName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const parts = words(name);
  if (parts.length === 0) return undefined;
  return parts.join('_').toUpperCase();
}
