"""Prompt construction of a document Q&A chain."""
from langchain_core.prompts import ChatPromptTemplate, PromptTemplate

ASSISTANT_NAME = "DocBot"

QA_TEMPLATE = """You are {assistant}. Use only the context below.

Context:
{context}

Question: {question}
Answer:"""

qa_prompt = PromptTemplate(template=QA_TEMPLATE, input_variables=["assistant", "context", "question"])  # ok: prompt-injection-risk
intro = PromptTemplate.from_template(f"You are {ASSISTANT_NAME}. Greet {{user}} politely.")  # ok: prompt-injection-risk


def condense_prompt(chat_history):
    history = "\n".join(f"{turn.role}: {turn.text}" for turn in chat_history)
    return PromptTemplate.from_template(  # ok: prompt-injection-risk
        f"Given this conversation:\n{history}\nRephrase the follow-up question: {{question}}"  # expect: prompt-injection-risk
    )


def answer_prompt(doc_text):
    system = f"Answer only from this document:\n{doc_text}"  # expect: prompt-injection-risk
    return ChatPromptTemplate.from_messages([("system", system), ("human", "{question}")])


def custom_prompt(template_text):
    return PromptTemplate(
        template=template_text,  # expect: prompt-injection-risk
        input_variables=["question"],
        template_format="jinja2",
    )
