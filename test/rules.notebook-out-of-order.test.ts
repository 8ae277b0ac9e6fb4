import rule from '../server/src/engine/rules/notebook-out-of-order';
import { ruleTester } from './helpers/rule-tester';

ruleTester(rule, {
  valid: [
    {
      // mistralai/cookbook 1cf863b, mistral/function_calling/text_to_SQL.ipynb: the database fetched by shell cells run first.
      code: {
        cells: [
          { source: '!pip install requests', executionCount: 1 },
          { source: 'import json\nx = 1', executionCount: 5 },
          { source: '!curl -s https://example.org/chinook.sql | sqlite3 Chinook.db', executionCount: 3 },
          { source: '!ls -la', executionCount: 4 },
          { source: 'print(x)', executionCount: 6 },
        ],
      },
      name: 'shell-only cells run out of order leave nothing in the kernel',
    },
    {
      code: {
        cells: [
          { source: '%pip install -q anthropic llama-index', executionCount: null },
          { source: '# !wget https://example.org/data.csv\n# (already downloaded)', executionCount: null },
          { source: 'import anthropic', executionCount: 1 },
          { source: 'client = anthropic.Anthropic()', executionCount: 2 },
        ],
      },
      name: 'cells that never ran but hold no Python (an install, commented-out download code)',
    },
    {
      code: {
        cells: [
          { source: '%pip install "zenml[server]"', executionCount: 1 },
          { source: '# automatically restart kernel\nimport IPython\n\nIPython.Application.instance().kernel.do_shutdown(restart=True)', executionCount: null },
          { source: 'from IPython import get_ipython\nget_ipython().kernel.do_shutdown(True)', executionCount: null },
          { source: 'import zenml', executionCount: 2 },
        ],
      },
      name: 'a cell that never ran and only restarts the kernel (zenml-io/zenml-projects, zenml-support-agent/run.ipynb)',
    },
    { code: { cells: ['import pandas as pd', 'df = pd.read_csv("x.csv")', 'df.head()'] }, name: 'counts 1, 2, 3' },
    {
      code: {
        cells: [
          { source: 'a = 1', executionCount: 2 },
          { source: 'b = 2', executionCount: 7 },
          { source: 'c = 3', executionCount: 12 },
        ],
      },
      name: 'gaps are fine',
    },
    {
      code: {
        cells: [
          { source: 'a = 1', executionCount: 1 },
          { source: '   \n', executionCount: null },
          { source: 'b = 2', executionCount: 2 },
        ],
      },
      name: 'empty cells are ignored',
    },
    {
      code: {
        cells: [
          { source: 'a = 1', executionCount: 1 },
          { source: 'b = 2', executionCount: null },
          { source: 'c = 3', executionCount: null },
        ],
      },
      name: 'trailing cells that never ran',
    },
    {
      code: {
        cells: [
          { source: 'a = 1', executionCount: null },
          { source: 'b = 2', executionCount: null },
        ],
      },
      name: 'a notebook that never ran',
    },
    {
      code: {
        cells: [
          { source: 'a = 1', executionCount: 5 },
          { source: 'b = 2', executionCount: undefined },
          { source: 'c = 3', executionCount: 1 },
        ],
      },
      name: 'unknown execution state: silent',
    },
    {
      code: {
        cells: [
          { source: '', executionCount: 9 },
          { source: 'a = 1', executionCount: 1 },
        ],
      },
      name: 'an empty cell with a count',
    },
    {
      // huggingface/cookbook ed2c646, notebooks/en/multiagent_web_assistant.ipynb: the login cell was skipped.
      code: {
        cells: [
          { source: '!pip install markdownify duckduckgo-search smolagents --upgrade -q', executionCount: null },
          { source: 'from huggingface_hub import notebook_login\n\nnotebook_login()', executionCount: null },
          { source: 'import re\nimport requests\nfrom markdownify import markdownify', executionCount: 6 },
          {
            source: 'response = requests.get("https://example.org", timeout=20)\nprint(re.sub(r"\\n+", "\\n", markdownify(response.text)))',
            executionCount: 7,
          },
        ],
      },
      name: 'a skipped cell that only calls an imported function for its effect outside the kernel (a Hub login)',
    },
    {
      // huggingface/cookbook ed2c646, notebooks/en/fine_tuning_vit_custom_dataset.ipynb: a placeholder upload left unrun.
      code: {
        cells: [
          {
            source: 'from transformers import ViTForImageClassification\nmodel = ViTForImageClassification.from_pretrained("google/vit-base-patch16-224")',
            executionCount: 2,
          },
          { source: 'model.push_to_hub("your_model_name")', executionCount: null },
          { source: 'import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])', executionCount: 3 },
        ],
      },
      name: 'a skipped cell whose names no cell below that ran reads',
    },
    {
      code: {
        cells: [
          { source: "get_ipython().system_raw('ollama serve &')", executionCount: null },
          { source: 'import ollama\nollama.list()', executionCount: 1 },
        ],
      },
      name: 'a skipped cell that starts a server from Python (rag_llamaindex_librarian.ipynb)',
    },
    {
      // NirDiamant/GenAI_Agents bd68145, all_agents_tutorials/simple_conversational_agent.ipynb
      code: {
        cells: [
          { source: '# %pip install -q langchain langchain_experimental openai python-dotenv langchain_openai', executionCount: 10 },
          { source: 'from langchain_openai import ChatOpenAI', executionCount: 10 },
          { source: 'llm = ChatOpenAI(model="gpt-4o-mini", timeout=30)', executionCount: 11 },
        ],
      },
      name: 'a cell of comments only that ran shares its count with the next one',
    },
    {
      code: {
        cells: [
          { source: 'import pandas as pd', executionCount: 2 },
          { source: '%%capture\n!pip install -q xgboost', executionCount: 1 },
          { source: 'df = pd.DataFrame()', executionCount: 3 },
        ],
      },
      name: 'a %%capture cell of shell commands only, run out of order',
    },
    { code: 'x = 1\n', name: 'scripts are out of scope' },
  ],
  invalid: [
    {
      code: {
        cells: [
          { source: 'from transformers import set_seed\nset_seed(42)', executionCount: null },
          { source: 'import numpy as np\nprint(np.random.rand(3))', executionCount: 1 },
        ],
      },
      errors: [{ line: 1, message: 'never ran' }],
      name: 'a skipped seed: the random numbers below change when it runs',
    },
    {
      code: {
        cells: [
          { source: 'import os\nfrom openai import OpenAI', executionCount: 1 },
          { source: 'os.environ["OPENAI_API_KEY"] = "[YOUR KEY]"', executionCount: null },
          { source: 'client = OpenAI(timeout=30)', executionCount: 2 },
        ],
      },
      errors: [{ cell: 1, line: 1, message: 'never ran' }],
      name: 'a skipped cell that sets the environment the clients below read',
    },
    {
      code: {
        cells: [
          { source: 'def prepare():\n    global data\n    data = [1, 2]', executionCount: 1 },
          { source: 'prepare()', executionCount: null },
          { source: 'print(len(data))', executionCount: 2 },
        ],
      },
      errors: [{ cell: 1, line: 1, message: 'never ran' }],
      name: 'a skipped call of a function the notebook defines (it may set globals)',
    },
    {
      code: {
        cells: [
          { source: 'from sklearn.linear_model import LogisticRegression\nmodel = LogisticRegression()', executionCount: 1 },
          { source: 'model.fit(X, y)', executionCount: null },
          { source: 'print(model.coef_)', executionCount: 2 },
        ],
      },
      errors: [{ cell: 1, line: 1, message: 'never ran' }],
      name: 'a skipped call on an object a cell below reads',
    },
    {
      code: {
        cells: [
          { source: 'x = 1', executionCount: 1 },
          { source: 'threshold = 0.5', executionCount: null },
          { source: '%time score(threshold)', executionCount: 2 },
        ],
      },
      errors: [{ cell: 1, line: 1, message: 'never ran' }],
      name: 'a name read in a line magic below',
    },
    {
      code: {
        cells: [
          { source: 'import json\nx = 1', executionCount: 5 },
          { source: '%run prepare.py', executionCount: 3 },
          { source: 'print(x)', executionCount: 6 },
        ],
      },
      errors: [{ cell: 1, line: 1, message: 'ran as [3]' }],
      name: 'a %run cell run out of order (it defines names in the kernel)',
    },
    {
      // mistralai/cookbook 1cf863b, concept-deep-dive/quantization/methods/exl2.ipynb
      code: {
        cells: [
          { source: '!git clone https://github.com/turboderp/exllamav2', executionCount: 1 },
          { source: 'model_id = "mistralai/Mistral-7B-Instruct-v0.3"', executionCount: 2 },
          { source: "model_name = model_id.split('/')[-1]", executionCount: null },
          { source: '!python exllamav2/test_inference.py -m {model_name}-exl2', executionCount: 13 },
        ],
      },
      errors: [{ cell: 2, line: 1, message: 'never ran' }],
      name: 'a shell cell that reads a Python value ran after a cell that never ran',
    },
    {
      // DataTalksClub/llm-zoomcamp 04-evaluation/code/01-data-gen.ipynb: two cells saved with the same count
      code: {
        cells: [
          { source: 'import pandas as pd', executionCount: 2 },
          { source: 'df = pd.read_csv("x.csv")', executionCount: 3 },
          { source: 'df.head()', executionCount: 3 },
        ],
      },
      errors: [{ cell: 2, line: 1, message: 'This cell and Cell 2 above it both show execution count [3]' }],
      name: 'the same execution count twice',
    },
    {
      code: {
        cells: [
          { source: '%pip install -q pandas\nimport pandas as pd', executionCount: null },
          { source: 'df = pd.read_csv("x.csv")', executionCount: 1 },
        ],
      },
      errors: [{ line: 1, message: 'never ran' }],
      name: 'a never-run cell with Python after its install',
    },
    {
      code: {
        cells: [
          {
            source: 'import IPython\nfrom IPython.display import display\nIPython.Application.instance().kernel.do_shutdown(restart=True)',
            executionCount: null,
          },
          { source: 'display(1)', executionCount: 1 },
        ],
      },
      errors: [{ line: 1, message: 'never ran' }],
      name: 'a restart cell that also imports what later cells use',
    },
    {
      code: {
        cells: [
          { source: 'df = load()', executionCount: 3 },
          { source: 'import pandas as pd', executionCount: 1 },
          { source: 'x = 1', executionCount: 2 },
        ],
      },
      errors: [{ cell: 1, line: 1, column: 1, message: 'ran as [1]' }],
      output: null,
    },
    {
      code: {
        cells: [
          { source: 'import numpy as np', executionCount: 1 },
          { source: '\n  df = df.dropna()', executionCount: null },
          { source: 'model.fit(df)', executionCount: 2 },
        ],
      },
      errors: [{ cell: 1, line: 2, column: 3, message: 'never ran' }],
      name: 'a skipped cell while a later one ran; range at the first non-blank line',
    },
    {
      code: {
        cells: [
          { source: '%matplotlib inline\nimport x', executionCount: 4 },
          { source: 'y = 2', executionCount: 4 },
          { source: 'z = 1', executionCount: 2 },
        ],
      },
      errors: [{ cell: 1, line: 1 }],
      name: 'a repeated count; reported once, at the first cell that breaks the order',
    },
    {
      code: {
        cells: [
          { source: '# Churn', cellType: 'markdown' },
          { source: 'df = load()', executionCount: 3 },
          { source: 'Loading done; now the imports.', cellType: 'markdown' },
          { source: 'import pandas as pd', executionCount: 1 },
        ],
      },
      // Cells named as VS Code shows them: markdown cells count, so the first code cell is "Cell 2".
      errors: [{ cell: 1, line: 1, message: 'ran as [1], not after Cell 2 above it, which ran as [3]' }],
      name: 'markdown cells shift the cell numbers in the message',
    },
    {
      code: {
        cells: [
          { source: '# Setup', cellType: 'markdown' },
          { source: 'import numpy as np', executionCount: 1 },
          { source: 'df = df.dropna()', executionCount: null },
          { source: '## Train', cellType: 'markdown' },
          { source: 'model.fit(df)', executionCount: 2 },
        ],
      },
      errors: [{ cell: 1, line: 1, message: 'never ran, but Cell 5 below it did (execution count 2)' }],
      name: 'the later cell that ran is named by its VS Code number',
    },
  ],
});
