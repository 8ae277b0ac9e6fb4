"""Cleaning the raw sales extract before feature engineering."""
import numpy as np
import pandas as pd

sales = pd.read_csv("data/sales.csv", parse_dates=["date"])

sales[sales["quantity"] < 0]["quantity"] = 0  # expect: chained-assignment
sales["region"]["unknown"] = "EMEA"  # expect: chained-assignment
sales.price[sales.price.isna()] = sales.price.median()  # expect: chained-assignment
sales[sales.store_id == 17]["region"] = "APAC"  # expect: chained-assignment

returns = sales.query("returned == 1")
returns["reason"][returns["reason"] == ""] = "unspecified"  # expect: chained-assignment

sales.loc[sales["discount"] > 0.9, "discount"] = 0.9  # ok: chained-assignment
sales["revenue"] = sales["price"] * sales["quantity"]  # ok: chained-assignment
sales[["price", "revenue"]] = sales[["price", "revenue"]].round(2)  # ok: chained-assignment
sales.at[0, "note"] = "first row"  # ok: chained-assignment
sales.iloc[0, 2] = 0  # ok: chained-assignment

settings = {"model": {}, "features": {}}
settings["model"]["n_estimators"] = 300  # ok: chained-assignment

grid = np.zeros((3, 3))
grid[0][1] = 5.0  # ok: chained-assignment

weekly = sales.groupby(pd.Grouper(key="date", freq="W"))["revenue"].sum().to_frame()
weekly["rolling"] = weekly["revenue"].rolling(4).mean()  # ok: chained-assignment
