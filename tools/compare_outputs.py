"""Compare two output folders of ``mgi run``: every table and every intermediate.

    python tools/compare_outputs.py OUT_BEFORE OUT_AFTER [--ignore FILE:KEY.PATH ...]

Used to prove that a change of code layout leaves the outputs unchanged. The
only value allowed to differ is the configuration hash (it covers the
package's own source files, so any code move changes it); it is masked in the
intermediates' payloads, in the Parquet metadata and in the ``config_hash``
column. Everything else must be equal: the JSON payloads value for value, the
Parquet tables row for row, column for column, with the same Arrow schema.
A table is its folder (``OUT/<table>/part-*.parquet``): the parts' names carry
the config hash, so a table's rows are compared over all its parts, in a
canonical order, and the dataset ledger (``work/tables.json``, which lists the
part names) is left out.
Files whose bytes are identical are counted as such. Exit status 1 on any
difference, with the first differences listed.

``--ignore layout.json:payload.metadata`` drops one key of every intermediate
of that name before comparing (for a deliberate change of an intermediate's
shape, named in the commit that makes it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pyarrow.parquet as pq

MASK = "<config-hash>"


def _manifest_hash(out: Path) -> str:
    manifest = out / "work" / "manifest.json"
    if not manifest.exists():
        return ""
    data = json.loads(manifest.read_text())
    payload = data.get("payload", data)
    return str(payload.get("config_hash", ""))


def _mask(value, secret: str):
    if isinstance(value, dict):
        return {k: _mask(v, secret) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v, secret) for v in value]
    if isinstance(value, str) and secret and secret in value:
        return value.replace(secret, MASK)
    return value


IGNORED: list[tuple[str, list[str]]] = []


def _drop(data, keys: list[str]):
    if isinstance(data, dict) and keys:
        if len(keys) == 1:
            return {k: v for k, v in data.items() if k != keys[0]}
        return {k: (_drop(v, keys[1:]) if k == keys[0] else v) for k, v in data.items()}
    return data


def _json_view(path: Path, secret: str):
    data = json.loads(path.read_text())
    for name, keys in IGNORED:
        if path.name == name:
            data = _drop(data, keys)
    if isinstance(data, dict) and "payload" in data and "sha256" in data:
        # The wrapper's checksum covers the payload, hash included.
        data = {k: v for k, v in data.items() if k != "sha256"}
    return _mask(data, secret)


def _parquet_view(path: Path, secret: str):
    table = pq.read_table(path)
    meta = {k.decode(): v.decode() for k, v in (table.schema.metadata or {}).items()}
    schema = table.schema.remove_metadata()
    return str(schema), _mask(meta, secret), _mask(table.to_pylist(), secret)


LEDGER = Path("work") / "tables.json"


def _is_part(rel: Path) -> bool:
    return rel.suffix == ".parquet" and len(rel.parts) == 2 and rel.parts[0] != "work"


def _table_view(out: Path, table: str, secret: str):
    parts = sorted((out / table).glob("*.parquet"))
    schemas, rows = set(), []
    for part in parts:
        schema, _meta, part_rows = _parquet_view(part, secret)
        schemas.add(schema)
        rows.extend(part_rows)
    return sorted(schemas), sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, default=str))


def _compare_tables(before: Path, after: Path, secrets: tuple[str, str], files: tuple[set, set]) -> list[str]:
    tables = sorted({rel.parts[0] for rel in files[0] | files[1] if _is_part(rel)})
    problems = []
    for table in tables:
        if _table_view(before, table, secrets[0]) != _table_view(after, table, secrets[1]):
            problems.append(f"differs: table {table}")
    print(f"{len(tables)} tables compared over their parts: {len(problems)} problems")
    return problems


def compare(before: Path, after: Path) -> list[str]:
    secrets = (_manifest_hash(before), _manifest_hash(after))
    every = [{p.relative_to(out) for p in out.rglob("*") if p.is_file()} for out in (before, after)]
    problems = _compare_tables(before, after, secrets, (every[0], every[1]))
    files_a = {rel for rel in every[0] if not _is_part(rel) and rel != LEDGER}
    files_b = {rel for rel in every[1] if not _is_part(rel) and rel != LEDGER}
    problems += [f"only in {before}: {p}" for p in sorted(files_a - files_b)]
    problems += [f"only in {after}: {p}" for p in sorted(files_b - files_a)]
    identical = same = 0
    for rel in sorted(files_a & files_b):
        a, b = before / rel, after / rel
        if a.read_bytes() == b.read_bytes():
            identical += 1
            continue
        if rel.suffix == ".json":
            equal = _json_view(a, secrets[0]) == _json_view(b, secrets[1])
        elif rel.suffix == ".parquet":
            equal = _parquet_view(a, secrets[0]) == _parquet_view(b, secrets[1])
        else:
            equal = False
        if equal:
            same += 1
        else:
            problems.append(f"differs: {rel}")
    print(f"{len(files_a & files_b)} files compared: {identical} byte-identical, "
          f"{same} equal once the config hash is masked, {len(problems)} problems")
    return problems


def main(argv: list[str]) -> int:
    while "--ignore" in argv:
        i = argv.index("--ignore")
        name, _, keys = argv[i + 1].partition(":")
        IGNORED.append((name, keys.split(".")))
        del argv[i : i + 2]
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip())
        return 2
    problems = compare(Path(argv[0]), Path(argv[1]))
    for line in problems[:40]:
        print("  " + line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
