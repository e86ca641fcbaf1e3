"""The audit trail: who did which security-relevant act, to what, when (ASVS V7, PIPL art. 51).

Each service has an append-only ``audit_log`` table (its migration calls :func:`create_audit_table`, which also
installs triggers refusing UPDATE and DELETE on both databases). :func:`record_audit` writes the row inside the
act's own unit of work, so the act and its record commit or fail together, and emits ``audit.recorded.v1`` through
the same outbox; identity keeps every service's entries in one ``audit_feed`` (same columns) and answers
``GET /api/v1/audit``. Details are masked before they are stored (no raw ID numbers or mobiles).

To audit a new act: pick an action code, add it with its Chinese label to :data:`ACTIONS`, and call
``record_audit(uow, principal, "apikey.issue", subject=f"apikey:{key.id}", region_code=..., details={...})``.
"""
from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, DateTime, Index, Integer, MetaData, String, Table, insert, text

from .auth.tokens import Principal
from .context import request_id_var
from .events.audit import AuditRecorded
from .masking import mask_personal
from .messaging.tables import AlembicOps
from .messaging.unit_of_work import UnitOfWork

# Stable action codes and what the audit page calls them. Other services add theirs here.
ACTIONS: dict[str, str] = {
    "password.reset": "重置企业密码",
    "password.change": "修改密码",
    "password.self_reset": "通过验证码找回密码",
    "official.create": "新增主管部门用户",
    "review_right.grant": "授予审核权限",
    "review_right.revoke": "撤销审核权限",
    "filing.confirm": "备案确认",
    "filing.reject": "备案退回",
    "filing.revoke": "备案撤销",
    "transactions.export": "导出交易记录",
    "statistics.export": "导出统计数据",
}

audit_metadata = MetaData()


def audit_columns() -> list[Column[Any]]:
    return [
        Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
        Column("entry_id", String(36), nullable=False, unique=True),
        Column("service", String(32), nullable=False),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("actor_id", String(36)),
        Column("actor_name", String(64)),
        Column("actor_kind", String(16)),
        Column("action", String(64), nullable=False),
        Column("subject", String(120)),
        Column("region_code", String(6)),
        Column("details", JSON, nullable=False),
        Column("request_id", String(64)),
    ]


def audit_table(name: str, metadata: MetaData = audit_metadata) -> Table:
    return Table(name, metadata, *audit_columns(), Index(f"ix_{name}_at", "at"),
                 Index(f"ix_{name}_region_at", "region_code", "at"))


audit_log = audit_table("audit_log")

_PG_GUARD = """
CREATE OR REPLACE FUNCTION {name}_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION '{name} is append-only'; END $$ LANGUAGE plpgsql;
CREATE TRIGGER {name}_append_only BEFORE UPDATE OR DELETE ON {name}
FOR EACH ROW EXECUTE FUNCTION {name}_append_only();
"""


def create_audit_table(op: AlembicOps, name: str = "audit_log") -> None:
    """Call from the service's Alembic migration: the table, its indexes, and the append-only guard."""
    table = audit_table(name, MetaData())
    op.create_table(name, *[c._copy() for c in table.columns])
    op.create_index(f"ix_{name}_at", name, ["at"])
    op.create_index(f"ix_{name}_region_at", name, ["region_code", "at"])
    if op.get_bind().dialect.name == "postgresql":
        for statement in _PG_GUARD.format(name=name).split(";\n"):
            if statement.strip():
                op.execute(text(statement))
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(text(f"CREATE TRIGGER {name}_no_{verb.lower()} BEFORE {verb} ON {name} "
                            f"BEGIN SELECT RAISE(ABORT, '{name} is append-only'); END"))


def drop_audit_table(op: AlembicOps, name: str = "audit_log") -> None:
    op.drop_table(name)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(text(f"DROP FUNCTION IF EXISTS {name}_append_only()"))


async def record_audit(uow: UnitOfWork, actor: Principal | None, action: str, subject: str | None,
                       region_code: str | None, details: dict[str, Any] | None = None) -> AuditRecorded:
    """Append one entry to this service's audit log in ``uow``'s transaction and announce it (same outbox)."""
    entry = AuditRecorded(
        entry_id=str(uuid.uuid4()), service=uow.producer, at=datetime.now(UTC),
        actor_id=actor.account_id if actor else None, actor_name=actor.username if actor else None,
        actor_kind=actor.kind if actor else None, action=action, subject=subject, region_code=region_code,
        details=mask_personal(details or {}), request_id=request_id_var.get())
    row = {**entry.model_dump(), "details": entry.model_dump(mode="json")["details"]}
    await uow.session.execute(insert(audit_log).values(**row))
    uow.emit(entry)
    return entry
