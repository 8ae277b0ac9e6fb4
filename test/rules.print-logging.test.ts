import rule from '../server/src/engine/rules/print-logging';
import { ruleTester } from './helpers/rule-tester';

ruleTester(rule, {
  valid: [
    {
      // GokuMohandas/Made-With-ML@66e8e43, madewithml/predict.py (its README runs `export RUN_ID=$(python madewithml/predict.py get-best-run-id ...)`)
      code: 'import mlflow\nimport typer\n\napp = typer.Typer()\n\n\n@app.command()\ndef get_best_run_id(experiment_name: str = "", metric: str = "", mode: str = "") -> str:\n    sorted_runs = mlflow.search_runs(experiment_names=[experiment_name], order_by=[f"metrics.{metric} {mode}"])\n    run_id = sorted_runs.iloc[0].run_id\n    print(run_id)\n    return run_id\n',
      name: 'a typer command prints its output',
    },
    {
      // simonw/llm@f3f4f29, llm/default_plugins/openai_models.py: `llm openai models`
      code: 'import click\nimport openai\nfrom click import command\n\n\ndef register_commands(cli):\n    @cli.group(name="openai")\n    def openai_():\n        "Commands for working directly with the OpenAI API"\n\n    @openai_.command()\n    @click.option("--key", help="OpenAI API key")\n    def models(key):\n        done = ["id  owned_by"]\n        print("\\n".join(done))\n\n\n@command()\ndef version():\n    print(openai.__version__)\n',
      name: 'click commands print their output',
    },
    {
      // DataTalksClub/mlops-zoomcamp@86e4288, cohorts/2022/06-best-practices/homework_solution/tests/test_batch.py
      code: "import pandas as pd\n\nimport batch\n\n\ndef test_prepare_data():\n    df = pd.DataFrame([(1, 1)], columns=['PUlocationID', 'DOlocationID'])\n    df_actual = batch.prepare_data(df, ['PUlocationID'])\n    print(df_actual)\n    assert len(df_actual) == 1\n",
      filename: 'homework_solution/tests/test_batch.py',
      name: 'a pytest module: pytest captures what its tests print',
    },
    {
      // DataTalksClub/mlops-zoomcamp@86e4288, cohorts/2023/03-orchestration/prefect/3.2/cat_dog_facts.py and cat_facts.py
      code: 'import httpx\nfrom prefect import flow, task\n\n@task(retries=4, retry_delay_seconds=0.1, log_prints=True)\ndef fetch_cat_fact():\n    cat_fact = httpx.get("https://f3-vyx5c2hfpq-ue.a.run.app/")\n    print(cat_fact.text)\n    return cat_fact.text\n\n@flow(log_prints=True)\ndef animal_facts():\n    cat_fact = fetch_cat_fact()\n    print(f"cat: {cat_fact}")\n',
      name: 'Prefect flows and tasks with log_prints=True send print to the run logger',
    },
    {
      // amueller/introduction_to_ml_with_python ea60cf6, mglearn/tools.py: a helper that prints a table.
      code: 'import numpy as np\ndef print_topics(topics, feature_names, sorting):\n    for i in range(0, len(topics), 6):\n        print(("topic {:<8}" * 6).format(*topics[i:i + 6]))\n        print(("-------- {0:<5}" * 6).format(""))\nclass Report:\n    def show(self):\n        print(self.table)\n',
      name: 'a print inside a function named for showing text',
    },
    { code: 'import logging\nlogger = logging.getLogger(__name__)\nlogger.info("rows %d", 3)\n' },
    { code: 'with open("out.txt", "w") as fh:\n    print("a,b", file=fh)\n', name: 'printing into a file is output, not logging' },
    { code: 'print >>fh, "a,b"\n', name: 'Python 2 print into a file' },
    { code: 'def print(*args):\n    pass\nprint("shadowed")\n', name: 'a print the file defines itself' },
    { code: { cells: ['import pandas as pd\ndf = pd.DataFrame()', 'print(df.shape)'] }, name: 'notebooks are not checked' },
    { code: 'from pprint import pprint\npprint({"a": 1})\n', name: 'pprint is not print' },
    {
      code: 'import argparse\nimport json\n\n\ndef main():\n    args = argparse.ArgumentParser().parse_args()\n    print(json.dumps({"runway_months": 14}, indent=2))\n    print("=== FINANCIAL FORECAST ===")\n\n\nif __name__ == "__main__":\n    main()\n',
      name: 'a command-line tool outside the ML stack, without a logger: its standard output is its product',
    },
    {
      code: 'import nbformat\n\nfor title in ["Intro", "Pandas"]:\n    print(f"- [{title}]({title}.ipynb)")\n',
      name: "a repository's table-of-contents generator",
    },
    {
      code: 'import io\nimport contextlib\nimport numpy as np\n\ndef run(expr):\n    buf = io.StringIO()\n    with contextlib.redirect_stdout(buf):\n        print(eval(expr))\n    return buf.getvalue()\n',
      name: 'print under redirect_stdout: the text is captured as a value',
    },
    {
      code: 'from contextlib import redirect_stdout as capture\nimport logging\nwith open("report.txt", "w") as fh, capture(fh) as out:\n    print("summary")\n',
      name: 'redirect_stdout through an alias, among several context managers',
    },
    {
      code: 'import getpass\nfrom openai import OpenAI\n\nclient = OpenAI(api_key=getpass.getpass("OpenAI key: "), timeout=30)\nwhile True:\n    question = input("You: ")\n    if question == "exit":\n        break\n    answer = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": question}])\n    print("Assistant:", answer.choices[0].message.content)\n',
      name: 'a script that reads the keyboard: a terminal chat whose prints are its interface (Shubhamsaboo/awesome-llm-apps)',
    },
    {
      code: 'import json\nimport numpy as np\n\n\ndef format_comparison_demo(data):\n    print("JSON:", json.dumps(data))\n    print("-" * 80)\n\n\ndef demo_with_examples(examples):\n    for i, example in enumerate(examples, 1):\n        print(f"{i}. {example}")\n',
      name: 'functions named for a demo',
    },
  ],
  invalid: [
    {
      code: 'import click\nimport torch\n\n\n@click.command()\ndef train():\n    for epoch in range(3):\n        run_epoch(epoch)\n\n\ndef run_epoch(epoch):\n    print(f"epoch {epoch}")\n',
      errors: [{ line: 12, message: '`print` in a script' }],
      name: 'a helper the command calls still logs with print (only the command function itself is its output)',
    },
    {
      // The module those tests import (mlops-zoomcamp's homework_solution/batch.py shape): it is production code.
      code: 'import pandas as pd\n\n\ndef prepare_data(df, categorical):\n    df = df.copy()\n    print(df.shape)\n    return df\n',
      filename: 'homework_solution/batch.py',
      errors: [{ line: 6, message: '`print` in a script' }],
      name: 'the module under test is still checked (a file named batch.py, importing no test framework)',
    },
    {
      code: 'import prefect\n\n@prefect.task(retries=2)\ndef load():\n    print("loading")\n\n@prefect.flow(log_prints=False)\ndef main():\n    print("start")\n',
      errors: [
        { line: 5, message: '`print` in a script' },
        { line: 9, message: '`print` in a script' },
      ],
      name: 'Prefect tasks and flows without log_prints=True do not log their prints',
    },
    {
      code: 'import numpy as np\ndef train(model, X, y):\n    def progress(i):\n        print("epoch", i)\n    for i in range(3):\n        progress(i)\n    print("shown later")\n',
      errors: [{ line: 4 }, { line: 7 }],
      name: 'prints in a training function (and its helpers not named for showing)',
    },
    {
      // huggingface/diffusers 58eb52c, examples/research_projects/pytorch_xla/training/text_to_image/train_text_to_image_xla.py
      code: 'import torch\ndef train(steps):\n    for step in range(steps):\n        loss = step_fn()\n        def print_loss_closure(step, loss):\n            print(f"Step: {step}, Loss: {loss}")\n        add_step_closure(print_loss_closure, args=(step, loss))\n',
      errors: [{ line: 6 }],
      name: 'a closure named print_… inside a training step reports progress',
    },
    {
      code: 'import sys\nimport pandas as pd\nprint("loaded", 3, "rows")\nprint("failed", file=sys.stderr)\n',
      errors: [
        { line: 3, column: 1, message: 'use `logging`' },
        { line: 4, column: 1 },
      ],
      output: null,
    },
    {
      code: 'import torch\n\ndef main():\n    for epoch in range(3):\n        print(\n            f"epoch {epoch}",\n        )\n\nif __name__ == "__main__":\n    print("done")\n',
      errors: [
        { line: 5, column: 9 },
        { line: 10, column: 5 },
      ],
      name: 'multi-line call and __main__ block',
    },
    {
      code: '# Python 2\nimport sys\nimport numpy as np\nprint "loading data"\nprint >>sys.stderr, "could not save"\nprint "R2: %.3f" % score\n',
      errors: [{ line: 4, column: 1, message: 'statement' }, { line: 5 }, { line: 6 }],
      name: 'Python 2 print statements',
    },
    {
      code: 'from __future__ import print_function\nfrom sklearn.linear_model import Ridge\nprint("py2 with the future import")\n',
      errors: [{ line: 3 }],
    },
    {
      code: 'from torch import nn\nlog = print\nlog("aliased")\n',
      errors: [{ line: 3 }],
      name: 'print through an alias',
    },
    {
      code: '"""Record parsing for the ingestion job."""\nimport json\nimport logging\n\nlogger = logging.getLogger(__name__)\n\ndef enrich(records, lookup):\n    for record in records:\n        try:\n            record["country"] = lookup[record["ip"]]\n        except KeyError:\n            print("no country for", record["ip"])\n',
      errors: [{ line: 12, column: 13 }],
      name: 'a module with a logger and no ML import: its print bypasses the logger',
    },
    {
      code: 'import chainlit as cl\nfrom openai import OpenAI\n\nfunctions = [{"name": "run"}]\nprint(functions)\n',
      errors: [{ line: 5 }],
      name: 'an LLM web app',
    },
    {
      code: 'import io\nimport contextlib\nimport torch\n\nbuf = io.StringIO()\nwith contextlib.redirect_stdout(buf):\n    pass\nprint("after the capture")\n',
      errors: [{ line: 8 }],
      name: 'a print after a redirect_stdout block, not inside it',
    },
  ],
});
