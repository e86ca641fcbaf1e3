"""Which service serves which path, and which paths need no token."""
from __future__ import annotations

# Longest prefix wins; order is irrelevant.
PREFIXES: dict[str, str] = {
    "/api/v1/captcha": "identity",
    "/api/v1/regions": "identity",
    "/api/v1/enterprises": "identity",
    "/api/v1/auth": "identity",
    "/api/v1/me": "identity",
    "/api/v1/officials": "identity",
    "/api/v1/audit": "identity",
    "/api/v1/api-keys": "identity",
    "/api/v1/filing": "filing",
    "/api/v1/filings": "filing",
    "/api/v1/public/filings": "filing",
    "/api/v1/catalog": "catalog",
    "/api/v1/transactions": "transactions",
    "/api/v1/vehicles": "transactions",
    "/api/v1/reports": "reports",
    "/api/v1/statistics": "reports",
    "/api/v1/media-sync": "media-sync",
    "/api/v1/police": "media-sync",
    "/api/v1/agency-keys": "media-sync",
    "/stub/police": "media-sync",
    "/api/v1/notices": "portal",
    "/api/v1/notifications": "portal",
}

PUBLIC: set[tuple[str, str]] = {
    ("GET", "/api/v1/captcha"),
    ("GET", "/api/v1/regions"),
    ("POST", "/api/v1/enterprises"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/password-reset"),
    ("POST", "/api/v1/auth/password-reset/confirm"),
    ("GET", "/api/v1/police/keys"),
}

STUB_PREFIXES = ("/stub/",)  # forwarded only with AUTOCIRC_POLICE_STUB_PUBLIC=true (tests)
# the police stub stands in for another agency and checks its own token; /api/v1/public/ is for anyone
# (the public filing check), rate-limited per client
PUBLIC_PREFIXES = (*STUB_PREFIXES, "/api/v1/public/")
# Another agency's key, not a user's token: media-sync checks it itself (anything else there is 401).
AGENCY_KEY_PREFIXES = ("/api/v1/police/enterprises/",)


def _longest_prefix(path: str) -> tuple[str, str] | None:
    best = None
    for prefix, service in PREFIXES.items():
        if (path == prefix or path.startswith(prefix + "/")) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, service)
    return best


def service_for(path: str) -> str | None:
    best = _longest_prefix(path)
    return best[1] if best else None


def route_prefix(path: str) -> str | None:
    """The routing prefix a path falls under (``/api/v1/transactions/…`` → ``/api/v1/transactions``): the
    gateway's span name, of low cardinality unlike the path."""
    best = _longest_prefix(path)
    return best[0] if best else None


def is_public(method: str, path: str) -> bool:
    path = path.rstrip("/") or "/"
    return ((method, path) in PUBLIC or path.startswith(PUBLIC_PREFIXES) or path.startswith(AGENCY_KEY_PREFIXES)
            or (method == "OPTIONS")
            or (method in ("GET", "HEAD") and (path == "/api/v1/notices" or path.startswith("/api/v1/notices/"))))
