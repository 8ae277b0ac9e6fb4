import rule from '../server/src/engine/rules/prompt-injection-risk';
import { ruleTester } from './helpers/rule-tester';

const APP =
  'from fastapi import FastAPI\nfrom pydantic import BaseModel\nfrom openai import OpenAI\napp = FastAPI()\nclient = OpenAI(timeout=30)\nclass AskRequest(BaseModel):\n    product: str\n    question: str\n    system_prompt: str = ""\n';

ruleTester(rule, {
  valid: [
    {
      code: 'from langchain_core.prompts import AIMessagePromptTemplate\ndef example(example_output_var):\n    return AIMessagePromptTemplate.from_template(f"{{{example_output_var}}}")\n',
      name: 'a computed template variable name in triple braces',
    },
    {
      code: `${APP}SYSTEM = "You are a support bot."\n@app.post("/ask")\ndef ask(req: AskRequest):\n    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": f"{req.product}: {req.question}"}]\n    return client.chat.completions.create(model="gpt-4o", messages=messages)\n`,
      name: 'user text in the user role',
    },
    {
      code: `${APP}@app.post("/chat")\ndef chat(req: AskRequest):\n    messages = [{"role": "system", "content": req.system_prompt}, {"role": "user", "content": req.question}]\n    return client.chat.completions.create(model="gpt-4o", messages=messages)\n`,
      name: 'a field the API offers for the system prompt',
    },
    {
      code: 'from langchain_core.prompts import PromptTemplate, ChatPromptTemplate\nPERSONA = "a pirate"\nprompt = PromptTemplate.from_template(f"You are {PERSONA}. Answer: {{question}}")\nchat = ChatPromptTemplate.from_messages([("system", "You answer from {context}"), ("human", "{question}")])\n',
      name: 'f-strings of module constants and plain templates',
    },
    {
      code: 'from langchain.prompts import PromptTemplate\nprompt = PromptTemplate(template="Hello {{ name }}", input_variables=["name"], template_format="jinja2")\n',
      name: 'a literal jinja2 template',
    },
    {
      code: `${APP}def build(topic):\n    return [{"role": "system", "content": f"Talk about {topic}"}]\n`,
      name: 'outside a request handler, a function parameter is not request data',
    },
  ],
  invalid: [
    {
      code: `${APP}@app.post("/ask")\ndef ask(req: AskRequest):\n    messages = [\n        {"role": "system", "content": f"You are a support bot for {req.product}."},\n        {"role": "user", "content": req.question},\n    ]\n    return client.chat.completions.create(model="gpt-4o", messages=messages)\n`,
      errors: [{ line: 13, column: 39, message: 'system prompt' }],
      name: 'a body field in the system message',
    },
    {
      code: 'from flask import Flask, request\nimport anthropic\napp = Flask(__name__)\nclient = anthropic.Anthropic(timeout=30)\n@app.route("/summarize", methods=["POST"])\ndef summarize():\n    tone = request.form.get("tone", "neutral")\n    msg = client.messages.create(model="claude-3-5-sonnet-latest", max_tokens=500, system="Summarize in a " + tone + " tone.", messages=[{"role": "user", "content": request.form["text"]}])\n    return msg.content[0].text\n',
      errors: [{ line: 8, column: 91, message: '`system=`' }],
      name: 'Anthropic system= from a Flask form field',
    },
    {
      code: 'from fastapi import FastAPI\nfrom langchain_core.messages import SystemMessage, HumanMessage\nfrom langchain_openai import ChatOpenAI\napp = FastAPI()\nllm = ChatOpenAI(timeout=30)\n@app.get("/translate")\ndef translate(text: str, language: str):\n    return llm.invoke([SystemMessage(content=f"Translate into {language}"), HumanMessage(content=text)]).content\n',
      errors: [{ line: 8, column: 46, message: 'SystemMessage' }],
      name: 'a query parameter in a LangChain SystemMessage',
    },
    {
      code: 'from langchain_core.prompts import PromptTemplate\ndef make_prompt(context):\n    return PromptTemplate.from_template(f"Answer using this context: {context}\\nQuestion: {{question}}")\n',
      errors: [{ line: 3, column: 41, message: 'f-string used as a prompt template' }],
      name: 'an f-string template with a runtime value',
    },
    {
      code: 'from langchain.prompts import ChatPromptTemplate\ndef chain_for(doc_text):\n    system = f"Use only this document:\\n{doc_text}"\n    return ChatPromptTemplate.from_messages([("system", system), ("human", "{question}")])\n',
      errors: [{ line: 3, column: 14 }],
      name: 'an f-string message through a variable',
    },
    {
      code: 'from langchain.prompts import PromptTemplate\ndef load(user_template):\n    return PromptTemplate(template=user_template, input_variables=["q"], template_format="jinja2")\n',
      errors: [{ line: 3, column: 36, message: 'Jinja2' }],
      name: 'a jinja2 template that is not a literal',
    },
  ],
});
