"""Records to pyarrow tables: one column list per warehouse table.

Every bulk write builds a table here with an explicit schema (so an empty batch or an
all-NULL column still has the right type) and inserts it with ``INSERT ... SELECT``.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from enum import Enum
from typing import Any

import pyarrow as pa

TS = pa.timestamp("us", tz="UTC")
STR = pa.string()
INT = pa.int32()
FLOAT = pa.float64()
DATE = pa.date32()


def utc(value: datetime | None) -> datetime | None:
    """An instant in UTC; a naive datetime is taken to be UTC already."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def plain(value: Any) -> Any:
    """Enum members become their stored value; datetimes become UTC."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return utc(value)
    return value


def table(schema: pa.Schema, rows: Iterable[Sequence[Any]]) -> pa.Table:
    """Build a table of `schema` from row tuples (in schema order)."""
    rows = list(rows)
    if any(len(row) != len(schema) for row in rows):
        raise ValueError(f"rows of {len(schema)} values expected ({', '.join(schema.names)})")
    columns: list[Sequence[Any]] = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    columns = [[plain(v) for v in values] if any(isinstance(v, (Enum, datetime)) for v in values) else values
               for values in columns]
    return pa.Table.from_arrays(
        [pa.array(values, type=field.type) for values, field in zip(columns, schema, strict=True)],
        schema=schema,
    )


def schema(*fields: tuple[str, pa.DataType]) -> pa.Schema:
    return pa.schema([pa.field(name, kind) for name, kind in fields])


def ids(values: Iterable[str], name: str = "id") -> pa.Table:
    """A one-column table of ids (for joins and IN lists)."""
    return pa.table({name: pa.array(sorted(set(values)), type=STR)})
