"""Credentials never leave in a URL: what is printed, logged or stored loses the userinfo.

A ``base_url`` may carry a user and password (``http://user:pw@proxy/``), and a URL reaches
error lines, warnings, the runs table (``--base-url``) and ``vocmine status``. Every such place
passes the URL, or the text that holds it, through :func:`strip_credentials` or :func:`scrub`.

Example:
    >>> strip_credentials("http://user:s3cret@127.0.0.1:8080/x?q=1")
    'http://***@127.0.0.1:8080/x?q=1'
    >>> scrub("failed (https://me:pw@host/a); retry")
    'failed (https://***@host/a); retry'
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

# scheme://userinfo@ : userinfo runs to the last "@" before the path (a password may hold one).
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/?#\s]*@")
HIDDEN = "***"


def strip_credentials(url: str) -> str:
    """``url`` with its userinfo (user, password, token) replaced by ``***``."""
    return scrub(url)


def split_credentials(url: str) -> tuple[str, tuple[str, str] | None]:
    """(``url`` without userinfo, (user, password) or None) - for sending them as a header.

    Example:
        >>> split_credentials("http://ann:pw@host:81/a")
        ('http://host:81/a', ('ann', 'pw'))
    """
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, None
    userinfo, _, host = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    bare = urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return bare, (unquote(user), unquote(password))


def scrub(text: str) -> str:
    """Every URL's userinfo in ``text`` replaced by ``***`` (the rest of the text as is)."""
    return _USERINFO.sub(rf"\1{HIDDEN}@", text)


def scrub_value(value: Any) -> Any:
    """:func:`scrub` applied to every string of a JSON-like value (for the runs table)."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {scrub_value(k): scrub_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub_value(v) for v in value]
    return value
