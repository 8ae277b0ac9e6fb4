import rule from '../server/src/engine/rules/training-serving-skew';
import { ruleTester } from './helpers/rule-tester';

const SK =
  'import joblib\nimport pandas as pd\nfrom sklearn.preprocessing import StandardScaler, OneHotEncoder\nfrom sklearn.linear_model import LogisticRegression\n';

ruleTester(rule, {
  valid: [
    {
      code: 'from sklearn.preprocessing import StandardScaler\nscaler = StandardScaler()\nX_final = scaler.fit_transform(X_train_val)\n',
      name: 'refitting on train and validation together for the final model',
    },
    {
      code: 'import pandas as pd\nfrom flask import Flask, request, jsonify\napp = Flask(__name__)\n@app.route("/predict", methods=["POST"])\ndef predict():\n    query = pd.get_dummies(pd.DataFrame(request.json))\n    query = query.reindex(columns=model_columns, fill_value=0)\n    return jsonify(list(clf.predict(query)))\n',
      name: 'get_dummies realigned to the training columns (sklearnflask)',
    },
    {
      code: `${SK}scaler = StandardScaler()\nX_train_s = scaler.fit_transform(X_train)\nX_test_s = scaler.transform(X_test)\nclf = LogisticRegression().fit(X_train_s, y_train)\njoblib.dump({"model": clf, "scaler": scaler}, "artifacts.joblib")\n`,
      name: 'scaler fitted on training data and saved with the model',
    },
    {
      code: `${SK}from sklearn.pipeline import make_pipeline\npipe = make_pipeline(StandardScaler(), LogisticRegression())\npipe.fit(X_train, y_train)\njoblib.dump(pipe, "model.joblib")\n`,
      name: 'a pipeline',
    },
    { code: `${SK}df = pd.get_dummies(raw, columns=["region"])\nclf = LogisticRegression().fit(df, y)\n`, name: 'get_dummies in training code' },
    {
      code: `${SK}scaler = StandardScaler().fit(X_train)\nclf = LogisticRegression().fit(scaler.transform(X_train), y_train)\nprint(clf.score(scaler.transform(X_test), y_test))\n`,
      name: 'nothing saved: nothing to say about saving',
    },
    {
      code: `${SK}enc = OneHotEncoder(handle_unknown="ignore").fit(train_df[["region"]])\njoblib.dump(enc, "enc.joblib")\nclf = LogisticRegression().fit(enc.transform(train_df[["region"]]), y)\njoblib.dump(clf, "clf.joblib")\n`,
      name: 'encoder saved on its own',
    },
    { code: `${SK}def predict(payload):\n    X = enc.transform(pd.DataFrame([payload]))\n    return clf.predict(X)\n`, name: 'transform at prediction time' },
  ],
  invalid: [
    {
      code: `${SK}scaler = StandardScaler()\nX_train_s = scaler.fit_transform(X_train)\nX_test_s = scaler.fit_transform(X_test)\n`,
      errors: [{ line: 7, column: 12, message: 'test or serving data' }],
      name: 'fit_transform on the test set',
    },
    {
      code: `${SK}from fastapi import FastAPI\napp = FastAPI()\nclf = joblib.load("clf.joblib")\n@app.post("/predict")\ndef predict_endpoint(payload: dict):\n    X = pd.get_dummies(pd.DataFrame([payload]))\n    return {"y": clf.predict(X).tolist()}\n`,
      errors: [{ line: 10, column: 9, message: 'get_dummies' }],
      name: 'get_dummies in a route handler',
    },
    {
      code: `${SK}def predict(records):\n    df = pd.DataFrame(records)\n    X = StandardScaler().fit_transform(df[["age", "income"]])\n    return model.predict(X)\n`,
      errors: [{ line: 7, column: 9, message: 'at prediction time' }],
      name: 'a scaler fitted inside a predict function',
    },
    {
      code: `${SK}from sklearn.feature_extraction.text import TfidfVectorizer\nvectorizer = TfidfVectorizer(min_df=2)\nX = vectorizer.fit_transform(train.text)\nclf = LogisticRegression(max_iter=1000).fit(X, train.label)\njoblib.dump(clf, "clf.joblib")\n`,
      errors: [{ line: 7, column: 5, message: '`vectorizer` is fitted here but never saved' }],
      name: 'a vectorizer fitted in training and never saved',
    },
    {
      code: `${SK}test = pd.read_csv("test.csv")\nsc = StandardScaler()\ntest_scaled = sc.fit_transform(test[cols])\n`,
      errors: [{ line: 7, column: 15 }],
      name: 'Kaggle style: refit on the test file',
    },
  ],
});
