"""Rows to Arrow without pyarrow's Python-sequence converter.

``pa.Table.from_pylist`` asks pyarrow's pandas shim whether each column is
"array-like", which imports pandas: ~0.3 s of CPU in every ``mgi run``, for a
library the writer never uses. ``table_from_rows`` builds the same arrays
from their buffers (validity bitmap, offsets, values) for the column types
of ``pipeline.store.tables`` (int32, double, bool, string, and lists of
double / string), checking each value's Python type; it returns None when a
value is anything else (or out of range): each builder returns None, and
the caller then converts with ``from_pylist``, which gives pyarrow's own
result or error. The tables are
equal (``Table.equals``), so the Parquet files are too.
"""

from __future__ import annotations

from array import array
from typing import Any

import pyarrow as pa

_INT32 = (-(2**31), 2**31 - 1)
_EXACT = 2**53  # ints a double holds exactly (pyarrow refuses the others)


def _validity(values: list) -> tuple[pa.Buffer | None, int]:
    nulls = values.count(None)
    if not nulls:
        return None, 0
    bits = bytearray((len(values) + 7) // 8)
    for i, v in enumerate(values):
        if v is not None:
            bits[i >> 3] |= 1 << (i & 7)
    return pa.py_buffer(bytes(bits)), nulls


def _ints(values: list) -> pa.Array | None:
    lo, hi = _INT32
    for v in values:
        if v is not None and (type(v) is not int or not lo <= v <= hi):
            return None
    valid, nulls = _validity(values)
    data = array("i", [0 if v is None else v for v in values])
    if data.itemsize != 4:
        return None
    return pa.Array.from_buffers(pa.int32(), len(values), [valid, pa.py_buffer(data.tobytes())], null_count=nulls)


def _doubles(values: list) -> pa.Array | None:
    out = []
    for v in values:
        if v is None or type(v) is float:
            out.append(0.0 if v is None else v)
        elif type(v) is int and -_EXACT <= v <= _EXACT:
            out.append(float(v))
        else:
            return None
    valid, nulls = _validity(values)
    return pa.Array.from_buffers(pa.float64(), len(values), [valid, pa.py_buffer(array("d", out).tobytes())],
                                 null_count=nulls)


def _bools(values: list) -> pa.Array | None:
    bits = bytearray((len(values) + 7) // 8)
    for i, v in enumerate(values):
        if v is True:
            bits[i >> 3] |= 1 << (i & 7)
        elif v is not None and v is not False:
            return None
    valid, nulls = _validity(values)
    return pa.Array.from_buffers(pa.bool_(), len(values), [valid, pa.py_buffer(bytes(bits))], null_count=nulls)


def _strings(values: list) -> pa.Array | None:
    offsets = array("i", [0])
    if offsets.itemsize != 4:
        return None
    chunks = []
    end = 0
    for v in values:
        if v is not None:
            if type(v) is not str:
                return None
            try:
                b = v.encode("utf-8")
            except UnicodeEncodeError:  # a lone surrogate: pyarrow's error
                return None
            chunks.append(b)
            end += len(b)
            if end > _INT32[1]:  # more than a string array holds: pyarrow's own handling
                return None
        offsets.append(end)
    valid, nulls = _validity(values)
    return pa.Array.from_buffers(pa.string(), len(values), [valid, pa.py_buffer(offsets.tobytes()),
                                                           pa.py_buffer(b"".join(chunks))], null_count=nulls)


def _lists(values: list, kind: pa.DataType) -> pa.Array | None:
    offsets = array("i", [0])
    flat: list = []
    for v in values:
        if v is not None:
            if type(v) not in (list, tuple):
                return None
            flat.extend(v)
            if len(flat) > _INT32[1]:
                return None
        offsets.append(len(flat))
    child = _array(flat, kind.value_type)
    if child is None:
        return None
    valid, nulls = _validity(values)
    return pa.Array.from_buffers(kind, len(values), [valid, pa.py_buffer(offsets.tobytes())],
                                 null_count=nulls, children=[child])


def _array(values: list, kind: pa.DataType) -> pa.Array | None:
    """The column as Arrow, or None when a value is left to pyarrow."""
    if kind == pa.int32():
        return _ints(values)
    if kind == pa.float64():
        return _doubles(values)
    if kind == pa.bool_():
        return _bools(values)
    if kind == pa.string():
        return _strings(values)
    if pa.types.is_list(kind) and kind.value_type in (pa.float64(), pa.string()):
        return _lists(values, kind)
    return None


def table_from_rows(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table | None:
    """``pa.Table.from_pylist(rows, schema=schema)`` built from buffers (a
    missing key is a null, as there); None when a value needs pyarrow's
    converter (another type, out of range)."""
    arrays = []
    for name in schema.names:
        arr = _array([row.get(name) for row in rows], schema.field(name).type)
        if arr is None:
            return None
        arrays.append(arr)
    return pa.Table.from_arrays(arrays, schema=schema)
