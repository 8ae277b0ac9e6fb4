"""Label product reviews with an LLM for the sentiment dashboard."""
import asyncio
import os

import pandas as pd
from openai import AsyncOpenAI, OpenAI

client = OpenAI(api_key=os.environ["OPENAI_API_KEY"], timeout=30)
aclient = AsyncOpenAI(api_key=os.environ["OPENAI_API_KEY"], timeout=30)
PROMPT = "Label the sentiment of this review as positive, negative or neutral. Reply with one word.\n\n"


def label(text):
    resp = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": PROMPT + text}],
    )
    return resp.choices[0].message.content.strip().lower()


reviews = pd.read_parquet("data/reviews.parquet")

labels = []
for _, row in reviews.iterrows():
    resp = client.chat.completions.create(  # expect: row-wise-predict
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": PROMPT + row["body"]}],
    )
    labels.append(resp.choices[0].message.content)

reviews["label"] = reviews["body"].apply(label)  # expect: row-wise-predict
reviews["title_label"] = reviews.apply(lambda r: label(r["title"]), axis=1)  # expect: row-wise-predict


async def label_all(texts, limit=8):
    gate = asyncio.Semaphore(limit)

    async def one(text):
        async with gate:
            resp = await aclient.chat.completions.create(
                model="gpt-4o-mini",
                messages=[{"role": "user", "content": PROMPT + text}],
            )
            return resp.choices[0].message.content

    return await asyncio.gather(*(one(t) for t in texts))


reviews["label_async"] = asyncio.run(label_all(reviews["body"].tolist()))
summary = client.chat.completions.create(  # ok: row-wise-predict
    model="gpt-4o-mini",
    messages=[{"role": "user", "content": "Summarize:\n" + reviews["label"].value_counts().to_string()}],
)
reviews.to_parquet("data/reviews_labelled.parquet")
