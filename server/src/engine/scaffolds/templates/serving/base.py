"""What every contract shares: strict field checks, the response and model-info models, and
the conversion of a request into the frame the model was trained on.

Works with pydantic 1 and 2. The data-specific part (fields, aliases, ranges, categories) is
``serving/contract.py``, generated from ``data_schema.py``.
"""

import datetime as dt
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence

from pydantic import VERSION as PYDANTIC_VERSION
from pydantic import BaseModel, Field

import data_schema as schema

if TYPE_CHECKING:
    import pandas as pd

PYDANTIC_V2 = PYDANTIC_VERSION.startswith("2.")
MAX_BATCH_SIZE = 1000

if PYDANTIC_V2:
    from pydantic import field_validator as _field_validator

    def before(*fields: str):
        """A check that runs on the raw JSON value, before pydantic converts it."""
        return _field_validator(*fields, mode="before")

else:
    from pydantic import validator as _validator

    def before(*fields: str):
        """A check that runs on the raw JSON value, before pydantic converts it."""
        return _validator(*fields, pre=True, allow_reuse=True)


def strict_integer(cls, value: Any) -> Any:
    """An integer column takes whole JSON numbers only: not 2.87, "3" or true."""
    if value is None:
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"expected an integer, got {type(value).__name__} {value!r}")
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(f"expected an integer, got the fraction {value!r}")
    return int(value)


def strict_number(cls, value: Any) -> Any:
    """A numeric column takes JSON numbers only: not "3.5" or true."""
    if value is None:
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"expected a number, got {type(value).__name__} {value!r}")
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"expected a finite number, got {value!r}")
    return value


def strict_date(cls, value: Any) -> Any:
    """A date column takes ISO 8601 text (2024-05-31 or 2024-05-31T08:00:00): not numbers."""
    if value is None or isinstance(value, (dt.date, dt.datetime)):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO 8601 date as text, got {type(value).__name__} {value!r}")
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"expected an ISO 8601 date such as 2024-05-31, got {value!r}") from None
    return value


class StrictModel(BaseModel):
    """Rejects unknown fields, so a misspelt optional field is an error, not a silent default."""

    if PYDANTIC_V2:
        model_config = {"extra": "forbid", "protected_namespaces": ()}
    else:

        class Config:
            extra = "forbid"


class ResponseBase(BaseModel):
    """Fields of every answer; ``prediction`` is typed by the contract."""

    confidence: Optional[float] = Field(
        None, ge=0.0, le=1.0, description="probability of the predicted class; null for regression and fallbacks"
    )
    model_version: str = Field(..., description='the model that answered, or "fallback-prior"')
    fallback_used: bool = False
    fallback_reason: Optional[str] = None
    needs_review: bool = False
    request_id: str = ""

    if PYDANTIC_V2:
        model_config = {"protected_namespaces": ()}


class ModelInfo(BaseModel):
    loaded: bool
    version: str
    task: str
    target: str
    features: List[str]
    metrics: Dict[str, float] = {}
    created_at: Optional[str] = None
    error: Optional[str] = None


def as_record(request: BaseModel) -> Dict[str, Any]:
    """The request as a row keyed by the data's column names (the aliases)."""
    dump = getattr(request, "model_dump", None)
    return dump(by_alias=True) if dump is not None else request.dict(by_alias=True)


def json_record(record: Dict[str, Any]) -> Dict[str, Any]:
    """A record with dates as ISO text, for logs."""
    return {k: v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v for k, v in record.items()}


def to_frame(records: Sequence[Dict[str, Any]]) -> "pd.DataFrame":
    """Rows typed the way pipeline.data.validate types the training data."""
    # Imported here: the contract itself (validation) needs pydantic only.
    import numpy as np
    import pandas as pd

    frame = pd.DataFrame.from_records(list(records), columns=schema.FEATURES)
    for column in schema.FEATURES:
        role = schema.COLUMNS[column]["role"]
        if role in ("numeric", "bool"):
            frame[column] = frame[column].astype(float)
        elif role == "category":
            frame[column] = frame[column].astype(object).where(frame[column].notna(), np.nan)
        elif role == "date":
            frame[column] = pd.to_datetime(frame[column], errors="coerce", utc=True).dt.tz_localize(None)
        else:
            frame[column] = frame[column].fillna("").astype(str)
    return frame
