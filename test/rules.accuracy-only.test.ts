import rule from '../server/src/engine/rules/accuracy-only';
import { ruleTester } from './helpers/rule-tester';

ruleTester(rule, {
  valid: [
    {
      code: 'from catboost import CatBoostClassifier\nfrom sklearn.metrics import accuracy_score\nclf = CatBoostClassifier(verbose=0).fit(X, y)\nacc = accuracy_score(y_te, clf.predict(X_te))\nm = clf.eval_metrics(Pool(X_te, y_te), ["AUC", "F1"])\n',
      name: 'CatBoost eval_metrics with other metrics',
    },
    { code: 'import evaluate\naccuracy = evaluate.load("accuracy")\nf1 = evaluate.load("f1")\n', name: 'evaluate.load of another metric' },
    { code: 'import evaluate\nclf_metrics = evaluate.combine(["accuracy", "f1", "precision", "recall"])\n', name: 'evaluate.combine with other metrics' },
    { code: 'from sklearn.metrics import accuracy_score, f1_score\nacc = accuracy_score(y, p)\nf1 = f1_score(y, p)\n' },
    {
      code: 'from sklearn.metrics import accuracy_score, confusion_matrix\nacc = accuracy_score(y, p)\nlogger.info("%s", confusion_matrix(y, p))\n',
      name: 'a confusion matrix anywhere',
    },
    {
      code: 'from sklearn.ensemble import RandomForestRegressor\nreg = RandomForestRegressor(random_state=3).fit(X, y)\nr2 = reg.score(X_te, y_te)\n',
      name: "a regressor's score is R²",
    },
    { code: 'import joblib\nfrom sklearn.metrics import log_loss\nmodel = joblib.load("m.pkl")\nmodel.score(X, y)\n', name: 'unknown model type' },
    {
      code: 'from sklearn.metrics import accuracy_score, make_scorer, recall_score\nacc = accuracy_score(y, p)\nscorer = make_scorer(recall_score)\n',
      name: 'a metric passed as a scorer',
    },
    {
      code: 'from sklearn.model_selection import cross_val_score\nfrom sklearn.linear_model import LogisticRegression\ncross_val_score(LogisticRegression(), X, y, scoring="roc_auc")\n',
    },
    {
      code: 'from sklearn.metrics import accuracy_score\nfrom sklearn import metrics\nacc = accuracy_score(y, p)\nprint(metrics.classification_report(y, p))\n',
    },
    { code: 'import tensorflow as tf\nmodel.compile(optimizer="adam", loss="bce", metrics=["accuracy", tf.keras.metrics.AUC()])\n' },
    {
      code: 'from sklearn.metrics import roc_auc_score\nfrom sklearn.metrics import accuracy_score\nauc = roc_auc_score(y, s)\nacc = accuracy_score(y, p)\n',
      name: 'another metric before accuracy',
    },
  ],
  invalid: [
    {
      code: 'import evaluate\nimport numpy as np\nmetric = evaluate.load("accuracy")\ndef compute_metrics(eval_pred):\n    logits, labels = eval_pred\n    return metric.compute(predictions=np.argmax(logits, axis=-1), references=labels)\n',
      errors: [{ line: 3, column: 10, message: 'accuracy' }],
      name: 'evaluate.load("accuracy") alone',
    },
    {
      code: 'from sklearn.metrics import accuracy_score\nfrom sklearn.naive_bayes import MultinomialNB\nfrom sklearn.svm import LinearSVC\nnb = MultinomialNB().fit(X, y)\nsvm = LinearSVC(C=0.5).fit(X, y)\nnb_acc = accuracy_score(\n    y_te,\n    nb.predict(X_te),\n)\nsvm_acc = svm.score(X_te, y_te)\n',
      errors: [{ line: 6, column: 10, message: '`accuracy_score`' }],
      output: null,
      name: 'reported once, at the first accuracy evaluation (multi-line)',
    },
    {
      code: 'from sklearn.linear_model import LogisticRegression as LR\nclf = LR(max_iter=200)\nclf.fit(X, y)\nprint(clf.score(X_te, y_te))\n',
      errors: [{ line: 4, column: 7, message: '.score' }],
      name: "an aliased classifier's score",
    },
    {
      code: 'from sklearn import metrics\nacc = metrics.accuracy_score(y, p)\n',
      errors: [{ line: 2, column: 7 }],
    },
    {
      code: 'from sklearn.pipeline import make_pipeline\nfrom sklearn.preprocessing import StandardScaler\nfrom sklearn.ensemble import RandomForestClassifier\nfrom sklearn.model_selection import cross_val_score\npipe = make_pipeline(StandardScaler(), RandomForestClassifier(random_state=0))\nscores = cross_val_score(pipe, X, y, cv=5)\n',
      errors: [{ line: 6, column: 10, message: 'cross_val_score' }],
      name: 'cross-validation of a classifier pipeline with default scoring',
    },
    {
      code: 'from tensorflow import keras\nmodel = keras.Sequential([])\nmodel.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])\n',
      errors: [{ line: 3, message: 'Keras' }],
    },
    {
      code: {
        cells: [
          '%matplotlib inline\nfrom sklearn.metrics import accuracy_score\nimport xgboost as xgb',
          '!pip list\nclf = xgb.XGBClassifier().fit(X, y)',
          'clf.score(X_te, y_te)\naccuracy_score(y_te, clf.predict(X_te))',
        ],
      },
      errors: [{ cell: 2, line: 1, column: 1 }],
      name: 'notebook',
    },
    {
      code: 'from sklearn.metrics import accuracy_score\nprint "accuracy: %.3f" % accuracy_score(y, p)\n',
      errors: [{ line: 2, column: 26 }],
      name: 'Python 2 file',
    },
  ],
});
