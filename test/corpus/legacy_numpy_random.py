"""Synthetic data generator for the load-test fixtures."""
import logging

import numpy as np
from numpy import random as npr

logger = logging.getLogger(__name__)

np.random.seed(1234)  # expect: legacy-numpy-random

n = 10_000
ages = np.random.randint(18, 90, size=n)  # expect: legacy-numpy-random
income = np.random.normal(loc=52_000, scale=18_000, size=n)  # expect: legacy-numpy-random
noise = np.random.rand(n)  # expect: legacy-numpy-random
latent = np.random.randn(n, 4)  # expect: legacy-numpy-random
segment = np.random.choice(["a", "b", "c"], size=n, p=[0.5, 0.3, 0.2])  # expect: legacy-numpy-random
discount = npr.uniform(0.0, 0.3, size=n)  # expect: legacy-numpy-random
order = np.arange(n)
np.random.shuffle(order)  # expect: legacy-numpy-random

rng = np.random.default_rng(1234)  # ok: legacy-numpy-random
churn = rng.binomial(1, 0.2, size=n)  # ok: legacy-numpy-random
tenure = rng.integers(1, 72, size=n)  # ok: legacy-numpy-random
rng.shuffle(order)  # ok: legacy-numpy-random
logger.info("generated %d rows, churn rate %.3f", n, churn.mean())
