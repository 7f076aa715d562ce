"""The request models' field tables in docs/api.md, written from the OpenAPI document.

    python -m scripts.request_tables          # rewrite the block in docs/api.md
    python -m scripts.request_tables --check  # exit 1 if the block is not what it would write

Each model a request body reaches gets a "### `Model`" table: field, type, default, limit
and meaning (its description), with the limits as the default settings enforce them
(install_openapi writes them into the schemas). tests/api/test_api_docs.py runs --check.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parents[1] / "docs" / "api.md"
BEGIN = "<!-- request tables: scripts/request_tables.py writes them from the OpenAPI -->"
END = "<!-- end of the request tables -->"
REF = "#/components/schemas/"


def refs(node: Any) -> list[str]:
    """The component schemas a piece of the document names, in the order met."""
    if isinstance(node, dict):
        found = [node["$ref"].removeprefix(REF)] if isinstance(node.get("$ref"), str) else []
        return found + [r for k, v in node.items() if k != "$ref" for r in refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in refs(v)]
    return []


def reachable(doc: dict[str, Any], part: str) -> list[str]:
    """Every schema the operations' `part` ("requestBody" or "responses") reaches, directly
    or through other schemas, in the order first met."""
    todo = [
        name
        for operations in doc["paths"].values()
        for operation in operations.values()
        for name in refs(operation.get(part, {}))
    ]
    found: list[str] = []
    schemas = doc["components"]["schemas"]
    while todo:
        name = todo.pop(0)
        if name not in found:
            found.append(name)
            todo.extend(refs(schemas[name]))
    return found


def request_models(doc: dict[str, Any]) -> list[str]:
    """Every object schema a request body reaches (the ones with a field table)."""
    schemas = doc["components"]["schemas"]
    return [n for n in reachable(doc, "requestBody") if "properties" in schemas[n]]


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return f"`{schema['$ref'].removeprefix(REF)}`"
    if "anyOf" in schema:
        kinds = [s for s in schema["anyOf"] if s.get("type") != "null"]
        text = " or ".join(_type(s) for s in kinds)
        return f"{text}, or null" if len(kinds) < len(schema["anyOf"]) else text
    if "enum" in schema:
        return " \\| ".join(f'`"{v}"`' if isinstance(v, str) else f"`{v}`" for v in schema["enum"])
    kind = schema.get("type")
    if kind == "array":
        inner = _type(schema.get("items", {}))
        return f"array of {inner}"
    if kind == "object":
        return "object"
    return {"integer": "integer", "number": "number", "boolean": "boolean", "string": "string"}.get(
        kind or "", "any"
    )


def _number(v: Any) -> str:
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        v = int(v)
    return f"{v:g}" if isinstance(v, float) else str(v)


def _limit(schema: dict[str, Any]) -> str:
    """The bounds on the value (and, for arrays, the lengths), at each level of nesting."""
    parts: list[str] = []
    level = schema
    depth = 0
    while level:
        if "anyOf" in level:
            level = next((s for s in level["anyOf"] if s.get("type") != "null"), {})
            continue
        prefix = "" if depth == 0 else "each " * depth
        lo = [f"> {_number(level['exclusiveMinimum'])}"] if "exclusiveMinimum" in level else []
        lo += [f"≥ {_number(level['minimum'])}"] if "minimum" in level else []
        hi = [f"< {_number(level['exclusiveMaximum'])}"] if "exclusiveMaximum" in level else []
        hi += [f"≤ {_number(level['maximum'])}"] if "maximum" in level else []
        if lo or hi:
            parts.append(prefix + ", ".join(lo + hi))
        if "minItems" in level or "maxItems" in level:
            lo_n, hi_n = level.get("minItems"), level.get("maxItems")
            count = (
                f"{lo_n} … {hi_n} items"
                if lo_n is not None and hi_n is not None
                else f"≥ {lo_n} items"
                if lo_n is not None
                else f"≤ {hi_n} items"
            )
            parts.append(prefix + count)
        if "maxProperties" in level:
            parts.append(prefix + f"≤ {level['maxProperties']} entries")
        if "pattern" in level:
            parts.append(prefix + f"matches `{level['pattern']}`")
        if level.get("type") != "array":
            break
        level = level.get("items", {})
        depth += 1
    return "; ".join(parts) or "—"


def _default(name: str, schema: dict[str, Any], required: set[str]) -> str:
    if name in required:
        return "required"
    if "default" not in schema:
        return "—"
    v = schema["default"]
    if v is None:
        return "null"
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, str):
        return f'`"{v}"`'
    return _number(v)


def table(name: str, schema: dict[str, Any]) -> str:
    required = set(schema.get("required", []))
    rows = ["| field | type | default | limit | meaning |", "|---|---|---|---|---|"]
    for field, prop in schema["properties"].items():
        meaning = " ".join(prop.get("description", "").split()).replace("|", "\\|")
        rows.append(
            f"| `{field}` | {_type(prop)} | {_default(field, prop, required)} | "
            f"{_limit(prop)} | {meaning} |"
        )
    return f"### `{name}`\n\n" + "\n".join(rows) + "\n"


def block(doc: dict[str, Any]) -> str:
    schemas = doc["components"]["schemas"]
    tables = "\n".join(table(n, schemas[n]) for n in request_models(doc))
    return f"{BEGIN}\n\n{tables}\n{END}"


def written(text: str, doc: dict[str, Any]) -> str:
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + block(doc) + text[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    from app.main import create_app  # the default settings' limits
    from app.settings import Settings

    doc = create_app(Settings()).openapi()
    text = DOCS.read_text(encoding="utf-8")
    new = written(text, doc)
    if args.check:
        if new != text:
            print("docs/api.md's request tables are stale: python -m scripts.request_tables")
            return 1
        return 0
    DOCS.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
