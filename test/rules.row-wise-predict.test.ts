import rule from '../server/src/engine/rules/row-wise-predict';
import { ruleTester } from './helpers/rule-tester';

ruleTester(rule, {
  valid: [
    {
      // huggingface/trl f2cd577, trl/trainer/grpo_trainer.py
      code: 'import torch\n\nfor i, reward_func in enumerate(self.reward_funcs):\n    self.reward_funcs[i] = self.accelerator.prepare_model(reward_func, evaluation_mode=True)\n',
      name: "accelerate's prepare_model wraps and places a model; it runs nothing",
    },
    {
      // ageron/handson-ml3@e3f3f9e, 16_nlp_with_rnns_and_attention.ipynb (cell 113): beam search, whose
      // hypotheses for the next step are the candidates this step's predictions made.
      code: 'import numpy as np\n\ndef beam_search(sentence_en, beam_width):\n    X = np.array([sentence_en])\n    X_dec = np.array(["startofseq"])\n    y_proba = model.predict((X, X_dec))[0, 0]\n    top_translations = [(np.log(p), vocab[i]) for i, p in enumerate(y_proba)][:beam_width]\n    for idx in range(1, max_length):\n        candidates = []\n        for log_proba, translation in top_translations:\n            X = np.array([sentence_en])\n            X_dec = np.array(["startofseq " + translation])\n            y_proba = model.predict((X, X_dec))[0, idx]\n            for word_id, word_proba in enumerate(y_proba):\n                word = vocab[word_id]\n                candidates.append((log_proba + np.log(word_proba), f"{translation} {word}"))\n        top_translations = sorted(candidates, reverse=True)[:beam_width]\n    return top_translations[0][1]\n',
      name: 'beam search: the next step walks the candidates this step predicted (reassigned in the enclosing loop)',
    },
    {
      // rasbt/machine-learning-book 35ab377, ch02/ch02.py: the perceptron learning rule.
      code: 'import numpy as np\nclass Perceptron:\n    def fit(self, X, y):\n        self.w_ = np.zeros(X.shape[1])\n        for xi, target in zip(X, y):\n            update = 0.1 * (target - self.predict(xi))\n            self.w_ += update * xi\n            self.b_ += update\n        return self\n    def predict(self, X):\n        return np.where(np.dot(X, self.w_) + self.b_ >= 0.0, 1, 0)\n',
      name: 'online learning: the loop changes the predicting object (perceptron rule)',
    },
    {
      code: 'from sklearn.linear_model import SGDClassifier\nclf = SGDClassifier()\nfor x, y in zip(X_stream, y_stream):\n    pred = clf.predict([x])\n    clf.partial_fit([x], [y], classes=[0, 1])\n',
      name: 'online learning: predict then partial_fit on each row (prequential evaluation)',
    },
    {
      // ashishpatel26/Amazing-Feature-Engineering@ba5eebe, feature_selection/hybrid.py:101
      code: 'from sklearn.ensemble import RandomForestClassifier\n\n\ndef add_features(X_train, y_train, X_test, features_to_keep):\n    for feature in X_train.columns[1:]:\n        model = RandomForestClassifier(random_state=0)\n        model.fit(X_train[features_to_keep + [feature]], y_train)\n        y_pred_test = model.predict_proba(X_test[features_to_keep + [feature]])[:, 1]\n',
      name: 'a loop over a slice of the columns predicts the whole test set per column set',
    },
    {
      // ShawhinT/YouTube-Blog@659a4a7, decision-tree/decision_tree_2-uses/use-1_reduce_predictor_count.ipynb
      code: 'from sklearn.tree import DecisionTreeClassifier\n\nfor i in range(len(feature_importances_sorted)):\n    cols = feature_importances_sorted.index[: i + 1]\n    clf = DecisionTreeClassifier().fit(X_train[cols], y_train)\n    y_pred = clf.predict(X_test[cols])\n',
      name: 'a count of feature importances is not a count of rows',
    },
    {
      // ShawhinT/YouTube-Blog@659a4a7, ai-for-business/3-sales-use-cases/3-lead_scoring.ipynb
      code: 'from sklearn.linear_model import LogisticRegression\nfrom sklearn.model_selection import train_test_split\n\ny_name_list = ["Yes", "No"]\ntest_auc_list = []\nfor y_name in y_name_list:\n    y = df_responded[y_name]\n    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)\n    clf = LogisticRegression(random_state=0).fit(X_train, y_train)\n    test_auc_list.append(clf.predict_proba(X_test))\n',
      name: 'a loop over options typed in (target names) is not a loop over rows',
    },
    {
      code: 'from sklearn.model_selection import StratifiedKFold\nfor bag, seed in enumerate(seeds):\n    skf = StratifiedKFold(5, shuffle=True, random_state=seed)\n    for fold, (train_ids, valid_ids) in enumerate(skf.split(X, y)):\n        X_valid = X.iloc[valid_ids]\n        y_proba[valid_ids] += model.predict_proba(X_valid)[:, 1]\n',
      name: 'per fold inside a loop over seeds (Kaggle bagging)',
    },
    {
      code: 'import numpy as np\nfor i, feature in enumerate(feature_names_out):\n    X_shuffled = X_valid.copy()\n    X_shuffled[:, i] = np.random.permutation(X_shuffled[:, i])\n    drop = base - score(y_valid, forest.predict(X_shuffled))\n',
      name: 'permutation importance over columns',
    },
    {
      code: 'import torch\nwith torch.no_grad():\n    for dev_batch_idx, dev_batch in enumerate(dev_iter):\n        answer = model(dev_batch)\n',
      name: 'batches of a torchtext iterator',
    },
    {
      code: 'from langchain_openai import ChatOpenAI\nllm = ChatOpenAI(timeout=30)\nfor user in users:\n    out = llm.predict(template.format(user=user))\n',
      name: "a LangChain model's predict per list item is not a per-row prediction",
    },
    {
      code: 'from openai import OpenAI\nclient = OpenAI(timeout=30)\nfor q in questions:\n    answers.append(client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": q}]))\n',
      name: 'an LLM call per item of a list is not per DataFrame row',
    },
    {
      code: 'from openai import OpenAI\nclient = OpenAI(timeout=30)\nfor _, row in df.iterrows():\n    seen.add(row.id)\nresp = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": df.to_csv()}])\n',
      name: 'one LLM call on the whole table',
    },
    {
      code: 'from twilio.rest import Client\nclient = Client(sid, token)\nfor _, row in df.iterrows():\n    client.messages.create(body=row.text, to=row.phone)\n',
      name: "Twilio's messages.create is not an LLM",
    },
    {
      code: 'from sklearn.model_selection import StratifiedKFold\ncv = StratifiedKFold(n_splits=5)\nfor train, test in cv.split(X, y):\n    scores.append(model.fit(X[train], y[train]).predict(X[test]))\n',
      name: 'cross-validation folds',
    },
    {
      code: 'from sklearn.model_selection import KFold\ncv = KFold(5)\nfor train_idx, test_idx in cv:\n    preds[test_idx] = model.predict(X[test_idx])\n',
      name: 'folds held in a variable',
    },
    { code: 'for i in range(10):\n    proba_i = model.predict_proba(X[y == i])\n', name: 'a handful of class ids' },
    {
      code: 'def batches(X, size):\n    for start in range(0, len(X), size):\n        yield X[start:start + size]\n\nit = batches(X_test, 512)\nfor xb in it:\n    out.append(model.predict(xb))\n',
      name: 'a batch generator held in a variable',
    },
    { code: 'import numpy as np\nparts = np.array_split(X, 8)\nfor p in parts:\n    out.append(model.predict(p))\n', name: 'array_split held in a variable' },
    { code: 'tickets["priority"] = model.predict(features)\nproba = model.predict_proba(features)[:, 1]\n' },
    { code: 'import numpy as np\nfor chunk in np.array_split(X, 10):\n    log(model.predict_proba(chunk)[:, 1].mean())\n', name: 'chunks are batches' },
    { code: 'for name, est in models.items():\n    scores[name] = est.predict(X_test)\n', name: 'loop over models, input does not depend on the loop' },
    { code: 'for epoch in range(3):\n    preds = model.predict(X_val)\n', name: 'input independent of the loop variable' },
    {
      code: 'import numpy as np\ndef recursive_forecast(model, history, horizon):\n    window = list(history[-7:])\n    preds = []\n    for _ in range(horizon):\n        x = np.array(window[-7:]).reshape(1, -1)\n        y_hat = float(model.predict(x)[0])\n        preds.append(y_hat)\n        window.append(y_hat)\n    return preds\n',
      name: 'autoregressive forecast through append',
    },
    {
      code: 'import numpy as np\ndef rollout(model, state, steps):\n    out = np.empty(steps)\n    for t in range(steps):\n        out[t] = model.predict(state[np.newaxis, :])[0]\n        state = np.roll(state, -1)\n        state[-1] = out[t]\n    return out\n',
      name: 'autoregressive rollout through index writes',
    },
    { code: 'for batch in test_loader:\n    preds.append(model.predict(batch))\n', name: 'loader batches' },
    { code: 'import glob\nfor path in glob.glob("*.png"):\n    pred = model.predict(load(path))\n', name: 'files, not rows' },
    {
      code: 'import torch\nfor pos, neg in pairs:\n    loss = (1 - ranker(pos) + ranker(neg)).mean()\n    loss.backward()\n    opt.step()\n',
      name: 'forward calls in a training loop',
    },
    {
      code: 'import pandas as pd\n\n\ndef evaluate(models, test_data_dict, series_ids):\n    for i, series_id in enumerate(series_ids):\n        model = models[series_id]\n        test_data = test_data_dict[series_id]\n        future_dates = test_data["ds"].unique()\n        forecast = model.predict(pd.DataFrame({"ds": future_dates}))\n',
      name: 'a loop over models: the model comes from the loop item (zenml-io/zenml-projects, retail-forecast)',
    },
    {
      code: 'import torch\ndataset = LoadImages("images/", img_size=640)\nfor path, im, im0s, vid_cap, s in dataset:\n    im = torch.from_numpy(im).float() / 255\n    pred = model.predict(im)\n',
      name: 'a loop over files: its target names the path (YOLOv5 LoadImages; zenml-io/zenml-projects, sign-language-detection-yolov5)',
    },
  ],
  invalid: [
    {
      code: 'import pandas as pd\nfor _, row in df.iterrows():\n    clf = models[row["segment"]]\n    scores.append(clf.predict(row.to_frame().T)[0])\n',
      errors: [{ line: 4, message: '`clf.predict` called once per row' }],
      name: 'a model picked per DataFrame row is still one call per row (group the rows by segment)',
    },
    {
      code: 'for name, model in models.items():\n    for i, row in df.iterrows():\n        df.loc[i, name] = model.predict([row])[0]\n',
      errors: [{ line: 3, message: '`model.predict` called once per row' }],
      name: 'predictions written back into the rows inside an enclosing loop are still one call per row',
    },
    {
      code: 'class Scorer:\n    def score_all(self, X):\n        out = []\n        for xi in X:\n            out.append(self.predict(xi))\n            self.progress.update(1)\n        return out\n',
      errors: [{ line: 5, message: 'self.predict' }],
      name: 'a row-wise predict on self while a helper of self is updated (not the model learning)',
    },
    {
      code: 'from openai import OpenAI\nclient = OpenAI(timeout=30)\nfor item in df.to_dict("records"):\n    r = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": str(item)}])\n',
      errors: [{ line: 4, column: 9, message: 'LLM' }],
      name: 'an LLM call per record of to_dict("records")',
    },
    {
      code: 'from openai import OpenAI\nimport pandas as pd\nclient = OpenAI(timeout=30)\nlabels = []\nfor _, row in df.iterrows():\n    resp = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": f"Classify: {row.text}"}])\n    labels.append(resp.choices[0].message.content)\n',
      errors: [{ line: 6, column: 12, message: 'LLM' }],
      name: 'an OpenAI call per DataFrame row',
    },
    {
      code: 'from langchain_openai import ChatOpenAI\nllm = ChatOpenAI(model="gpt-4o", timeout=30)\ndef summarize(text):\n    return llm.invoke(f"Summarize: {text}").content\ndf["summary"] = df.apply(lambda r: summarize(r["body"]), axis=1)\n',
      errors: [{ line: 5, column: 36, message: 'LLM' }],
      name: 'a helper that calls the LLM, in df.apply',
    },
    {
      code: 'import anthropic\nclient = anthropic.Anthropic(timeout=20)\ndef label(t):\n    return client.messages.create(model="claude-3-5-haiku-latest", max_tokens=10, messages=[{"role": "user", "content": t}]).content[0].text\ndf["label"] = df["review"].apply(label)\n',
      errors: [{ line: 5, column: 15, message: 'LLM' }],
      name: 'Series.apply with the helper passed by name',
    },
    {
      code: 'import litellm\nfor row in df.itertuples():\n    out.append(litellm.completion(model="gpt-4o-mini", messages=[{"role": "user", "content": row.question}], timeout=30))\n',
      errors: [{ line: 3, column: 16, message: 'LLM' }],
      name: 'litellm per itertuples row',
    },
    {
      code: 'priorities = []\nfor _, row in features.iterrows():\n    priorities.append(model.predict(row.to_frame().T)[0])\n',
      errors: [{ line: 3, column: 23, message: '`model.predict` called once per row' }],
      output: null,
    },
    {
      code: 'for row in features.itertuples(index=False):\n    out.append(clf.predict_proba([list(row)])[0, 1])\n',
      errors: [{ line: 2, column: 16 }],
    },
    {
      code: 'X = features.to_numpy()\nfor i in range(len(X)):\n    scores.append(model.predict_proba(\n        X[i : i + 1],\n    )[0, 1])\n',
      errors: [{ line: 3, column: 19 }],
      name: 'range(len(X)) with a multi-line call',
    },
    {
      code: 'labels = [model.predict(x.reshape(1, -1))[0] for x in X]\n',
      errors: [{ line: 1, column: 11 }],
      name: 'comprehension',
    },
    {
      code: 'for i in range(len(X_new)):\n    leads.loc[i, "score"] = model.predict_proba(X_new.iloc[[i]])[0, 1]\n',
      errors: [{ line: 2, column: 29 }],
    },
    {
      code: 'for idx, row in enumerate(X_test.values):\n    feats = row.reshape(1, -1)\n    preds.append(pipe.predict(feats))\n',
      errors: [{ line: 3 }],
      name: 'input derived from the row through an assignment',
    },
    {
      code: 'df["pred"] = df.apply(lambda r: model.predict([r[cols]])[0], axis=1)\n',
      errors: [{ line: 1, column: 33 }],
      name: 'DataFrame.apply over rows',
    },
    {
      code: 'import torch\nfor x in X_test_tensor:\n    with torch.no_grad():\n        out = model(x.unsqueeze(0))\n',
      errors: [{ line: 4, column: 15, message: '`model` called once per row' }],
      name: 'PyTorch forward per row',
    },
    {
      code: {
        cells: [
          'import joblib\n%time model = joblib.load("m.joblib")',
          'errors = []\nfor idx, row in holdout.iterrows():\n    errors.append(abs(model.predict(row.to_frame().T)[0] - target.loc[idx]))',
        ],
      },
      errors: [{ cell: 1, line: 3, column: 23 }],
      name: 'notebook',
    },
    {
      code: 'print "scoring"\nfor x in X:\n    print model.predict([x])[0]\n',
      errors: [{ line: 3, column: 11 }],
      name: 'Python 2 file',
    },
  ],
});
