"""Settings for the forecasting service, read from the environment with safe defaults."""
import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"
PASSWORD_ENV = "FORECAST_DB_PASSWORD"
TOKEN_PLACEHOLDER = "<your-token-here>"  # ok: hardcoded-secret


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=lambda: Path(os.environ.get("FORECAST_DATA_DIR", str(DEFAULT_DATA_DIR))))
    model_uri: str = os.environ.get("FORECAST_MODEL_URI", "s3://forecast-models/latest/")  # ok: hardcoded-path
    db_url: str = os.environ.get("FORECAST_DB_URL", "postgresql://localhost:5432/forecast")  # ok: hardcoded-secret
    api_key: str = os.environ.get("FORECAST_API_KEY", "")  # ok: hardcoded-secret
    seed: int = int(os.environ.get("FORECAST_SEED", "42"))
    predict_route: str = "/v1/forecast"  # mlready: ignore[hardcoded-path]  # ok: hardcoded-path, unknown-suppression
    request_timeout: float = float(os.environ.get("FORECAST_TIMEOUT", "10"))


def load_settings() -> Settings:
    return Settings()
