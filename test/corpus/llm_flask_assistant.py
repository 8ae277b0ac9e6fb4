"""Analytics assistant: questions in plain English become SQL over the sales warehouse."""
import ast
import logging
import sqlite3

from flask import Flask, jsonify, request
from langchain_openai import ChatOpenAI
from langchain_community.vectorstores import FAISS
from langchain_openai import OpenAIEmbeddings

logger = logging.getLogger(__name__)
app = Flask(__name__)
DB_FILE = "warehouse.db"

llm = ChatOpenAI(model="gpt-4o-mini", temperature=0)  # expect: llm-call-without-timeout
fallback_llm = ChatOpenAI(model="gpt-4o-mini", temperature=0, request_timeout=20)  # ok: llm-call-without-timeout
index = FAISS.load_local("faiss_index", OpenAIEmbeddings(), allow_dangerous_deserialization=True)  # expect: unsafe-deserialization


@app.post("/query")
def query():
    question = request.get_json()["question"]  # expect: unvalidated-request-payload
    schema_docs = index.similarity_search(question, k=3)
    prompt = f"Schema:\n{schema_docs}\n\nWrite one SQLite query that answers: {question}"
    sql = llm.invoke(prompt).content.strip().removeprefix("```sql").removesuffix("```")
    with sqlite3.connect(DB_FILE) as conn:
        rows = conn.execute(sql).fetchall()  # expect: unvalidated-llm-output
    return jsonify(rows)


@app.post("/chart")
def chart():
    question = request.get_json()["question"]  # expect: unvalidated-request-payload
    reply = llm.invoke(f"Return a Python list of the column names to plot for: {question}")
    columns = ast.literal_eval(reply.content)  # expect: unvalidated-llm-output
    return jsonify({"columns": columns})


@app.post("/explain")
def explain():
    question = request.get_json()["question"]  # expect: unvalidated-request-payload
    reply = fallback_llm.invoke(question)
    return jsonify({"text": reply.content})


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000, debug=True)  # expect: debug-server
