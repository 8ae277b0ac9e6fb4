import rule from '../server/src/engine/rules/unvalidated-llm-output';
import { ruleTester } from './helpers/rule-tester';

const OPENAI = 'import json\nfrom openai import OpenAI\n\nclient = OpenAI(timeout=60)\n';

ruleTester(rule, {
  valid: [
    {
      code: `${OPENAI}resp = client.chat.completions.create(model="gpt-4o-mini", messages=m, response_format={"type": "json_object"})\ntry:\n    data = json.loads(resp.choices[0].message.content)\nexcept json.JSONDecodeError:\n    data = {}\n`,
      name: 'json.loads inside a try that catches the decode error',
    },
    {
      code: `${OPENAI}from pydantic import BaseModel\nclass Answer(BaseModel):\n    label: str\n\ndef classify(m):\n    resp = client.chat.completions.create(model="gpt-4o-mini", messages=m)\n    raw = json.loads(resp.choices[0].message.content)\n    return Answer.model_validate(raw)\n`,
      name: 'validated with pydantic later in the function',
    },
    {
      code: `${OPENAI}def extract(m):\n    resp = client.chat.completions.create(model="gpt-4o-mini", messages=m)\n    return Invoice(**json.loads(resp.choices[0].message.content))\n`,
      name: 'validated by a pydantic model built from it',
    },
    {
      code: `${OPENAI}import jsonschema\ndef extract(m):\n    text = client.chat.completions.create(model="gpt-4o", messages=m).choices[0].message.content\n    data = json.loads(text)\n    jsonschema.validate(data, SCHEMA)\n    return data\n`,
    },
    {
      code: `${OPENAI}completion = client.beta.chat.completions.parse(model="gpt-4o", messages=m, response_format=Event)\nevent = completion.choices[0].message.parsed\n`,
      name: 'structured output',
    },
    { code: `${OPENAI}config = json.loads(open("config.json").read())\nresult = eval("1 + 1")\n`, name: 'text that is not model output' },
    {
      code: `${OPENAI}resp = client.chat.completions.create(model="gpt-4o", messages=m)\nusage = json.loads(resp.usage.model_dump_json())\n`,
      name: 'metadata of the response, not its text',
    },
    {
      code: 'import json\nimport requests\nr = requests.post(URL, json=payload, timeout=5)\ndata = json.loads(r.text)\n',
      name: 'an HTTP response, not an LLM',
    },
    {
      code: 'import json\nfrom langchain_openai import ChatOpenAI\nllm = ChatOpenAI(timeout=30)\nstructured = llm.with_structured_output(Plan)\nplan = structured.invoke(question)\n',
      name: 'with_structured_output',
    },
    {
      // NirDiamant/GenAI_Agents' car buyer agent: langchain_openai sends `response_format` and parses the answer into the schema.
      code: 'import json\nfrom langchain_openai import ChatOpenAI\nfrom pydantic import BaseModel\nclass UserNeeds(BaseModel):\n    budget: int\nNEEDS_GPT = ChatOpenAI(model="gpt-4o-mini", timeout=30, response_format=UserNeeds)\ndef parse_needs(prompt):\n    return json.loads(NEEDS_GPT.invoke(prompt).content)\n',
      name: 'a LangChain chat model built with a response_format schema',
    },
  ],
  invalid: [
    {
      code: 'import json\nfrom langchain_openai import ChatOpenAI\nJSON_GPT = ChatOpenAI(model="gpt-4o-mini", timeout=30, response_format={"type": "json_object"})\ndef parse_needs(prompt):\n    return json.loads(JSON_GPT.invoke(prompt).content)\n',
      errors: [{ line: 5, message: 'Model output parsed with `json.loads` with no schema validation and no `try`' }],
      output: null,
      name: 'JSON mode guarantees syntax, not the fields',
    },
    {
      code: `${OPENAI}resp = client.chat.completions.create(model="gpt-4o-mini", messages=m)\ndata = json.loads(resp.choices[0].message.content)\n`,
      errors: [{ line: 6, column: 8, message: 'Model output parsed with `json.loads` with no schema validation and no `try`' }],
      output: null,
    },
    {
      code: `${OPENAI}def run_generated(task):\n    resp = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": task}])\n    code = resp.choices[0].message.content.strip()\n    exec(code)\n`,
      errors: [{ line: 8, message: 'Model output reaches `exec`, which runs it as Python', severity: 'error' }],
    },
    {
      code: 'import sqlite3\nfrom anthropic import Anthropic\nclient = Anthropic(timeout=60)\nconn = sqlite3.connect("shop.db")\n\ndef answer(question):\n    msg = client.messages.create(model="claude-3-5-haiku-latest", max_tokens=512, messages=[{"role": "user", "content": question}])\n    sql = msg.content[0].text\n    return conn.execute(sql).fetchall()\n',
      errors: [{ line: 9, message: '`execute`, which runs it as SQL', severity: 'error' }],
      name: 'text-to-SQL with Anthropic',
    },
    {
      code: 'import ast\nfrom langchain_openai import ChatOpenAI\nllm = ChatOpenAI(model="gpt-4o", timeout=30)\nreply = llm.invoke(prompt)\nitems = ast.literal_eval(reply.content)\n',
      errors: [{ line: 5, message: '`ast.literal_eval`' }],
    },
    {
      code: 'import json\nimport litellm\nresponse = litellm.completion(model="gpt-4o", messages=m, timeout=30)\nresult = json.loads(response["choices"][0]["message"]["content"])\n',
      errors: [{ line: 4, message: '`json.loads`' }],
      name: 'LiteLLM, dict access',
    },
    {
      code: 'import subprocess\nfrom openai import OpenAI\nclient = OpenAI(timeout=60)\ncmd = client.responses.create(model="gpt-4o", input=request).output_text\nsubprocess.run(cmd, shell=True)\n',
      errors: [{ line: 5, message: 'runs it as a command', severity: 'error' }],
    },
    {
      code: `${OPENAI}async def plan(m):\n    resp = await client.chat.completions.create(model="gpt-4o", messages=m)\n    try:\n        steps = json.loads(resp.choices[0].message.content)\n    except KeyError:\n        steps = []\n    return steps\n`,
      errors: [{ line: 8 }],
      name: 'a try that does not catch the decode error',
    },
    {
      code: 'import sqlite3\nfrom openai import OpenAI\nclient = OpenAI(timeout=30)\n\ndef generate_sql(question):\n    completion = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": question}])\n    return completion.choices[0].message.content\n\ndef answer(question):\n    sql = generate_sql(question)\n    cur = sqlite3.connect("shop.db").cursor()\n    cur.execute(sql)\n    return cur.fetchall()\n',
      errors: [{ line: 12, message: 'runs it as SQL', severity: 'error' }],
      name: 'through a function of the file that returns the model text',
    },
  ],
});
