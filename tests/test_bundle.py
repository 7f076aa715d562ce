"""static/js/bundle/ (scripts/bundle/build.mjs, app/web/bundle.py): what is committed is what
the modules build to, every page has its bundle, and the server serves it only while each
module it was built from is unchanged. That the bundled pages import exactly what they
preload is tests/browser/test_preload.py's; every other browser test runs the bundle."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from app.web import bundle
from app.web.bundle import fresh_bundle
from app.web.pages import ENTRIES, TRAINING_VIEW
from tests.server import running_server

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "static"
MANIFEST = STATIC / "js" / "bundle" / "manifest.json"


def test_the_committed_bundle_is_what_the_modules_build_to() -> None:
    # The pinned esbuild (scripts/bundle/package-lock.json; scripts/test.sh installs it).
    done = subprocess.run(
        ["node", "scripts/bundle/build.mjs", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr + done.stdout


def test_every_page_and_the_lazy_training_view_have_their_bundle() -> None:
    found = fresh_bundle(STATIC)
    assert found is not None, "the committed bundle matches the modules"
    for module in [*ENTRIES.values(), TRAINING_VIEW, "js/training/stream-worker.js"]:
        files = found.scripts(module)
        assert files, module
        assert all((STATIC / f).is_file() for f in files)
        # The preload list is whole: every chunk a file imports is listed with it.
        for f in files:
            assert set(found.imports[f]) <= set(files)


def copy_static(tmp_path: Path) -> Path:
    manifest = json.loads(MANIFEST.read_text())
    target = tmp_path / "static"
    for path in [*manifest["sources"], "js/bundle/manifest.json"]:
        (target / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(STATIC / path, target / path)
    return target


def test_a_module_edited_since_the_build_gets_the_modules_and_back(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    static = copy_static(tmp_path)
    assert fresh_bundle(static) is not None
    module = static / "js" / "page" / "api.js"
    original = module.read_bytes()
    module.write_bytes(original + b"\n// edited\n")
    assert fresh_bundle(static) is None
    assert "js/page/api.js" in caplog.text and "build.mjs" in caplog.text
    module.write_bytes(original)
    assert fresh_bundle(static) is not None  # the same bytes again: the bundle again
    module.unlink()
    assert fresh_bundle(static) is None  # a module gone: nothing to trust
    bundle._cache.clear()


def test_without_a_manifest_the_modules(tmp_path: Path) -> None:
    static = copy_static(tmp_path)
    (static / "js" / "bundle" / "manifest.json").unlink()
    assert fresh_bundle(static) is None
    (static / "js" / "bundle" / "manifest.json").write_text("{not json")
    assert fresh_bundle(static) is None


@pytest.mark.parametrize(
    "setting, entry",
    [("true", "/static/js/bundle/embed-main.js"), ("false", "/static/js/embed-main.js")],
)
def test_the_page_names_the_bundle_or_the_modules(setting: str, entry: str) -> None:
    with running_server(env={"BACKPROP_VIZ_BUNDLE": setting}) as base:
        html = httpx.get(base + "/embed").text
    scripts = [
        line for line in html.splitlines() if 'type="module"' in line or "modulepreload" in line
    ]
    assert f'<script type="module" src="{entry}">' in html
    assert all(("/static/js/bundle/" in line) == (setting == "true") for line in scripts)
    # Far fewer files with the bundle: the point of it.
    assert (len(scripts) < 15) == (setting == "true")


def test_the_notebook_widget_has_one_file_of_each_and_its_css_stays_inside_it() -> None:
    """anywidget loads the widget's ESM from a blob URL and its CSS into the notebook's page:
    the ESM imports nothing (no chunk could be fetched), the CSS's rules all sit under the
    widget's box (.bv-widget) or KaTeX's own classes, and its fonts are inline."""
    widget = json.loads(MANIFEST.read_text())["widget"]
    esm = (STATIC / widget["esm"]).read_text()
    css = (STATIC / widget["css"]).read_text()
    assert "js/widget/widget.js" in widget["sources"] and "css/app.css" in widget["sources"]
    # No import() and no static import or re-export (minified: `import{a as b}from"./c.js"`).
    static_import = r"""(?:^|[;})])\s*import\s*(?:[{*"']|\w+\s*(?:,|from\b))"""
    re_export = r"""\bexport\s*(?:\*|\{[^}]*\})\s*from\s*["']"""
    assert not re.search(rf"\bimport\(|{static_import}|{re_export}", esm)
    assert re.search(static_import, 'var a=1;import{b as c}from"./d.js";')  # the check can fail
    assert "export" in esm
    selectors = [
        s.strip()
        for m in re.finditer(r"(?:^|[{};])\s*([^{};@][^{};]*)\{", re.sub(r"url\([^)]*\)", "", css))
        for s in m.group(1).split(",")
    ]
    assert len(selectors) > 300
    outside = {s for s in selectors if not re.match(r"(\.bv-widget|\.katex|from$|to$|\d+%$)", s)}
    assert outside == set()
    assert "url(fonts/" not in css and css.count("url(data:font/woff2;base64,") >= 20
