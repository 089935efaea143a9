"""Operational alerts: one JSON line in the alert log, always; a webhook POST when configured.

The log is the record an operator can grep and a monitor can tail; the webhook is a convenience
(Slack, Mattermost and Teams-style receivers read its ``text`` field). Nothing that could carry a
credential reaches either: URLs lose their userinfo, query string and fragment, bearer tokens are
masked, and the webhook's own address (which often holds its token) is never written anywhere.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

from drugtrends.settings import Settings

WEBHOOK_TIMEOUT_SECONDS = 5.0

_URL = re.compile(
    r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)(?:[^\s/?#@]*@)?(?P<rest>[^\s?#]*)"
    r"(?:\?[^\s#]*)?(?:#\S*)?"
)
_SECRET = re.compile(
    r"(?i)\b(bearer\s+|(?:access_|api_?)?(?:token|key)\s*[=:]\s*"
    r"|password\s*[=:]\s*)[^\s'\"(),;]+"
)

log = logging.getLogger(__name__)


def redact(text: str) -> str:
    """``text`` with every URL cut to scheme, host and path, and bearer tokens masked."""
    text = _URL.sub(lambda m: m["scheme"] + m["rest"], text)
    return _SECRET.sub(lambda m: f"{m[1]}***", text)


def first_line(text: str) -> str:
    return next((line.strip() for line in text.strip().splitlines() if line.strip()), "")


def raise_alert(
    settings: Settings,
    *,
    job: str,
    run_id: str,
    partition: str | None,
    message: str,
    logger: logging.Logger | Any = None,
) -> dict[str, Any]:
    """Append the alert to ``settings.alert_log``; POST it to the webhook if one is set.

    Returns the record written. A webhook that is down is logged, never raised: the alert log
    line is already written, and a failing alert must not hide the failure it reports.
    """
    logger = logger or log
    record = {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "job": job,
        "run_id": run_id,
        "partition": partition,
        "message": redact(first_line(message)) or "run failed",
    }
    settings.alert_log.parent.mkdir(parents=True, exist_ok=True)
    with settings.alert_log.open("a", encoding="utf-8") as f:
        f.write(json.dumps(record, ensure_ascii=False) + "\n")
    if settings.alert_webhook:
        _post(settings.alert_webhook, record, logger)
    return record


def _post(url: str, record: dict[str, Any], logger: logging.Logger | Any) -> None:
    import httpx  # slow to import: only when a remote source or webhook is used

    where = f" [{record['partition']}]" if record["partition"] else ""
    body = {**record, "text": f"drugtrends: {record['job']}{where} failed: {record['message']}"}
    try:
        httpx.post(url, json=body, timeout=WEBHOOK_TIMEOUT_SECONDS).raise_for_status()
    except httpx.HTTPStatusError as exc:
        logger.warning(f"alert webhook {redact(url)} answered HTTP {exc.response.status_code}")
    except httpx.HTTPError as exc:
        logger.warning(f"alert webhook {redact(url)} unreachable ({type(exc).__name__})")
