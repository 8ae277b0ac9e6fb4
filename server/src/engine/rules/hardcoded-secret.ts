import { defineRule } from '../rule';
import type { SyntaxNode } from '../parser';
import { ensureImport } from '../fixes';
import { stringValue } from '../literals';
import { classifySecret, envNameFor, findSecrets, mayBeSecret, maskSecret } from '../secrets';
import { boundName as nameFor } from '../secret-literals';

/**
 * `("https://api.x.com/v1?api_key=" + os.environ["OPENAI_API_KEY"])`: the literal's text around the
 * secret kept as it is written, when the literal is one plain string (no f-, byte or template
 * prefix, no interpolation) and stands alone (an implicit concatenation cannot hold a `+`);
 * undefined (no fix) otherwise.
 */
function aroundSecret(node: SyntaxNode, value: string, secret: { start: number; end: number }, read: string): string | undefined {
  if (node.type !== 'string' || node.parent?.type === 'concatenated_string') return undefined;
  const open = node.children.find((child) => child.type === 'string_start');
  const close = node.children.find((child) => child.type === 'string_end');
  if (!open || !close || /[fbt]/i.test(open.text)) return undefined;
  // (The value is the literal's text as written, escapes included: cut where no escape is cut.)
  const text = node.tree.text;
  if (text.slice(open.endIndex, close.startIndex) !== value || value[secret.start - 1] === '\\') return undefined;
  const parts: string[] = [];
  if (secret.start > 0) parts.push(`${open.text}${value.slice(0, secret.start)}${close.text}`);
  parts.push(read);
  if (secret.end < value.length) parts.push(`${open.text}${value.slice(secret.end)}${close.text}`);
  return `(${parts.join(' + ')})`;
}

export default defineRule({
  name: 'hardcoded-secret',
  category: 'configuration',
  severity: 'error',
  scope: 'statement',
  summary: 'A credential (API key, token, password, connection string with a password) written into the code.',
  fix: 'unsafe',
  docs: {
    what: 'Flags string literals that are credentials: known key formats anywhere (AWS access key IDs, `sk-…` API keys, Stripe `sk_live_…`, GitHub `ghp_…`, Hugging Face `hf_…`, Slack `xox…` tokens and webhooks, Google `AIza…` keys, private key blocks, JWTs), connection strings that carry a password (`postgresql://user:pass@host/db`), and random-looking values assigned to a name, keyword argument, dictionary key or parameter default that says key, secret, token, password, passwd, pwd or credential. The message shows at most the first 4 characters of the value.',
    why: 'A secret in code is a secret in every clone, fork, notebook export, CI log and Docker layer, and in git history after it is "removed". Keys pushed to a public repository are found by scanners within minutes. It also ties the code to one account: the same code cannot run against staging and production without editing it.',
    example: 'OPENAI_KEY = "sk-88Hx…"\nconn = psycopg2.connect(host="db", user="etl", password="q9Tv-R2mW7zL4pXe")',
    useInstead: 'import os\n\nOPENAI_KEY = os.environ["OPENAI_KEY"]\nconn = psycopg2.connect(host="db", user="etl", password=os.environ["PASSWORD"])',
    fixSafety:
      'Unsafe: the literal is replaced with `os.environ["NAME"]` (named after the variable or keyword, or after the key\'s kind), and `import os` is added if needed. The program now fails with a `KeyError` until that variable is set, which changes behaviour on purpose; the secret must also be rotated, since it stays in the repository\'s history.',
    notes:
      'Not flagged: empty strings and placeholders (`"YOUR_API_KEY"`, `"<token>"`, `"[your-api-key]"`, `"xxx"`, `"changeme"`, `"${TOKEN}"`), values read from the environment or a secret manager, names whose last word is not a secret word (IBM Cloud\'s `ibm_api_key_id` is read as the API key it is) (`PASSWORD_FIELD = "password"`, `TOKEN_HEADER = "X-Auth-Token"`, `token_env_var = "SLACK_BOT_TOKEN"`), values that are an environment variable\'s name (`"DB_PASSWORD"`), and words or identifiers (`key="customer_id"`), in any script (a validation message `{"confirm_password": "密码和确认密码不一致"}`, German words joined by hyphens). A bare `key` needs a prefix that makes it a credential (`api_key`, `secret_key`) or a long random value. Password names (`password`, `passwd`, `pwd`) accept short values (`"hunter2"`), since real passwords often are, but not a plain word (`"postgres"`, `"email"`), which is more often a user or field name; token/secret/key names need a random-looking value (at least 12 characters, mixed character classes, high entropy). A connection string whose password is a placeholder (`user:password@`, `user:${PW}@`) is not flagged, nor is a form field\'s `placeholder=` hint (`st.text_input("Database URL", placeholder="postgresql://user:pass@host:port/db")`). Docstrings are never checked. Publishable keys (Stripe `pk_…`) are not secrets. The fix reads the value from the environment; a key inside a longer string (a URL\'s query) is read alone and the rest kept as written: `("https://api.example.com/v1?api_key=" + os.environ["OPENAI_API_KEY"] + "&limit=5")`, with no fix inside an implicit concatenation of literals.',
  },
  create(context) {
    const reported = new Set<number>();
    return {
      string(node) {
        if (reported.has(node.id)) return;
        // A docstring or a bare string first: reading the parent is two array reads, while docstrings,
        // the longest literals of most files, cost a regex scan each to read and to judge.
        if (node.parent?.type === 'expression_statement') return;
        const value = stringValue(node);
        if (!value || value.length < 4) return;
        if (!mayBeSecret(value)) return;
        // A form field's hint (`st.text_input("Database URL", placeholder="postgresql://user:pass@host:port/db")`) shows the format.
        if (node.parent?.type === 'keyword_argument' && node.parent.childForFieldName('name')?.text === 'placeholder') return;
        const named = nameFor(node);
        const finding = classifySecret(value, named?.name);
        if (!finding) return;
        reported.add(node.id);
        // A key inside a longer value (`"https://api.x.com/v1?api_key=sk-…"`): only the key is read from the environment.
        const within = findSecrets(value);
        // (A connection string is replaced whole: its password alone is no setting anyone keeps.)
        const part =
          within.length === 1 && within[0].kind === finding.kind && finding.env !== 'DATABASE_URL' && (within[0].start > 0 || within[0].end < value.length)
            ? within[0]
            : undefined;
        const env = part ? part.env : (envNameFor(named?.name) ?? finding.env);
        const os = ensureImport(context, 'os');
        const read = `${os.name}.environ["${env}"]`;
        const replacement = part ? aroundSecret(node, value, part, read) : read;
        context.report({
          node,
          message: `Hard-coded ${finding.kind} (\`${maskSecret(value)}\`)${named ? ` in \`${named.name}\`` : ''}: anyone with the code has the credential; read it from the environment or a secret manager (\`os.environ["${env}"]\`) and rotate it`,
          fix: replacement
            ? {
                title: `Read it from the environment variable ${env}`,
                applicability: 'unsafe',
                edits: [...os.edits, { start: node.startIndex, end: node.endIndex, text: replacement }],
              }
            : undefined,
        });
      },
      // Magics and shell escapes are masked from the parser: `%env KEY=…`, `!pip install git+https://TOKEN@…`.
      'file:end'() {
        for (const magic of context.notebook?.magics ?? []) {
          for (const secret of findSecrets(magic.text)) {
            context.report({
              start: magic.start + secret.start,
              end: magic.start + secret.end,
              message: `Hard-coded ${secret.kind} (\`${maskSecret(magic.text.slice(secret.start, secret.end))}\`) in a notebook ${magic.kind === 'shell' ? 'shell command' : 'magic'}: anyone with the notebook has the credential; read it from the environment (\`$${secret.env}\` in a shell line) and rotate it`,
            });
          }
        }
      },
    };
  },
});
