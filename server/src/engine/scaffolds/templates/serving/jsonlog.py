"""Append-only JSON-lines logs written off the request path, rotated by size.

``write`` puts the entry on an in-memory queue and returns; a background thread (the standard
library's QueueListener) writes it to a RotatingFileHandler. A slow disk therefore never delays
an answer, and a log never grows without bound.
"""

import atexit
import json
import logging
import logging.handlers
import queue
from pathlib import Path
from typing import Any, Dict


class JsonLinesLog:
    def __init__(self, path: Path, max_bytes: int = 10_000_000, backups: int = 5) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            self.path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8", delay=True
        )
        handler.setFormatter(logging.Formatter("%(message)s"))
        self._queue: "queue.Queue[logging.LogRecord]" = queue.Queue(-1)
        self._listener = logging.handlers.QueueListener(self._queue, handler)
        self._handler = handler
        self._listener.start()
        self._open = True
        atexit.register(self.close)

    def write(self, entry: Dict[str, Any]) -> None:
        """Queues one entry; returns at once."""
        record = logging.LogRecord("jsonlog", logging.INFO, __file__, 0, json.dumps(entry, default=str), None, None)
        self._queue.put_nowait(record)

    def flush(self) -> None:
        """Waits until every queued entry is on disk (tests and shutdown)."""
        if self._open:
            self._listener.stop()
            self._handler.flush()
            self._listener.start()

    def close(self) -> None:
        if self._open:
            self._open = False
            self._listener.stop()
            self._handler.close()
