# Python 2.7 training script kept from the first version of the pricing model.
import cPickle
import sys

import numpy as np
from sklearn.ensemble import RandomForestRegressor
from sklearn.cross_validation import train_test_split

print "loading data"  # expect: print-logging, syntax-error
data = np.loadtxt("/home/ops/pricing/train.tsv", delimiter="\t")  # expect: hardcoded-path
X, y = data[:, :-1], data[:, -1]

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)  # expect: missing-seed
model = RandomForestRegressor(n_estimators=100)  # expect: missing-seed
model.fit(X_train, y_train)  # expect: untracked-training
print "R2 on holdout: %.3f" % model.score(X_test, y_test)  # expect: print-logging

try:
    cPickle.dump(model, open("pricing_rf.pkl", "wb"), 2)  # expect: unversioned-artifact
except:  # expect: swallowed-error
    print >>sys.stderr, "could not save the model"  # expect: print-logging
