import rule from '../server/src/engine/rules/debug-server';
import { ruleTester } from './helpers/rule-tester';

ruleTester(rule, {
  valid: [
    { code: 'from flask import Flask\napp = Flask(__name__)\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", port=8080)\n' },
    {
      code: 'import os\nfrom flask import Flask\napp = Flask(__name__)\napp.run(debug=os.environ.get("FLASK_DEBUG") == "1")\n',
      name: 'debug from the environment',
    },
    { code: 'from flask import Flask\napp = Flask(__name__)\napp.run(debug=args.debug)\n' },
    { code: 'from flask import Flask\napp = Flask(__name__)\napp.run(debug=False)\n' },
    {
      code: 'import uvicorn\nfrom fastapi import FastAPI\napp = FastAPI()\nuvicorn.run(app, host="0.0.0.0", port=8000, reload=True)\n',
      name: 'uvicorn reload is not a debugger',
    },
    {
      code: 'import gradio as gr\ndemo = gr.Interface(fn=predict, inputs="text", outputs="text")\ndemo.launch(debug=True, share=False)\n',
      name: 'gradio debug',
    },
    { code: 'import subprocess\nsubprocess.run(["ls"], debug=True)\n', name: 'a library run() is not a server' },
    { code: 'from fastapi import FastAPI\napp = FastAPI(debug=True)\n', name: 'FastAPI debug shows tracebacks, no console' },
  ],
  invalid: [
    {
      code: 'from flask import Flask, request, jsonify\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", port=5000, debug=True)\n',
      errors: [{ line: 6, column: 5, message: '`app.run` (Flask) started with `debug=True` on `host="0.0.0.0"`', severity: 'error' }],
      output: null,
    },
    {
      code: 'import flask\nserver = flask.Flask("churn")\nserver.run(debug=True)\n',
      errors: [{ line: 3, message: 'whoever reaches the server' }],
    },
    {
      code: 'from flask import Flask\nDEBUG = True\napp = Flask(__name__)\napp.run("0.0.0.0", 5000, DEBUG)\napp.run("0.0.0.0", 5000, debug=DEBUG)\n',
      errors: [{ line: 5, message: 'host="0.0.0.0"', severity: 'error' }],
      name: 'a constant True, the host given positionally',
    },
    {
      code: 'from app import app\n\nif __name__ == "__main__":\n    app.run(debug=True)\n',
      errors: [{ line: 4, message: '(Flask)' }],
      name: 'an app from the project module',
    },
    {
      code: 'from dash import Dash\napp = Dash(__name__)\napp.run_server(debug=True)\n',
      errors: [{ line: 3, message: '(Dash)' }],
    },
    {
      code: 'from werkzeug.serving import run_simple\nrun_simple("0.0.0.0", 5000, app, use_reloader=True, use_debugger=True)\n',
      errors: [{ line: 2, message: '`run_simple` (Werkzeug) started with `use_debugger=True` on `host="0.0.0.0"`', severity: 'error' }],
    },
  ],
});
