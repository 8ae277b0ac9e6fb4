import rule from '../server/src/engine/rules/hardcoded-secret';
import { ruleTester } from './helpers/rule-tester';

ruleTester(rule, {
  valid: [
    {
      code: 'import streamlit as st\n\ndb_url = st.text_input("Database URL", placeholder="postgresql://etl:q9Tv-R2mW7zL4pXe@host:5432/db", help="Database connection URL")\n',
      name: "a form field's placeholder= hint shows the format (Shubhamsaboo/awesome-llm-apps)",
    },
    {
      code: 'key = "[_TrainingEpochLoop].train_dataloader_next"\nassert key in profiler.recorded_durations\n',
      name: 'a record name of identifier words joined by punctuation is not a random value',
    },
    {
      code: 'PASSWORD_FIELD = "password"\nTOKEN_HEADER = "X-Auth-Token"\nAPI_KEY_PLACEHOLDER = "YOUR_API_KEY"\nDEFAULT_TOKEN = ""\ntoken_env_var = "SLACK_BOT_TOKEN"\nsecret = "changeme"\n',
    },
    { code: 'import os\nSLACK_TOKEN = os.environ["SLACK_TOKEN"]\nWANDB_API_KEY = os.getenv("WANDB_API_KEY", "")\n' },
    { code: 'client = OpenAI(api_key="<token>")\nc2 = Client(token="${HF_TOKEN}")\nc3 = Client(token="xxxxxxxx")\n' },
    {
      code: 'import argilla as rg\nclient = rg.Argilla(\n    api_url="https://[your-owner-name]-[your_space_name].hf.space",\n    api_key="[your-api-key]",\n)\n',
      name: 'a bracketed stand-in (huggingface/cookbook)',
    },
    { code: 'sort_key = "created_at"\ncache_key = "model-v1-features"\nPRIMARY_KEY = "customer_id"\nkey = "label"\n', name: 'keys that are not credentials' },
    {
      code: 'DB_URL = "postgresql://localhost:5432/forecast"\nDSN = "postgresql://user:${DB_PASSWORD}@db/x"\nDOC = "postgresql://user:password@host/db"\n',
      name: 'connection strings without a real password',
    },
    { code: 'def f():\n    """Pass token="sk-88HxjSI6bWHtP3fS2qHx6kwXoIIXGvOoNZYW2mZp" here."""\n', name: 'docstrings are not checked' },
    { code: 'stripe_public = "pk_live_51HqLyjWDarjtT1zdp7dc"\nheaders = {"Authorization": "Bearer <token>"}\n' },
    { code: 'connect(password=os.environ["DB_PASSWORD"], user="postgres")\nPASSWORD_ENV = "FORECAST_DB_PASSWORD"\n' },
    {
      // warmeaf/LangChain-RAG-FastAPI-Service@79d0bcb, DjangoUserService/apps/user/serializers.py:137
      code: 'from rest_framework import serializers\n\n\ndef validate(attrs):\n    if attrs["password"] != attrs["confirm_password"]:\n        raise serializers.ValidationError({"confirm_password": "密码和确认密码不一致"})\n    return {"password": "Kennwort-stimmt-nicht-überein"}\n',
      name: 'validation messages in a language written without spaces, or words joined by hyphens, are not passwords',
    },
  ],
  invalid: [
    {
      code: 'import ibm_boto3\nfrom ibm_botocore.client import Config\n\ncos = ibm_boto3.client(\n    "s3",\n    ibm_api_key_id="Wq3vR9tLmZ2xKp7Yb4NcHd8FjS1gAeU6oTi5rPyE0wQa",\n    ibm_service_instance_id="crn:v1:bluemix:public:cloud-object-storage:global:a/1234:5678::",\n    config=Config(signature_version="oauth"),\n)\n',
      errors: [{ line: 6, column: 20 }],
      name: "IBM Cloud's ibm_api_key_id is the API key, not an id (zenml-io/zenml-projects, bank_subscription_prediction)",
    },
    {
      code: 'import streamlit as st\n\ndb_url = st.text_input("Database URL", value="postgresql://etl:q9Tv-R2mW7zL4pXe@db.internal:5432/db")\n',
      errors: [{ line: 3, column: 46 }],
      name: "a form field's value= is what the app uses",
    },
    {
      code: 'import requests\n\nr = requests.get("https://api.example.com/v1/models?api_key=sk-88HxjSI6bWHtP3fS2qHx6kwXoIIXGvOoNZYW2mZp&limit=5", timeout=10)\n',
      errors: [{ line: 3, message: 'Hard-coded API key' }],
      output:
        'import requests\nimport os\n\nr = requests.get(("https://api.example.com/v1/models?api_key=" + os.environ["OPENAI_API_KEY"] + "&limit=5"), timeout=10)\n',
      name: 'a key inside a URL: only the key is read from the environment, the URL stays',
    },
    {
      code: 'import requests\n\nr = requests.get("https://api.example.com/v1?\\tapi_key=sk-88HxjSI6bWHtP3fS2qHx6kwXoIIXGvOoNZYW2mZp", timeout=10)\n',
      errors: [{ line: 3, message: 'Hard-coded API key' }],
      output: 'import requests\nimport os\n\nr = requests.get(("https://api.example.com/v1?\\tapi_key=" + os.environ["OPENAI_API_KEY"]), timeout=10)\n',
      name: 'escape sequences stay as written',
    },
    {
      code: 'import requests\n\nr = requests.get("https://api.example.com/v1?" "api_key=x&token=sk-88HxjSI6bWHtP3fS2qHx6kwXoIIXGvOoNZYW2mZp", timeout=10)\n',
      errors: [{ line: 3, message: 'Hard-coded API key' }],
      output: null,
      name: 'no fix inside an implicit concatenation (it cannot hold a `+`)',
    },
    {
      code: 'import os\n\nOPENAI_KEY = "sk-88HxjSI6bWHtP3fS2qHx6kwXoIIXGvOoNZYW2mZp"\n',
      errors: [{ line: 3, column: 14, message: '`sk-8…`' }],
      output: 'import os\n\nOPENAI_KEY = os.environ["OPENAI_KEY"]\n',
    },
    {
      code: 'import boto3\nAWS_ACCESS_KEY_ID = "AKIAUVW75EFR6EDT4SYW"\nAWS_SECRET_ACCESS_KEY = "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"\n',
      errors: [
        { line: 2, message: 'AWS access key ID' },
        { line: 3, message: 'key' },
      ],
      output: 'import boto3\nimport os\nAWS_ACCESS_KEY_ID = os.environ["AWS_ACCESS_KEY_ID"]\nAWS_SECRET_ACCESS_KEY = os.environ["AWS_SECRET_ACCESS_KEY"]\n',
      name: 'the import is added once',
    },
    {
      code: 'import psycopg2\nconn = psycopg2.connect(\n    host="db.internal",\n    password="q9Tv-R2mW7zL4pXe",\n)\n',
      errors: [{ line: 4, column: 14, message: 'password' }],
      output: 'import psycopg2\nimport os\nconn = psycopg2.connect(\n    host="db.internal",\n    password=os.environ["PASSWORD"],\n)\n',
      name: 'multi-line call, keyword argument',
    },
    {
      code: 'DATABASE_URL = "postgresql://labeler:Tr0ub4dor-and-3@db.internal:5432/labels"\n',
      errors: [{ line: 1, message: 'connection string' }],
      output: 'import os\nDATABASE_URL = os.environ["DATABASE_URL"]\n',
    },
    {
      code: 'import os as _os\nSLACK = "xoxb-859952890786-6661760313721-vMdgaKjIg8xNbe3nNyjOq9wM"\nGH = "ghp_ocJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFRIBXu"\nstripe_key = "sk_live_xEhh2FDEEtfjgVvVqE1SkHbn"\n',
      errors: [
        { line: 2, message: 'Slack' },
        { line: 3, message: 'GitHub' },
        { line: 4, message: 'Stripe' },
      ],
      output: 'import os as _os\nSLACK = _os.environ["SLACK"]\nGH = _os.environ["GH"]\nstripe_key = _os.environ["STRIPE_KEY"]\n',
      name: 'known formats whatever the name; aliased os import reused',
    },
    {
      code: 'from huggingface_hub import login as hf_login\nhf_login(token="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")\n',
      errors: [{ line: 2, column: 16, message: 'Hugging Face' }],
    },
    {
      code: 'def client(api_key="3f9a1c77e2b84d0c9a5e6f1b2c3d4e5f"):\n    return api_key\nHEADERS = {"Authorization": "Bearer 9fKq2LmZx7RtYp4WvB8n"}\nprint "ok"\n',
      errors: [
        { line: 1, message: 'key' },
        { line: 3, message: 'Bear' },
      ],
      name: 'parameter default, header value, Python 2 file',
    },
    {
      code: { cells: ['!pip install openai\nimport openai', 'openai.api_key = "sk-proj-AbCdEf0123456789GhIjKlMn"'] },
      errors: [{ cell: 1, line: 1, column: 18 }],
      name: 'notebook',
    },
  ],
});
