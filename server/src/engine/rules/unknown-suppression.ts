import { defineRule } from '../rule';
import { closestName } from '../spelling';
import { suppressedNames } from '../suppression';

/**
 * The registry's names, read when a file is checked: the registry imports this rule, so importing
 * it back at load time would be circular.
 */
function ruleNames(): ReadonlySet<string> {
  // Once: in the bundle each `require` of an ES module copies all its exports into a new object
  // (130 ms over the 2,000 files of the bench workspace when it ran per file).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  registryNames ??= (require('./index') as typeof import('./index')).RULE_NAMES;
  return registryNames;
}

let registryNames: ReadonlySet<string> | undefined;

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
