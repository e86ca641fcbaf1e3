"""Structured (JSON line) logging with request and correlation ids on every record."""
from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from opentelemetry import trace

from .context import correlation_id_var, request_id_var


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.correlation_id = correlation_id_var.get()
        span = trace.get_current_span().get_span_context()  # tracing on (tracing.py): the line names its span
        if span.is_valid:
            record.trace_id, record.span_id = format(span.trace_id, "032x"), format(span.span_id, "016x")
        return True


def without_query(value: str) -> str:
    """``/api/v1/transactions?buyer_name=李四`` → ``/api/v1/transactions``: query values carry personal data
    (names, ID numbers in searches) and logs are kept longer and read more widely than the database."""
    return value.split("?", 1)[0]


class QueryRedactingFilter(logging.Filter):
    """For the loggers that print request lines (uvicorn's access log, httpx's request log): the path stays,
    the query goes. Arguments keep their positions (uvicorn's formatter unpacks them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(without_query(str(a)) if isinstance(a, str) or type(a).__name__ == "URL" else a
                                for a in record.args)
        return True


REQUEST_LINE_LOGGERS = ("uvicorn.access", "httpx")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "correlation_id": getattr(record, "correlation_id", None),
        }
        if trace_id := getattr(record, "trace_id", None):
            entry["trace_id"], entry["span_id"] = trace_id, getattr(record, "span_id", None)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str = "INFO") -> None:
    for name in REQUEST_LINE_LOGGERS:  # also when logging was configured before (tests, several runtimes)
        logger = logging.getLogger(name)
        if not any(isinstance(f, QueryRedactingFilter) for f in logger.filters):
            logger.addFilter(QueryRedactingFilter())
    root = logging.getLogger()
    if any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ContextFilter())
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("aio_pika").setLevel("WARNING")
    logging.getLogger("aiormq").setLevel("WARNING")
