"""Clients for the services the labelling pipeline talks to."""
import os

import boto3
import psycopg2
from openai import OpenAI

AWS_ACCESS_KEY_ID = "AKIAUVW75EFR6EDT4SYW"  # expect: hardcoded-secret
AWS_SECRET_ACCESS_KEY = "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"  # expect: hardcoded-secret
OPENAI_KEY = "sk-88HxjSI6bWHtP3fS2qHx6kwXoIIXGvOoNZYW2mZp"  # expect: hardcoded-secret
DATABASE_URL = "postgresql://labeler:Tr0ub4dor-and-3@db.internal:5432/labels"  # expect: hardcoded-secret

PASSWORD_FIELD = "password"  # ok: hardcoded-secret
TOKEN_HEADER = "X-Auth-Token"  # ok: hardcoded-secret
API_KEY_PLACEHOLDER = "YOUR_API_KEY"  # ok: hardcoded-secret
DEFAULT_TOKEN = ""  # ok: hardcoded-secret
SLACK_TOKEN = os.environ["SLACK_TOKEN"]  # ok: hardcoded-secret
WANDB_API_KEY = os.getenv("WANDB_API_KEY", "")  # ok: hardcoded-secret


def s3_client():
    return boto3.client(
        "s3",
        aws_access_key_id=AWS_ACCESS_KEY_ID,
        aws_secret_access_key=AWS_SECRET_ACCESS_KEY,
    )


def llm_client():
    return OpenAI(api_key=OPENAI_KEY)  # ok: llm-call-without-timeout


def db_connection():
    return psycopg2.connect(
        host="db.internal",
        user="labeler",
        password="q9Tv-R2mW7zL4pXe",  # expect: hardcoded-secret
    )


def db_connection_from_env():
    return psycopg2.connect(host="db.internal", user="labeler", password=os.environ["DB_PASSWORD"])  # ok: hardcoded-secret


def staging_client():
    return OpenAI(api_key="<token>")  # ok: hardcoded-secret, llm-call-without-timeout
