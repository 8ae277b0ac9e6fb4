import { defineRule } from '../rule';
import { closestName } from '../spelling';
import { suppressedNames } from '../suppression';

/**
 * The registry's names, handed over by the registry once it is built (`rules/index.ts`): the
 * registry imports this rule, so importing it back would be circular. (A lazy `require` of the
 * registry did this before; it made the bundler load the whole engine lazily, and in the
 * extension's bundle the secret redaction was then never initialised.)
 */
export function knowRuleNames(names: ReadonlySet<string>): void {
  registryNames = names;
}

let registryNames: ReadonlySet<string> | undefined;

function ruleNames(): ReadonlySet<string> {
  if (!registryNames) throw new Error('unknown-suppression runs without the rule registry (rules/index.ts hands it the names)');
  return registryNames;
}

export default defineRule({
  name: 'unknown-suppression',
  category: 'configuration',
  severity: 'warning',
  summary: 'A suppression comment names a rule that does not exist, so it suppresses nothing.',
  fix: 'safe',
  docs: {
    what: "Flags each rule name in a `# mlready: ignore[…]` or `# mlready: ignore-file[…]` comment that is not one of mlready's rules, and suggests the closest rule name.",
    why: 'A misspelt name in a suppression comment silently suppresses nothing: the finding it was meant to silence is still reported (or, worse, the comment reads as if a reviewed exception existed when it does not). The typo is only noticed when someone wonders why the comment has no effect.',
    example: 'X_train, X_test = train_test_split(X, test_size=0.2)  # mlready: ignore[missing-sed]',
    useInstead: 'X_train, X_test = train_test_split(X, test_size=0.2)  # mlready: ignore[missing-seed]',
    fixSafety:
      'Safe: the fix replaces the misspelt name with the closest rule name (within a few letters), which is what the comment meant; the code is not touched, only the comment.',
    notes: 'A bare `# mlready: ignore` (every rule on the line) names no rule and is not checked. A name with no close rule gets the finding without a fix.',
  },
  create(context) {
    return {
      'file:end'() {
        const known = ruleNames();
        for (const { name, start, end } of suppressedNames(context.model.comments)) {
          if (known.has(name)) continue;
          const close = closestName(name, known);
          context.report({
            start,
            end,
            message: close
              ? `unknown rule \`${name}\` in a suppression comment; did you mean \`${close}\`? As written it suppresses nothing`
              : `unknown rule \`${name}\` in a suppression comment: it suppresses nothing; see \`mlready rules\` for the names`,
            fix: close ? { title: `Replace with \`${close}\``, applicability: 'safe', edits: [{ start, end, text: close }] } : undefined,
          });
        }
      },
    };
  },
});
