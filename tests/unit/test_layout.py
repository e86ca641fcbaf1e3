"""The house's layering, checked by reading the source (an import-linter style check by AST, no import runs).

Every service's ``domain/`` holds pure rules: no database, session, bus, HTTP client or blob store, no
background job, and nothing of its own service outside ``domain/`` (models, usecases, api, handlers, excel,
settings, ...): the service layer ``usecases/`` calls the domain, never the other way round.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = sorted(p for p in (ROOT / "services").glob("*/autocirc_*") if (p / "domain").is_dir())

# third-party packages that do I/O (database drivers, ORM, HTTP, broker, S3, SMTP)
FORBIDDEN_PACKAGES = {"sqlalchemy", "asyncpg", "aiosqlite", "psycopg", "psycopg2", "httpx", "aio_pika", "aiormq",
                      "boto3", "botocore", "aiobotocore", "aiosmtplib", "alembic", "fastapi", "starlette"}
# the shared library's I/O: sessions and units of work, the bus, the blob store, SQL helpers, outbound ports
FORBIDDEN_SHARED = {"autocirc_shared.db", "autocirc_shared.messaging", "autocirc_shared.blobs",
                    "autocirc_shared.upserts", "autocirc_shared.text_search", "autocirc_shared.outbound",
                    "autocirc_shared.service", "autocirc_shared.audit", "autocirc_shared.migrations",
                    "autocirc_shared.auth.freshness", "autocirc_shared.web"}
# a job is a task or a loop on the event loop; a CPU-bound call handed to a thread is not
ASYNCIO_ALLOWED = {"to_thread"}


def _domain_modules() -> list[tuple[Path, Path]]:
    return [(package, module) for package in SERVICES for module in sorted((package / "domain").rglob("*.py"))]


def _imports(module: Path, package: Path) -> list[tuple[int, list[str]]]:
    """Each import statement of ``module``: its line and the absolute dotted names it may bind."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    here = [package.name, *module.relative_to(package).with_suffix("").parts[:-1]]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, [alias.name]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[:len(here) - node.level + 1]
                if node.module:
                    base = [*base, *node.module.split(".")]
            else:
                base = (node.module or "").split(".")
            name = ".".join(base)
            found.append((node.lineno, [name, *(f"{name}.{alias.name}" for alias in node.names)]))
    return found


def _asyncio_uses(module: Path) -> list[tuple[int, str]]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    return [(node.lineno, node.attr) for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "asyncio"
            and node.attr not in ASYNCIO_ALLOWED]


def _violations(package: Path, module: Path) -> list[str]:
    own_domain = f"{package.name}.domain"
    out = []
    for line, names in _imports(module, package):
        for name in names:  # the first reason per statement is enough
            top = name.split(".")[0]
            if top in FORBIDDEN_PACKAGES:
                out.append(f"{line}: imports {name} (I/O)")
            elif any(name == s or name.startswith(s + ".") for s in FORBIDDEN_SHARED):
                out.append(f"{line}: imports {name} (I/O of the shared library)")
            elif top == package.name and name != package.name and not (name == own_domain
                                                                       or name.startswith(own_domain + ".")):
                out.append(f"{line}: imports {name} (its service outside domain/)")
            elif top.startswith("autocirc_") and top not in (package.name, "autocirc_shared"):
                out.append(f"{line}: imports {name} (another service)")
            else:
                continue
            break
    out += [f"{line}: asyncio.{attr} (a job on the event loop)" for line, attr in _asyncio_uses(module)]
    return out


def test_every_service_has_the_same_inner_layout():
    names = {p.parent.name for p in SERVICES}
    assert names == {"identity", "filing", "catalog", "transactions", "reports", "media-sync", "portal"}
    for package in SERVICES:
        missing = [d for d in ("api", "domain", "usecases", "handlers", "models", "migrations")
                   if not (package / d).is_dir()]
        assert not missing, f"{package.name} has no {missing}"


@pytest.mark.parametrize("package", SERVICES, ids=lambda p: p.name)
def test_domain_is_pure(package):
    found = {str(module.relative_to(package)): v for p, module in _domain_modules() if p == package
             if (v := _violations(package, module))}
    assert not found, "domain/ must stay pure (move the I/O to usecases/):\n" + "\n".join(
        f"  {path}:{v}" for path, vs in found.items() for v in vs)


def test_the_checker_sees_what_it_forbids(tmp_path):
    """The check itself can fail: a module with each kind of forbidden import is caught."""
    package = tmp_path / "autocirc_demo"
    (package / "domain" / "sub").mkdir(parents=True)
    module = package / "domain" / "sub" / "bad.py"
    module.write_text("import sqlalchemy.orm\nfrom autocirc_shared.messaging.unit_of_work import UnitOfWork\n"
                      "from ...models import Thing\nfrom ..rules import ok\nfrom autocirc_shared.errors import AppError\n"
                      "from autocirc_shared import blobs\nfrom autocirc_other.domain import x\n"
                      "import asyncio\nasyncio.create_task(None)\nasyncio.to_thread(print)\n", encoding="utf-8")
    got = _violations(package, module)
    assert [v.split(":")[0] for v in got] == ["1", "2", "3", "6", "7", "9"], got


def test_transactions_excel_sits_between_domain_and_usecases():
    """The arrows run one way: usecases → excel → domain (excel never reaches back into the service layer)."""
    package = next(p for p in SERVICES if p.name == "autocirc_transactions")
    back = [f"{module.name}:{line}: {name}" for module in sorted((package / "excel").glob("*.py"))
            for line, names in _imports(module, package) for name in names[:1]
            if name.startswith(("autocirc_transactions.usecases", "autocirc_transactions.api",
                                "autocirc_transactions.handlers", "autocirc_transactions.models"))]
    assert not back, back
    domain_to_excel = [f"{module.name}:{line}" for module in sorted((package / "domain").glob("*.py"))
                       for line, names in _imports(module, package) for name in names[:1]
                       if name.startswith("autocirc_transactions.excel")]
    assert not domain_to_excel, domain_to_excel



def _query_uses(module: Path) -> list[str]:
    """Where a route module builds or runs SQL itself: an import of SQLAlchemy, or a ``.session`` reached through."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    found = [f"{node.lineno}: imports {node.module}" for node in ast.walk(tree)
             if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlalchemy"]
    found += [f"{node.lineno}: import {alias.name}" for node in ast.walk(tree) if isinstance(node, ast.Import)
              for alias in node.names if alias.name.split(".")[0] == "sqlalchemy"]
    found += [f"{node.lineno}: .session" for node in ast.walk(tree)
              if isinstance(node, ast.Attribute) and node.attr == "session"]
    return found


def test_route_bodies_call_use_cases():
    """``api/`` parses, checks rights and shapes answers; the queries live in ``usecases/`` (one name everywhere)."""
    found = {f"{package.name}/{module.relative_to(package)}": uses for package in SERVICES
             for module in sorted((package / "api").rglob("*.py")) if (uses := _query_uses(module))}
    assert not found, "route modules running queries (move them to usecases/):\n" + "\n".join(
        f"  {name}:{use}" for name, uses in found.items() for use in uses)


def test_the_route_check_sees_queries(tmp_path):
    """The route check can fail: SQLAlchemy imported either way, and a session reached through, are each caught."""
    module = tmp_path / "routes.py"
    module.write_text("from sqlalchemy import select\nimport sqlalchemy.orm\n\n\nasync def f(uow):\n"
                      "    return await uow.session.scalar(select(1))\n", encoding="utf-8")
    assert [use.split(":")[0] for use in _query_uses(module)] == ["1", "2", "6"]
