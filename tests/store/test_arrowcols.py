"""Rows to Arrow from buffers: the same tables as pyarrow's from_pylist, no pandas."""

from __future__ import annotations

import io
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.store.arrowcols import table_from_rows
from pipeline.store.tables import SCHEMAS

SCHEMA = pa.schema([
    pa.field("i", pa.int32(), nullable=False),
    pa.field("n", pa.int32()),
    pa.field("f", pa.float64()),
    pa.field("b", pa.bool_()),
    pa.field("s", pa.string()),
    pa.field("lf", pa.list_(pa.float64())),
    pa.field("ls", pa.list_(pa.string())),
], metadata={b"k": b"v"})

ROWS = [
    {"i": 1, "n": None, "f": 1.5, "b": True, "s": "é\u00e0 \U0001f600", "lf": [1.0, 2.5], "ls": ["a", None, ""]},
    {"i": -(2**31), "n": 2**31 - 1, "f": float("nan"), "b": False, "s": None, "lf": None, "ls": []},
    {"i": 0, "n": 7, "f": -0.0, "b": None, "s": "", "lf": (3.0,), "ls": ("x",)},
    {"i": 5, "f": 3, "s": "missing keys are nulls"},
] + [{"i": k, "n": k if k % 3 else None, "f": k / 7, "b": k % 2 == 0, "s": str(k), "lf": [k], "ls": [str(k)] * (k % 3)}
     for k in range(20)]


def _parquet(tbl: pa.Table) -> bytes:
    buf = io.BytesIO()
    pq.write_table(tbl, buf, compression="zstd")
    return buf.getvalue()


def _same(rows, schema):
    fast = table_from_rows(rows, schema)
    slow = pa.Table.from_pylist(rows, schema=schema)
    assert fast is not None
    assert fast.schema.equals(slow.schema, check_metadata=True)
    for name in schema.names:  # (a NaN is never equal to itself: compared where it is not)
        if name != "f":
            assert fast.column(name).equals(slow.column(name)), name
    assert fast.nbytes == slow.nbytes
    assert _parquet(fast) == _parquet(slow)


def test_same_table_as_from_pylist():
    _same(ROWS, SCHEMA)


def test_empty_and_all_null():
    _same([], SCHEMA)
    _same([{"i": 1}, {"i": 2}], SCHEMA)


@pytest.mark.parametrize("row", [
    {"i": 2**31},  # out of int32: pyarrow's error, not ours
    {"i": True},  # a bool is not an int here
    {"i": 1, "f": 2**60},  # an int a double does not hold exactly
    {"i": 1, "f": "1.5"},
    {"i": 1, "b": 1},
    {"i": 1, "s": b"bytes"},
    {"i": 1, "s": "\ud800"},  # a lone surrogate
    {"i": 1, "lf": "ab"},
    {"i": 1, "ls": [1]},
])
def test_other_values_are_left_to_pyarrow(row):
    assert table_from_rows([row], SCHEMA) is None


def test_every_declared_table_type_is_handled():
    for table, schema in SCHEMAS.items():
        assert table_from_rows([], schema) is not None, table


def test_no_pandas_import():
    code = (
        "import sys, pyarrow as pa\n"
        "from pipeline.store.arrowcols import table_from_rows\n"
        "t = table_from_rows([{'a': 'x', 'b': 1}], pa.schema([('a', pa.string()), ('b', pa.int32())]))\n"
        "assert t is not None and t.num_rows == 1\n"
        "print('pandas' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
