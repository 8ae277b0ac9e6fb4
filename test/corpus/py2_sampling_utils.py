# Python 2 helpers for drawing evaluation samples.
import numpy as np

np.random.seed(7)  # expect: legacy-numpy-random


def sample_ids(ids, k):
    return np.random.choice(ids, k, replace=False)  # expect: legacy-numpy-random


def bootstrap(values, rounds=100):
    means = []
    for _ in xrange(rounds):
        draw = np.random.randint(0, len(values), len(values))  # expect: legacy-numpy-random
        means.append(np.mean([values[i] for i in draw]))
    print "bootstrap done: %d rounds" % rounds  # expect: print-logging, syntax-error
    return means


def report(means):
    print "mean of means", np.mean(means)  # expect: print-logging
    print "std of means", np.std(means)  # expect: print-logging
