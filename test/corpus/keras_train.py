"""Keras model for the demand forecast, trained from the exported feature table."""
import numpy as np
import pandas as pd
import tensorflow as tf
from tensorflow import keras

tf.random.set_seed(7)

frame = pd.read_parquet("features/demand.parquet")
X = frame.drop(columns=["units"]).to_numpy(dtype="float32")
y = frame["units"].to_numpy(dtype="float32")

model = keras.Sequential([
    keras.layers.Input(shape=(X.shape[1],)),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(1),
])
model.compile(optimizer="adam", loss="mse", metrics=["mae"])
history = model.fit(  # expect: untracked-training
    X,
    y,
    validation_split=0.2,
    epochs=30,
    batch_size=256,
)
print("final val mae", history.history["val_mae"][-1])  # expect: print-logging
model.save("demand_model.keras")  # expect: unversioned-artifact
np.save("demand_val_predictions.npy", model.predict(X[-1000:]))  # ok: unversioned-artifact
tf.keras.models.save_model(model, "exports/demand_savedmodel")  # expect: unversioned-artifact
