"""Posts the training summary to the team's Slack channel and the payment sandbox."""
import json
import urllib.request

import requests

SLACK_BOT_TOKEN = "xoxb-859952890786-6661760313721-vMdgaKjIg8xNbe3nNyjOq9wM"  # expect: hardcoded-secret
GITHUB_TOKEN = "ghp_ocJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFRIBXu"  # expect: hardcoded-secret
stripe_key = "sk_live_xEhh2FDEEtfjgVvVqE1SkHbn"  # expect: hardcoded-secret
CHANNEL = "#ml-training"  # ok: hardcoded-secret
token_env_var = "SLACK_BOT_TOKEN"  # ok: hardcoded-secret
secret = "changeme"  # ok: hardcoded-secret


def post_summary(text):
    return requests.post(  # expect: request-without-timeout
        "https://slack.com/api/chat.postMessage",
        headers={"Authorization": f"Bearer {SLACK_BOT_TOKEN}"},
        json={"channel": CHANNEL, "text": text},
    )


def open_issue(title):
    req = urllib.request.Request(
        "https://api.github.com/repos/acme/models/issues",
        data=json.dumps({"title": title}).encode(),
        headers={"Authorization": f"token {GITHUB_TOKEN}"},
    )
    return urllib.request.urlopen(req)  # expect: request-without-timeout


def check_sandbox():
    return requests.get("https://api.stripe.com/v1/balance", auth=(stripe_key, ""), timeout=10)  # ok: request-without-timeout
