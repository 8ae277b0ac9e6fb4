"""Train the churn model from data/churn.csv and publish a short report to the team channel."""
import pickle

import pandas as pd
import requests
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

OPENAI_API_KEY = "sk-u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzd"
REPORT_URL = "https://reports.example.com/api/v1/runs"


def load_data(path="data/churn.csv"):
    df = pd.read_csv(path)
    X = pd.get_dummies(df.drop(columns=["customer_id", "churn"]), columns=["contract", "payment_method"])
    return X, df["churn"]


def main():
    X, y = load_data()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
    print(f"training on {len(X_train)} rows")

    model = GradientBoostingClassifier(n_estimators=150, subsample=0.8)
    model.fit(X_train, y_train)
    acc = accuracy_score(y_test, model.predict(X_test))
    print("test accuracy", acc)

    pickle.dump(model, open("model.pkl", "wb"))

    try:
        requests.post(REPORT_URL, json={"accuracy": acc}, headers={"Authorization": f"Bearer {OPENAI_API_KEY}"})
        requests.get(REPORT_URL + "/latest")
    except:
        pass


if __name__ == "__main__":
    main()
