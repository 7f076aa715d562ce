"""The import-graph scanner behind the pages' modulepreload lists (app/web/modules.py), on a
small tree of modules written for it: what counts as a static import and what does not."""

from __future__ import annotations

import posixpath
from pathlib import Path

from app.paths import STATIC_DIR
from app.web.modules import module_graph, static_imports, tokens

ENTRY = """\
// The entry. import x from "./commented.js" is a comment, not an import.
/* import y from "./block-commented.js";
   export * from "./also-commented.js"; */
import { a, b as c } from "./a.js";
import {
  d,
  e, // import f from "./line-comment-inside.js"
} from "./lib/d.js";
import * as ns from './ns.js';
import "./side-effect.js";
import def, { g } from "./def.js";
export { h } from "./reexport.js";
export * from "./star.js";
export * as star2 from "./star2.js";
export { a };
export const value = 1;
const text = "import z from './in-a-string.js'";
const tpl = `import w from "./in-a-template.js" ${`nested ${"./x.js"}`}`;
const ratio = value / 2; const re = /import q from "\\.\\/in-a-regex.js"/g;
const lazy = () => import("./dynamic.js");
const url = new URL("./worker.js", import.meta.url);
const worker = new Worker(url, { type: "module" });
obj.import("./not-a-module.js");
/** @param {import("./jsdoc.js").Type} t */
"""

FILES = {
    "js/entry.js": ENTRY,
    "js/a.js": 'import { d } from "./lib/d.js";\nexport const a = d;\n',
    "js/lib/d.js": 'import{c as x}from"../../vendor/v.min.mjs";export{x as d};\n',
    "vendor/v.min.mjs": 'var t=1/2,r=/"/g;export{t as c};\n',
    "js/ns.js": "export const n = 1;\n",
    "js/side-effect.js": "",
    "js/def.js": 'export default 1;\nexport const g = 2;\nimport "./a.js";\n',
    "js/reexport.js": "export const h = 1;\n",
    "js/star.js": 'export * from "./missing.js";\n',
    "js/star2.js": 'import { value } from "./entry.js"; // a cycle\n',
}


def tree(root: Path) -> Path:
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_static_imports_and_re_exports_only() -> None:
    assert static_imports(ENTRY) == [
        "./a.js",
        "./lib/d.js",
        "./ns.js",
        "./side-effect.js",
        "./def.js",
        "./reexport.js",
        "./star.js",
        "./star2.js",
    ]


def test_minified_imports_and_regex_literals() -> None:
    assert static_imports('import{a as b}from"./x.js";var r=/["`]/g;import"./y.js"') == [
        "./x.js",
        "./y.js",
    ]
    # A division is not a regex: the string after it is still seen.
    assert static_imports('var q=a/b;import"./z.js";var s=c/d') == ["./z.js"]
    kinds = " ".join(kind for kind, _ in tokens("x = /a\\/b[/]/gi; y = 4 / 2"))
    assert kinds == "name punct regex punct name punct number punct number"


def test_graph_is_the_closure_entry_first_floor_by_floor(tmp_path: Path) -> None:
    graph = module_graph(tree(tmp_path), "js/entry.js")
    assert graph == [
        "js/entry.js",
        "js/a.js",
        "js/lib/d.js",
        "js/ns.js",
        "js/side-effect.js",
        "js/def.js",
        "js/reexport.js",
        "js/star.js",
        "js/star2.js",
        "vendor/v.min.mjs",
        "js/missing.js",  # listed, not followed: the browser reports the 404
    ]


def test_a_new_import_is_in_the_graph_without_a_list_to_edit(tmp_path: Path) -> None:
    root = tree(tmp_path)
    assert "js/new.js" not in module_graph(root, "js/entry.js")
    (root / "js/new.js").write_text("export const n = 1;\n", encoding="utf-8")
    (root / "js/ns.js").write_text('export { n } from "./new.js";\n', encoding="utf-8")
    assert "js/new.js" in module_graph(root, "js/entry.js")


def test_the_pages_graphs() -> None:
    """The real entries: the drawing's d3 comes in through draw.js; the training view is on
    / and not on /embed (embed-main.js imports it when its frame shows it); the modules
    loaded on demand and the training stream's worker are in neither."""
    index = module_graph(STATIC_DIR, "js/main.js")
    embed = module_graph(STATIC_DIR, "js/embed-main.js")
    assert index[0] == "js/main.js" and embed[0] == "js/embed-main.js"
    for graph in (index, embed):
        assert "vendor/d3/d3-transition.min.mjs" in graph
        assert "vendor/d3/d3-color.min.mjs" in graph  # imported by d3-interpolate
        assert "js/text/i18n/zh-TW.js" in graph
        for lazy in ("js/panel/equations.js", "js/panel/export.js", "js/training/stream-worker.js"):
            assert lazy not in graph
    assert "js/training/view.js" in index
    assert "js/training/view.js" not in embed


def page_imports() -> dict[str, list[str]]:
    """Every page module (static/js, but the API docs' scripts and the generated bundle) →
    the modules it imports."""
    graph: dict[str, list[str]] = {}
    for file in sorted((STATIC_DIR / "js").rglob("*.js")):
        path = file.relative_to(STATIC_DIR).as_posix()
        if path.startswith(("js/apidocs/", "js/bundle/")):
            continue
        specifiers = static_imports(file.read_text(encoding="utf-8"))
        graph[path] = [
            posixpath.normpath(posixpath.join(posixpath.dirname(path), s))
            for s in specifiers
            if s.startswith(("./", "../")) and "/vendor/" not in s
        ]
    return graph


def test_the_page_modules_import_without_a_cycle() -> None:
    """A cycle makes a module's order of evaluation depend on which one the page loads
    first (notation → strings → zh-TW → notation was one)."""
    graph = page_imports()
    done: set[str] = set()

    def walk(module: str, path: list[str]) -> None:
        if module in path:
            raise AssertionError(" → ".join([*path[path.index(module) :], module]))
        if module in done:
            return
        for imported in graph.get(module, []):
            walk(imported, [*path, module])
        done.add(module)

    for module in graph:
        walk(module, [])


# The rooms of static/js (docs/page.md, "Where things are"), highest first: a module imports
# from its own room or from one below it, never from one above.
ROOMS = [
    "entries",
    "lti",  # the LTI pages' own scripts (templates/lti/): entries of their pages
    "widget",  # the notebook widget's entry (an entry in a room: it has its transport beside it)
    "exercise",
    "tour",
    "app",
    "training",
    "panel",
    "player",
    "drawing",
    "page",
    "text",
]


def room(path: str) -> str:
    first = path.split("/")[1]
    if first in ("main.js", "embed-main.js", "exercise-main.js", "tour-main.js"):
        return "entries"
    return "app" if first.endswith(".js") else first  # app.js and what it assembles with


def test_the_rooms_import_downwards() -> None:
    graph = page_imports()
    assert {room(m) for m in graph} == set(ROOMS)
    upward = [
        (module, imported)
        for module, imports in graph.items()
        for imported in imports
        if ROOMS.index(room(imported)) < ROOMS.index(room(module))
    ]
    assert upward == []
