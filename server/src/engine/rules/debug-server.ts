import { defineRule } from '../rule';
import type { SyntaxNode } from '../parser';
import { keywordArgument, positionalArguments } from '../calls';
import { literalString } from '../literals';
import { resolveValue } from '../dataflow';
import { DEBUG_SERVER_APPS } from '../knowledge';

/** Names an application object usually has when it comes from the project's own module (`from app import app`). */
const APP_NAME = /^(app|application|server|flask_app|web_app|api)$/;
const RUN_METHODS = new Set(['run', 'run_server']);
const ALL_INTERFACES = new Set(['0.0.0.0', '::', '[::]']);
const WERKZEUG_RUN_SIMPLE = new Set(['werkzeug.serving.run_simple', 'werkzeug.run_simple']);
const SHOWN: Record<string, string> = { flask: 'Flask', quart: 'Quart', sanic: 'Sanic', dash: 'Dash' };

export default defineRule({
  name: 'debug-server',
  category: 'failure-handling',
  severity: 'warning',
  scope: 'statement',
  summary: 'A web server started with its debugger or debug mode on (`app.run(debug=True)`), worst on `host="0.0.0.0"`.',
  docs: {
    what: 'Flags serving code started with a debugger exposed: `app.run(debug=True)` (or `use_debugger=True`) on a Flask, Quart, Sanic or Dash app, and Werkzeug\'s `run_simple(..., use_debugger=True)`. It is an error when the server also listens on every interface (`host="0.0.0.0"` or `"::"`). An app whose class cannot be seen (imported from the project\'s own module, `from app import app`) counts when it is named like one (`app`, `application`, `server`).',
    why: "Flask's debug mode turns on the Werkzeug debugger: when a request fails, the error page has a console that runs any Python on the server, guarded by a PIN that leaks through the same error pages and logs. On `0.0.0.0` that console is open to anyone who can reach the port, which for a model demo on a cloud VM or in a container is often the internet. Debug mode also reloads the code on file changes and shows tracebacks, with paths and values, to every client. Model services shipped from a demo script keep `debug=True` more often than not.",
    example: 'from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", port=5000, debug=True)',
    useInstead:
      'import os\nfrom flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    # development only; in production: gunicorn -b 0.0.0.0:5000 app:app\n    app.run(port=5000, debug=os.environ.get("FLASK_DEBUG") == "1")',
    notes:
      "Only a literal `True` (or a constant that holds it) counts: `debug=os.environ.get(...)`, `debug=args.debug` and `debug=config.DEBUG` are the usual way to keep debugging for development and are not flagged. Uvicorn's `reload=True` and Gradio's `launch(debug=True)` expose no debugger and are not flagged. No automatic fix: whether to read the flag from the environment or drop it is a choice about how the app is run.",
    realCode:
      'On the 37 repositories of the audit: 5 findings, all read, 5 true positives, precision 1.00 (`app.run(debug=True)`, twice on `0.0.0.0`, in small Flask LLM and model-serving backends). The larger applications of the sample serve with uvicorn or gunicorn. Reproduce: `scripts/audit-checkout.sh <mirrors> /tmp/audit`, then `node --import tsx scripts/real-code-audit.ts /tmp/audit --check` (verdicts in `docs/audit/llm-rules.csv`, method and repositories in `docs/real-code-audit.md`).',
  },
  create(context) {
    const { model } = context;

    const isTrue = (node: SyntaxNode | undefined): boolean => node !== undefined && resolveValue(model, node).type === 'true';

    const report = (call: SyntaxNode, shown: string, host: SyntaxNode | undefined, keyword: string): void => {
      const hostValue = host ? literalString(resolveValue(model, host)) : undefined;
      const everywhere = hostValue !== undefined && ALL_INTERFACES.has(hostValue);
      context.report({
        node: call,
        severity: everywhere ? 'error' : undefined,
        message: `${shown} started with \`${keyword}=True\`${everywhere ? ` on \`host="${hostValue}"\`` : ''}: ${
          everywhere ? 'anyone who reaches this port' : 'whoever reaches the server'
        } gets the interactive debugger, which runs arbitrary Python; read the flag from the environment for development and serve with a production server`,
      });
    };

    return {
      call(call) {
        const method = model.method(call);
        if (method && RUN_METHODS.has(method.name)) {
          const keyword = isTrue(keywordArgument(call, 'debug')) ? 'debug' : isTrue(keywordArgument(call, 'use_debugger')) ? 'use_debugger' : undefined;
          if (!keyword) return;
          const type = model.constructedType(method.receiver);
          let framework = type ? DEBUG_SERVER_APPS.get(type) : undefined;
          if (!framework) {
            if (type || method.receiver.type !== 'identifier' || !APP_NAME.test(method.receiver.text)) return;
            // An app from the project's own module; a library's object (`uvicorn`, `gradio`) resolves to it.
            const qualified = model.qualifiedName(method.receiver);
            if (qualified && /^(uvicorn|gradio|streamlit|dash|fastapi|starlette|hypercorn|waitress|gunicorn)\b/.test(qualified)) return;
            framework = 'flask';
          }
          const shown = `\`${method.receiver.text}.${method.name}\` (${SHOWN[framework] ?? framework})`;
          report(call, shown, keywordArgument(call, 'host') ?? (framework === 'dash' ? undefined : positionalArguments(call)[0]), keyword);
          return;
        }
        if (!method && !model.mentions('run_simple')) return;
        const qualified = model.callee(call);
        if (qualified && WERKZEUG_RUN_SIMPLE.has(qualified) && isTrue(keywordArgument(call, 'use_debugger'))) {
          report(call, '`run_simple` (Werkzeug)', keywordArgument(call, 'hostname') ?? positionalArguments(call)[0], 'use_debugger');
        }
      },
    };
  },
});
