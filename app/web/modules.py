"""The static import graph of a page's ES modules, for its `<link rel="modulepreload">` list.

Without a bundler the browser finds a module's imports only once it has the module, one
floor of the graph per round trip; with every module of the graph listed in the page's head
it asks for all of them at once. The list is read from the modules themselves, so it cannot
go stale: a new `import … from "./x.js"` is preloaded the next time the server starts.

Followed: `import … from "…"`, `import "…"` and `export … from "…"` with a relative
specifier. Not followed: `import(…)` (loaded when needed, e.g. KaTeX with the equations),
`new Worker(…)` (a worker has its own module map) and anything inside a comment or a string.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

# After these a "/" starts a regular expression, not a division.
_KEYWORDS_BEFORE_REGEX = frozenset(
    "return typeof instanceof in of new delete void throw case do else yield await".split()
)
_SKIP = re.compile(r"(?:\s+|//[^\n]*|/\*.*?(?:\*/|\Z))+", re.S)
_STRING = re.compile(r"""'(?:[^'\\\n]|\\.)*'?|"(?:[^"\\\n]|\\.)*"?""", re.S)
# The rest of a template literal from inside it: up to its closing "`" or its next "${".
_TEMPLATE_REST = re.compile(r"(?:[^`\\$]|\\.|\$(?!\{))*(?:`|\$\{|\Z)", re.S)
_REGEX = re.compile(r"/(?:[^/\\\[\n]|\\.|\[(?:[^\]\\\n]|\\.)*\]?)*/?[\w$]*")
_NUMBER = re.compile(r"\.?\d[\w.]*")
_NAME = re.compile(r"[\w$\u0080-\U0010ffff]+")


def tokens(source: str) -> Iterator[tuple[str, str]]:
    """JavaScript's tokens as (kind, text): kind is "name", "string" (text without its
    quotes), "number", "punct" (one character), "template" or "regex"; comments and
    whitespace are dropped. Enough of the grammar to find import declarations, no more."""
    i, n = 0, len(source)
    braces: list[bool] = []  # per open "{": True when it is a template's "${"
    previous: tuple[str, str] | None = None
    while True:
        skipped = _SKIP.match(source, i)
        if skipped:
            i = skipped.end()
        if i >= n:
            return
        c = source[i]
        if c in "'\"":
            end = _match(_STRING, source, i)
            token = ("string", source[i + 1 : end - 1])
        elif c == "`" or (c == "}" and braces and braces[-1]):
            if c == "}":
                braces.pop()
            end = _match(_TEMPLATE_REST, source, i + 1)
            if source.endswith("${", 0, end):
                braces.append(True)
            token = ("template", source[i:end])
        elif c == "/" and (
            previous is None
            or (previous[0] == "punct" and previous[1] not in ")]}")
            or (previous[0] == "name" and previous[1] in _KEYWORDS_BEFORE_REGEX)
        ):
            end = _match(_REGEX, source, i)
            token = ("regex", source[i:end])
        elif _NUMBER.match(source, i):
            end = _match(_NUMBER, source, i)
            token = ("number", source[i:end])
        elif _NAME.match(source, i):
            end = _match(_NAME, source, i)
            token = ("name", source[i:end])
        else:
            if c == "{":
                braces.append(False)
            elif c == "}" and braces:
                braces.pop()
            end = i + 1
            token = ("punct", c)
        i = end
        previous = token
        yield token


def _match(pattern: re.Pattern[str], source: str, at: int) -> int:
    m = pattern.match(source, at)
    return m.end() if m else at + 1


def static_imports(source: str) -> list[str]:
    """The specifiers of a module's static imports and re-exports, in source order."""
    found: list[str] = []
    toks = list(tokens(source))
    for k, (kind, text) in enumerate(toks):
        if kind != "name" or text not in ("import", "export"):
            continue
        if k and toks[k - 1] == ("punct", "."):  # a property: obj.import
            continue
        rest = toks[k + 1 :]
        if not rest:
            continue
        if text == "import":
            if rest[0][0] == "string":  # import "./x.js";
                found.append(rest[0][1])
                continue
            if rest[0] in (("punct", "("), ("punct", ".")):  # import(…), import.meta
                continue
            # import a, {b as c} from "./x.js" / import * as m from "./x.js": the clause
            # holds names and punctuation only, so its first string is the specifier.
            for j, tok in enumerate(rest):
                if tok[0] == "string":
                    if j and rest[j - 1] == ("name", "from"):
                        found.append(tok[1])
                    break
                if tok[0] not in ("name", "punct") or tok == ("punct", ";"):
                    break
        else:
            # export * from "./x.js" / export * as m from … / export {a, b as c} from …;
            # any other export (a declaration, a local list) has no "from".
            j = 0
            if rest[0] == ("punct", "*"):
                j = 1
                if j < len(rest) and rest[j] == ("name", "as"):
                    j += 2
            elif rest[0] == ("punct", "{"):
                while j < len(rest) and rest[j] != ("punct", "}"):
                    j += 1
                j += 1
            else:
                continue
            if j + 1 < len(rest) and rest[j] == ("name", "from") and rest[j + 1][0] == "string":
                found.append(rest[j + 1][1])
    return found


def module_graph(static_dir: Path, entry: str) -> list[str]:
    """Every module the entry needs before it runs: the transitive closure of its static
    imports, as paths under static_dir ("js/app.js"), entry first, then floor by floor.
    Bare and absolute specifiers are not followed (the page has no import map); an import
    of a missing file is left for the browser to report."""
    order = [entry]
    seen = {entry}
    for path in order:  # grows while it is walked: breadth first
        file = static_dir / path
        if not file.is_file():
            continue
        for specifier in static_imports(file.read_text(encoding="utf-8")):
            if not specifier.startswith(("./", "../")):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), specifier))
            if target.startswith("../") or target in seen:
                continue
            seen.add(target)
            order.append(target)
    return order


@cache
def preloads(static_dir: Path, entry: str) -> tuple[str, ...]:
    """module_graph, read once per process (the files do not change under a running server)."""
    return tuple(module_graph(static_dir, entry))
