"""Customer segmentation and an anomaly screen, exploratory version."""
import pandas as pd
from sklearn.cluster import DBSCAN, KMeans, MiniBatchKMeans
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest
from sklearn.manifold import TSNE
from sklearn.preprocessing import StandardScaler

customers = pd.read_csv("data/customers.csv")
features = StandardScaler().fit_transform(customers.select_dtypes("number"))  # ok: data-leakage

kmeans = KMeans(n_clusters=6, n_init=10)  # mlready: ignore[missing_seed]  # expect: missing-seed, unknown-suppression
customers["segment"] = kmeans.fit_predict(features)  # expect: untracked-training
big = MiniBatchKMeans(n_clusters=6, batch_size=4096)  # expect: missing-seed
big.fit(features)
embedding = TSNE(n_components=2, perplexity=40).fit_transform(features)  # expect: missing-seed
screen = IsolationForest(contamination=0.01).fit(features)  # expect: missing-seed
customers["outlier"] = screen.predict(features) == -1

dense = DBSCAN(eps=0.7, min_samples=10).fit_predict(features)  # ok: missing-seed
projected = PCA(n_components=5).fit_transform(features)  # ok: missing-seed
randomized = PCA(n_components=5, svd_solver="randomized").fit_transform(features)  # expect: missing-seed
customers.to_parquet("exports/segments.parquet")
