import rule from '../server/src/engine/rules/llm-call-without-timeout';
import { ruleTester } from './helpers/rule-tester';

ruleTester(rule, {
  valid: [
    {
      // jxnl/instructor 694c7c2, tests/llm/test_openai/conftest.py: a fixture hands the client to the tests.
      code: 'import pytest\nfrom openai import OpenAI\n@pytest.fixture\ndef client():\n    yield OpenAI()\n\n@pytest.fixture\ndef named():\n    c = OpenAI()\n    yield c\n',
      name: 'a client yielded by a fixture',
    },
    {
      // jxnl/instructor 694c7c2, tests/llm/test_openai/conftest.py
      code: 'import os\nimport pytest\nfrom openai import OpenAI\n@pytest.fixture\ndef client():\n    if os.environ.get("BRAINTRUST_API_KEY"):\n        yield wrap_openai(OpenAI(api_key=os.environ["BRAINTRUST_API_KEY"]))\n    else:\n        return wrap(OpenAI())\n',
      name: 'a client wrapped, then yielded or returned',
    },
    { code: 'from openai import OpenAI\nclient = OpenAI(timeout=30, max_retries=2)\n' },
    { code: 'import openai\nclient = openai.AsyncOpenAI(api_key=key, timeout=httpx.Timeout(60.0, connect=5.0))\n', name: 'an httpx.Timeout object' },
    {
      code: 'from openai import AzureOpenAI\nclient = AzureOpenAI(azure_endpoint=ep, api_version="2024-02-01", timeout=TIMEOUT)\n',
      name: 'a timeout held in a constant',
    },
    { code: 'from anthropic import Anthropic\nclient = Anthropic(**settings)\n', name: 'kwargs may carry the timeout' },
    { code: 'import httpx\nfrom openai import OpenAI\nclient = OpenAI(http_client=httpx.Client(timeout=20))\n', name: 'a custom http_client' },
    {
      code: 'from openai import OpenAI\nclient = OpenAI()\n\ndef ask(q):\n    r = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": q}], timeout=20)\n    return r.choices[0].message.content\n',
      name: 'the calls through the client pass a timeout',
    },
    {
      code: 'from anthropic import Anthropic\nclass Bot:\n    def __init__(self):\n        self.client = Anthropic()\n\n    def ask(self, q):\n        return self.client.with_options(timeout=10).messages.create(model=M, max_tokens=512, messages=q)\n',
      name: 'with_options(timeout=...) on the client held in self',
    },
    { code: 'from langchain_openai import ChatOpenAI\nllm = ChatOpenAI(model="gpt-4o-mini", request_timeout=45)\n' },
    { code: 'from langchain_anthropic import ChatAnthropic\nllm = ChatAnthropic(model="claude-3-5-sonnet-latest", default_request_timeout=30)\n' },
    { code: 'from llama_index.llms.openai import OpenAI\nllm = OpenAI(model="gpt-4o")\n', name: 'LlamaIndex defaults to 60 s' },
    { code: 'import litellm\nlitellm.request_timeout = 30\nresp = litellm.completion(model="gpt-4o", messages=msgs)\n', name: 'module-level litellm timeout' },
    { code: 'from litellm import acompletion\nasync def run(m):\n    return await acompletion(model="claude-3-haiku", messages=m, timeout=20)\n' },
    { code: 'import openai\nopenai.timeout = 20\nopenai.chat.completions.create(model="gpt-4o", messages=m)\n', name: 'module-level openai timeout' },
    { code: 'import openai\nresp = openai.ChatCompletion.create(model="gpt-3.5-turbo", messages=m, request_timeout=30)\n' },
    {
      code: 'import openai\ndef get_openai_client(api_key, base_url):\n    if base_url.endswith(".openai.azure.com"):\n        client = openai.AzureOpenAI(api_key=api_key, azure_endpoint=base_url, api_version="2024-10-21")\n    else:\n        client = openai.OpenAI(api_key=api_key, base_url=base_url)\n    return client\n\ndef async_client(key):\n    return openai.AsyncOpenAI(api_key=key)\n',
      name: 'clients returned by a factory are judged where they are used',
    },
    {
      code: 'import os\nfrom openai import OpenAI\n\n\ndef make_client_and_model():\n    client = OpenAI(api_key=os.environ["OPENAI_API_KEY"], base_url=os.getenv("OPENAI_BASE_URL"))\n    model_name = os.getenv("OPENAI_MODEL", "gpt-4o-mini")\n    return client, model_name\n',
      name: 'a factory returning the client with its model name (Shubhamsaboo/awesome-llm-apps)',
    },
    { code: 'from anthropic import Anthropic\ntokenizer = Anthropic().get_tokenizer()\n', name: 'a client made for its local tokenizer' },
    { code: 'class OpenAI:\n    pass\nclient = OpenAI()\n', name: 'a local class of the same name' },
    { code: 'from langchain.llms import OpenAI as LegacyLLM\nfrom mylib import OpenAI\nclient = OpenAI()\n', name: 'an OpenAI from elsewhere' },
  ],
  invalid: [
    {
      code: 'from openai import OpenAI\n\nclient = OpenAI()\n',
      errors: [{ line: 3, column: 10, message: '`OpenAI` without a `timeout`: it waits up to 600 s per attempt' }],
      output: 'from openai import OpenAI\n\nclient = OpenAI(timeout=60)\n',
    },
    {
      code: 'import os\nfrom openai import AsyncAzureOpenAI\n\nclient = AsyncAzureOpenAI(\n    api_key=os.environ["AZURE_OPENAI_API_KEY"],\n    api_version="2024-02-15-preview",\n    azure_endpoint=os.environ["AZURE_OPENAI_ENDPOINT"],\n)\n',
      config: { llmTimeout: 30 },
      errors: [{ line: 4, message: 'AsyncAzureOpenAI' }],
      output:
        'import os\nfrom openai import AsyncAzureOpenAI\n\nclient = AsyncAzureOpenAI(\n    api_key=os.environ["AZURE_OPENAI_API_KEY"],\n    api_version="2024-02-15-preview",\n    azure_endpoint=os.environ["AZURE_OPENAI_ENDPOINT"],\n    timeout=30,\n)\n',
      name: 'Azure async client, multi-line, configured llm-timeout',
    },
    {
      code: 'import anthropic\nclient = anthropic.AnthropicBedrock(aws_region="us-east-1")\nmsg = client.messages.create(model=M, max_tokens=1024, messages=history)\n',
      errors: [{ line: 2, message: '`AnthropicBedrock`' }],
      output:
        'import anthropic\nclient = anthropic.AnthropicBedrock(aws_region="us-east-1", timeout=60)\nmsg = client.messages.create(model=M, max_tokens=1024, messages=history)\n',
    },
    {
      code: 'from langchain_openai import ChatOpenAI\nllm = ChatOpenAI(model="gpt-4o-mini", temperature=0, streaming=True)\n',
      errors: [{ line: 2, message: 'waits for ever by default' }],
      output: 'from langchain_openai import ChatOpenAI\nllm = ChatOpenAI(model="gpt-4o-mini", temperature=0, streaming=True, timeout=60)\n',
    },
    {
      code: 'from langchain.chat_models import ChatOpenAI\nchain = LLMChain(llm=ChatOpenAI(temperature=0.7), prompt=prompt)\n',
      errors: [{ line: 2, column: 22, message: '`ChatOpenAI`' }],
      name: 'the pre-0.1 LangChain import path',
    },
    {
      code: 'from langchain_anthropic import ChatAnthropic\nmodel = ChatAnthropic(model="claude-3-5-sonnet-20240620", timeout=None)\n',
      errors: [{ line: 2, message: '`timeout=None`' }],
      output: 'from langchain_anthropic import ChatAnthropic\nmodel = ChatAnthropic(model="claude-3-5-sonnet-20240620", timeout=60)\n',
    },
    {
      code: 'import litellm\n\ndef chat(messages):\n    response = litellm.completion(model="gpt-4o", messages=messages)\n    return response.choices[0].message.content\n',
      errors: [{ line: 4, column: 16, message: '`litellm.completion`' }],
      output:
        'import litellm\n\ndef chat(messages):\n    response = litellm.completion(model="gpt-4o", messages=messages, timeout=60)\n    return response.choices[0].message.content\n',
    },
    {
      code: 'import openai\nresp = openai.ChatCompletion.create(model="gpt-3.5-turbo", messages=messages, temperature=0)\n',
      errors: [{ line: 2, message: '`request_timeout`' }],
      output: 'import openai\nresp = openai.ChatCompletion.create(model="gpt-3.5-turbo", messages=messages, temperature=0, request_timeout=60)\n',
      name: 'openai 0.x module call',
    },
    {
      code: 'from llama_index.llms.openai import OpenAI\nllm = OpenAI(model="gpt-4o", timeout=None)\n',
      errors: [{ line: 2, message: '`timeout=None`' }],
      name: 'LlamaIndex with an explicit None',
    },
    {
      code: 'from openai import OpenAI\nclient = OpenAI()\nr = client.chat.completions.create(model="gpt-4o", messages=m, timeout=None)\n',
      errors: [{ line: 2 }],
      name: 'a per-call timeout=None does not count',
    },
    {
      code: { cells: ['%pip install openai', 'from openai import OpenAI\nclient = OpenAI()'] },
      errors: [{ cell: 1, line: 2 }],
      name: 'notebook',
    },
  ],
});
