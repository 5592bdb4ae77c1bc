"""Drill-down: where a reader opens the record behind a quote, a spike or a theme.

- Zendesk (``type = "zendesk"`` with a ``subdomain``): ``https://SUBDOMAIN.zendesk.com/agent/tickets/ID``
  (a CSAT comment links to its ticket);
- Google Play (``type = "play"`` with one app): the review's link on Google Play;
- App Store: the review id (Apple has no public link to one review);
- files: the file and line the record was read from (``extra.location``, stored at ingest).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

_SAFE_ID = re.compile(r"^[\w.:\-]+$")


def record_link(
    sources: dict[str, dict[str, Any]],
    source: str,
    external_id: str,
    extra: str | dict[str, Any] | None,
) -> tuple[str, str | None]:
    """(label, URL or None) for one stored record.

    Example:
        >>> record_link({"zd": {"type": "zendesk", "subdomain": "acme"}}, "zd", "42", "{}")
        ('ticket 42', 'https://acme.zendesk.com/agent/tickets/42')
        >>> record_link({}, "play", "abc", '{"location": "reviews.csv:17"}')
        ('reviews.csv:17', None)
    """
    data = json.loads(extra) if isinstance(extra, str) else (extra or {})
    table = sources.get(source, {})
    kind = table.get("type")
    if kind == "zendesk" and isinstance(table.get("subdomain"), str):
        ticket = str(data.get("ticket_id") or external_id)
        if _SAFE_ID.match(ticket) and _SAFE_ID.match(table["subdomain"]):
            url = f"https://{table['subdomain']}.zendesk.com/agent/tickets/{quote(ticket)}"
            return f"ticket {ticket}", url
    if kind == "play":
        apps = table.get("apps") or []
        if len(apps) == 1 and _SAFE_ID.match(str(apps[0])) and _SAFE_ID.match(external_id):
            url = (
                "https://play.google.com/store/apps/details?"
                f"id={quote(str(apps[0]))}&reviewId={quote(external_id)}"
            )
            return f"review {external_id}", url
        return f"Google Play review {external_id}", None
    if kind == "appstore":
        return f"App Store review id {external_id}", None
    location = data.get("location")
    if isinstance(location, str) and location:
        return location, None
    return f"{source} id {external_id}", None


def link_text(label: str, url: str | None) -> str:
    """The Markdown for one record: a link when there is a URL, else the label as code."""
    from vocmine.report.format import escape_name

    if url:
        return f"[{escape_name(label)}]({url})"
    return f"`{label}`" if "`" not in label else escape_name(label)
