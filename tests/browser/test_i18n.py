"""The page in Traditional Chinese (zh-TW) and English: chosen by lang=, then by the
browser's language, switched live in the top bar, carried in the page's links and set by a
host page. The zh-TW page shows no English UI text (a scan of everything visible, with an
allow-list for math and names), and the English page no Chinese."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Frame, Page

from tests.browser.conftest import DATA_READY, FAST, PageLog
from tests.browser.hosts import HostSite, host_site

# Every text a reader can see or hear: the visible text nodes (a <select> shows only its
# chosen option), the tooltips and accessible names (title, aria-label, placeholder, alt) of
# visible elements, the SVG tooltips (<title>) of the drawing, and the document's title.
# KaTeX's typeset equations are the lecture's notation and are left out.
VISIBLE_TEXT_JS = """() => {
  const out = [];
  const shown = (el) => {
    if (el.closest('.katex, [hidden]')) return false;
    const cs = getComputedStyle(el);
    return cs.visibility !== 'hidden' && cs.display !== 'none' && el.getClientRects().length > 0;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    const text = n.textContent.trim();
    if (!text || !el || ['SCRIPT', 'STYLE', 'OPTION', 'TEXTAREA'].includes(el.tagName)) continue;
    if (el.closest('svg') && el.closest('title')) {
      if (shown(el.closest('title').parentElement)) out.push(['tooltip', text]);
      continue;
    }
    if (shown(el)) out.push(['text', text]);
  }
  for (const el of document.body.querySelectorAll('*')) {
    if (!shown(el)) continue;
    for (const attr of ['title', 'aria-label', 'aria-roledescription', 'placeholder', 'alt',
                        'aria-valuetext']) {
      const v = el.getAttribute(attr);
      if (v && v.trim()) out.push([attr, v.trim()]);
    }
    if (el.tagName === 'SELECT' && el.selectedOptions.length) {
      out.push(['select', el.selectedOptions[0].textContent.trim()]);
    }
  }
  out.push(['document.title', document.title]);
  return out;
}"""

# Names and symbols that stay as they are in zh-TW: the app's name, the API's own names of
# activations, losses, inits and optimizers (added from /capabilities: editor.js shows them
# as the API spells them), file formats, keys, the numbers' type,
# and the lecture's one-letter symbols (any single letter: x, a, z, w, b, t, l, L, e, J, n).
ALLOWED_WORDS = {
    "backprop",
    "viz",
    "sigmoid",
    "tanh",
    "relu",
    "ReLU",
    "softmax",
    "Adam",
    "SGD",
    "XOR",
    "Xavier",
    "CSV",
    "JSON",
    "SVG",
    "PNG",
    "API",
    "POST",
    "iframe",
    "Ctrl",
    "Enter",
    "Esc",
    "Shift",
    "Home",
    "End",
    "sin",
    "ln",
    "English",
    "float",  # float64, the numbers' type
    "MSE",
    "He",  # He initialisation
    "leaky",  # leaky ReLU
    "PyTorch",  # Export → PyTorch script: a library's and a language's names
    "Python",
    "torch",
}
# The glossary's English terms, given in parentheses after the Chinese the first time.
GLOSSARY_ASIDES = {
    "forward pass",
    "backward pass",
    "backpropagation",
    "activation function",
    "bias",
    "mini-batch",
    "epoch",
}
WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@pytest.fixture(scope="module")
def api_names(api: httpx.Client) -> set[str]:
    """The capabilities' names as the page shows them (squared_error → squared error)."""
    caps = api.get("/api/v1/capabilities").json()
    names = [a["name"] for a in caps["activations"]] + [loss["name"] for loss in caps["losses"]]
    names += caps["inits"] + [o["name"] for o in caps["training"]["optimizers"]]
    return {n.replace("_", " ") for n in names} | set(names)


def english_in(page: Page | Frame, api_names: set[str]) -> list[tuple[str, str, str]]:
    """(where, word, text) for every English word in the visible text not on the allow-lists."""
    found = []
    for where, text in page.evaluate(VISIBLE_TEXT_JS):
        rest = re.sub(
            r"（([^（）]*)）", lambda m: "" if m.group(1) in GLOSSARY_ASIDES else m.group(0), text
        )
        rest = re.sub(r"/api/v1/\S*", "", rest)
        for name in sorted(api_names, key=len, reverse=True):
            rest = re.sub(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", "", rest)
        for word in WORD.findall(rest):
            if (
                len(word) > 1
                and word not in ALLOWED_WORDS
                and not re.fullmatch(r"[A-Za-z]\d*", word)
            ):
                found.append((where, word, text))
    return found


def chinese_in(page: Page | Frame) -> list[tuple[str, str]]:
    """(where, text) for every visible text with a CJK character (the English page has none)."""
    return [(where, text) for where, text in page.evaluate(VISIBLE_TEXT_JS) if CJK.search(text)]


def language(page: Page | Frame) -> dict[str, Any]:
    return page.evaluate(
        """() => ({
          html: document.documentElement.lang,
          step: document.querySelector('[data-action="step"]').textContent.trim(),
          select: document.querySelector('[data-control="lang"]').value,
          caption: document.querySelector('[data-bind="caption"]').textContent,
        })"""
    )


def wait_drawn(page: Page) -> None:
    """The step's numbers are on the drawing (the caption says it is done)."""
    page.wait_for_function(
        "() => window.backpropViz.player.finished && "
        "document.querySelector('svg.network .loss-node[data-loss-after]')"
    )


def assert_clean(log: PageLog) -> None:
    assert log.page_errors == []
    assert log.console_errors == []
    assert log.failed() == []


# ---- the zh-TW page speaks no English ------------------------------------------------------


def test_zh_tw_step_page_shows_no_english(
    open_path: Callable[..., Page], api_names: set[str], page_log: PageLog
) -> None:
    page = open_path("/?lang=zh-TW")
    got = language(page)
    assert got["html"] == "zh-Hant-TW"
    assert got["step"] == "單步"
    assert got["select"] == "zh-TW"
    assert "反向傳遞" in got["caption"]
    assert english_in(page, api_names) == []

    # After a whole step: captions, the step counter, every label and tooltip of the drawing.
    page.evaluate("s => window.backpropViz.run(s)", FAST)
    wait_drawn(page)
    assert "梯度下降" in language(page)["caption"]
    assert english_in(page, api_names) == []

    # Stopped in the backward pass (case 2's caption), with the equation panel on a weight
    # and on a hidden neuron: its prose is Chinese, its equations the lecture's.
    page.evaluate(
        "() => window.backpropViz.player.seek(window.backpropViz.player.phaseStarts().backward + 3)"
    )
    page.evaluate("() => window.backpropViz.explain({kind: 'bias', layer: 1, node: 0})")
    page.wait_for_function("() => document.querySelector('[data-panel=\"equations\"] .katex')")
    panel = page.locator('[data-panel="equations"]').inner_text()
    assert "反向傳遞" in panel or "前向傳遞" in panel, panel
    assert english_in(page, api_names) == []
    page.evaluate("() => window.backpropViz.explain({kind: 'weight', layer: 2, from: 0, to: 1})")
    page.wait_for_function(
        "() => document.querySelector('[data-panel=\"equations\"]').dataset.pick.includes('weight')"
    )
    assert english_in(page, api_names) == []

    # The gradient check's tab: its summary and headers.
    page.click('[data-action="gradcheck"]')
    page.wait_for_function("() => document.querySelector('table.gradcheck tr[data-param]')")
    assert "梯度" in page.locator('[data-panel="gradcheck"]').inner_text()
    assert english_in(page, api_names) == []

    # The share and export menus.
    page.click('[data-action="share"]')
    page.wait_for_function(
        "() => document.querySelector('[data-bind=\"share-link\"]').value.includes('lang=zh-TW')"
    )
    assert english_in(page, api_names) == []
    assert_clean(page_log)


def test_every_example_and_data_set_is_named_in_chinese(
    open_path: Callable[..., Page], api: httpx.Client
) -> None:
    """The server's presets (each with its own zh-TW title and description in the API) and
    data sets (English in the API) as the zh-TW page names them."""
    page = open_path("/?lang=zh-TW&view=training")
    page.wait_for_function(DATA_READY)
    options = page.evaluate(
        "() => [...document.querySelectorAll('[data-control=\"preset\"] option')]"
        ".filter((o) => o.value).map((o) => [o.value, o.textContent, o.title])"
    )
    assert [o[0] for o in options] == [p["name"] for p in api.get("/api/v1/presets").json()]
    for name, text, title in options:
        assert CJK.search(text) and CJK.search(title), (name, text, title)
    sets = page.evaluate(
        "() => [...document.querySelectorAll('[data-dataset] > span')].map((s) => s.textContent)"
    )
    assert len(sets) >= 8
    assert [s for s in sets if not CJK.search(s) and s != "XOR"] == []


def test_zh_tw_training_view_shows_no_english(
    open_path: Callable[..., Page], api_names: set[str], page_log: PageLog
) -> None:
    page = open_path("/?lang=zh-TW&view=training")
    page.wait_for_function(DATA_READY)
    assert page.locator('[data-action="train"]').inner_text() == "訓練"
    assert english_in(page, api_names) == []

    # One mini-batch step, then the mini-batch view on the run's next batch.
    page.click('[data-action="train-batch"]')
    page.wait_for_function(
        "() => window.backpropViz.training().step >= 1 && !window.backpropViz.training().running"
    )
    page.click('[data-bind="minibatch"] > summary')
    page.click('[data-action="batch-next"]')
    page.wait_for_function("() => document.querySelector('[data-role=\"mean\"]')")
    assert "小批次" in page.locator('[data-bind="minibatch"]').inner_text()
    assert english_in(page, api_names) == []
    assert_clean(page_log)


def test_zh_tw_embed_shows_no_english(
    open_path: Callable[..., Page], api_names: set[str], page_log: PageLog
) -> None:
    page = open_path("/embed?preset=xor&lang=zh-TW")
    assert language(page)["html"] == "zh-Hant-TW"
    assert english_in(page, api_names) == []
    page.evaluate("s => window.backpropViz.run(s)", FAST)
    wait_drawn(page)
    assert english_in(page, api_names) == []
    assert_clean(page_log)


def test_the_scan_finds_english(open_path: Callable[..., Page], api_names: set[str]) -> None:
    """The scan is not blind: English shown on the zh-TW page is reported, where it is."""
    page = open_path("/?lang=zh-TW")
    page.evaluate(
        "() => { document.querySelector('[data-action=\"step\"]').textContent = 'Step'; }"
    )
    page.evaluate(
        "() => document.querySelector('[data-action=\"share\"]')"
        ".setAttribute('title', 'Share a link')"
    )
    found = english_in(page, api_names)
    assert ("text", "Step", "Step") in found
    assert ("title", "Share", "Share a link") in found
    # …and what is allowed stays allowed: a glossary aside, an API name, one-letter symbols.
    page.evaluate(
        "() => { document.querySelector('[data-action=\"step\"]').textContent = "
        "'前向傳遞（forward pass）sigmoid z a'; }"
    )
    assert [f for f in english_in(page, api_names) if f[0] == "text"] == []


# ---- choosing the language -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "want"),
    [("zh-TW", "zh-TW"), ("zh-HK", "zh-TW"), ("en-US", "en"), ("fr-FR", "en")],
)
def test_the_browser_language_chooses_without_lang(
    open_path: Callable[..., Page], locale: str, want: str, page_log: PageLog
) -> None:
    page = open_path("/", locale=locale)
    got = language(page)
    assert got["select"] == want
    assert got["html"] == {"zh-TW": "zh-Hant-TW", "en": "en"}[want]
    assert got["step"] == {"zh-TW": "單步", "en": "Step"}[want]
    # The browser's own language is not written into links: each reader gets theirs.
    link = page.evaluate("() => window.backpropViz.link()")
    assert "lang" not in parse_qs(urlsplit(link).query)
    assert_clean(page_log)


def test_lang_wins_over_the_browser(open_path: Callable[..., Page]) -> None:
    assert language(open_path("/?lang=en", locale="zh-TW"))["step"] == "Step"
    assert language(open_path("/?lang=zh-Hant", locale="en-US"))["step"] == "單步"
    page = open_path("/?lang=xx", locale="zh-TW")  # refused: the browser's, and a note (in Chinese)
    assert language(page)["step"] == "單步"
    assert "lang=" in page.locator('[data-bind="notes"]').inner_text()
    assert "已忽略" in page.locator('[data-bind="notes"]').inner_text()
    assert "不是 en, zh-TW 其中之一" in page.locator('[data-bind="notes"]').inner_text()
    # Switched to English, the note says it in English.
    page.select_option('[data-control="lang"]', "en")
    page.wait_for_function(
        "() => document.querySelector('[data-bind=\"notes\"]')"
        ".textContent.includes('not one of en, zh-TW')"
    )
    assert chinese_in(page) == []


def test_the_switch_changes_the_language_live_and_back(
    open_path: Callable[..., Page], api_names: set[str], page_log: PageLog
) -> None:
    page = open_path("/?preset=xor", locale="en-US")
    page.evaluate("s => window.backpropViz.run(s)", FAST)
    wait_drawn(page)
    page.evaluate("() => window.backpropViz.explain({kind: 'bias', layer: 1, node: 0})")
    page.wait_for_function("() => document.querySelector('[data-panel=\"equations\"] .katex')")
    assert chinese_in(page) == []
    request = page.evaluate("() => window.backpropViz.state()")
    cursor = page.evaluate("() => window.backpropViz.player.cursor")

    switch = page.get_by_role("combobox", name="Language")
    switch.select_option("zh-TW")
    page.wait_for_function("() => document.documentElement.lang === 'zh-Hant-TW'")
    got = language(page)
    assert got["step"] == "單步" and "梯度下降" in got["caption"]
    assert "第 1 層" in page.locator('[data-panel="equations"]').inner_text()
    assert english_in(page, api_names) == []
    # Same network, same place in the step: only the words changed.
    assert page.evaluate("() => window.backpropViz.state()") == request
    assert page.evaluate("() => window.backpropViz.player.cursor") == cursor
    # The address bar carries the choice.
    page.wait_for_function("() => new URLSearchParams(location.search).get('lang') === 'zh-TW'")

    page.get_by_role("combobox", name="語言").select_option("en")
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert language(page)["step"] == "Step"
    assert chinese_in(page) == []
    page.wait_for_function("() => new URLSearchParams(location.search).get('lang') === 'en'")
    assert_clean(page_log)


def test_the_training_view_switches_too(
    open_path: Callable[..., Page], api_names: set[str]
) -> None:
    page = open_path("/?view=training", locale="en-US")
    page.wait_for_function(DATA_READY)
    assert chinese_in(page) == []
    page.select_option('[data-control="lang"]', "zh-TW")
    page.wait_for_function("() => document.documentElement.lang === 'zh-Hant-TW'")
    assert english_in(page, api_names) == []
    page.select_option('[data-control="lang"]', "en")
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert chinese_in(page) == []


def test_the_share_link_and_iframe_carry_the_language(open_path: Callable[..., Page]) -> None:
    page = open_path("/?lang=zh-TW&preset=xor", locale="en-US")
    link = page.evaluate("() => window.backpropViz.link()")
    embed = page.evaluate("() => window.backpropViz.link({embed: true})")
    assert parse_qs(urlsplit(link).query)["lang"] == ["zh-TW"]
    assert parse_qs(urlsplit(embed).query)["lang"] == ["zh-TW"]
    page.click('[data-action="share"]')
    page.wait_for_function(
        "() => document.querySelector('[data-bind=\"share-iframe\"]').value.includes('/embed?')"
    )
    iframe = page.locator('[data-bind="share-iframe"]').input_value()
    assert "lang=zh-TW" in iframe
    # Opened by a reader whose browser speaks English, the link still shows Chinese.
    other = open_path(urlsplit(link).path + "?" + urlsplit(link).query, locale="en-US")
    assert language(other)["step"] == "單步"
    # Switched live, the links follow.
    page.select_option('[data-control="lang"]', "en")
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert parse_qs(urlsplit(page.evaluate("() => window.backpropViz.link()")).query)["lang"] == [
        "en"
    ]


# ---- a host page sets the language ---------------------------------------------------------


@pytest.fixture(scope="module")
def site(base_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostSite]:
    with host_site(tmp_path_factory.mktemp("hosts"), base_url) as s:
        yield s


def test_a_host_page_sets_the_language(
    browser: Browser, site: HostSite, base_url: str, api_names: set[str], page_log: PageLog
) -> None:
    frame_html = (
        f'<iframe id="viz" src="{base_url}/embed?preset=xor" title="backprop-viz" '
        'style="width:1000px;height:640px;border:0"></iframe>'
    )
    script = "<script>window.viz = BackpropViz.connect(document.getElementById('viz'));</script>"
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    try:
        page = context.new_page()
        page.on("pageerror", lambda e: page_log.page_errors.append(str(e)))
        page.goto(site.page(frame_html, script))
        page.evaluate("() => viz.ready")
        frame = next(f for f in page.frames if urlsplit(f.url).path == "/embed")
        assert language(frame)["step"] == "Step"
        assert page.evaluate("() => viz.setLanguage('zh-TW')") is None
        frame.wait_for_function("() => document.documentElement.lang === 'zh-Hant-TW'")
        assert language(frame)["step"] == "單步"
        assert english_in(frame, api_names) == []
        with pytest.raises(Exception, match="lang must be one of en, zh-TW"):
            page.evaluate("() => viz.setLanguage('fr')")
        assert language(frame)["step"] == "單步"
        assert page_log.page_errors == []
    finally:
        context.close()


WIDE = {
    "network": {
        "layers": [4, 64, 64, 1],
        "activations": ["tanh", "tanh", "sigmoid"],
        "loss": "binary_cross_entropy",
        "init": "xavier",
        "seed": 0,
    },
    "input": [0.1, 0.2, 0.3, 0.4],
    "target": [1],
    "learning_rate": 0.1,
}


def test_a_wide_network_drawn_as_matrices_switches_too(
    open_path: Callable[..., Page], api_names: set[str], page_log: PageLog
) -> None:
    page = open_path("/", locale="en-US")
    page.evaluate("r => window.backpropViz.load(r)", WIDE)
    page.evaluate("s => window.backpropViz.run(s)", FAST)
    page.wait_for_function(
        "() => document.querySelector('canvas.matrix') && window.backpropViz.player.finished"
    )
    assert chinese_in(page) == []
    page.select_option('[data-control="lang"]', "zh-TW")
    page.wait_for_function("() => document.documentElement.lang === 'zh-Hant-TW'")
    assert page.locator("canvas.matrix").get_attribute("aria-roledescription") == "矩陣檢視"
    assert english_in(page, api_names) == []
    assert_clean(page_log)


def test_a_gradient_check_on_show_is_said_again(
    open_path: Callable[..., Page], page_log: PageLog
) -> None:
    page = open_path("/", locale="en-US")
    page.click('[data-action="gradcheck"]')
    page.wait_for_function("() => document.querySelector('table.gradcheck th')")
    assert page.locator("table.gradcheck th").first.inner_text() == "parameter"
    page.select_option('[data-control="lang"]', "zh-TW")
    page.wait_for_function(
        "() => document.querySelector('table.gradcheck th')?.textContent === '參數'"
    )
    assert "一致" in page.locator('[data-panel="gradcheck"] .gradcheck-summary').inner_text()
    assert_clean(page_log)


def test_the_pages_hook_sets_the_language(page: Page) -> None:
    """window.backpropViz.setLanguage: what the switch does, for same-origin scripts."""
    page.evaluate("() => window.backpropViz.setLanguage('zh-TW')")
    assert page.text_content('[data-action="step"]') == "單步"
    assert page.get_attribute("html", "lang") == "zh-Hant-TW"
    assert page.input_value('[data-control="lang"]') == "zh-TW"
    with pytest.raises(Exception, match="no language"):
        page.evaluate("() => window.backpropViz.setLanguage('xx')")
    page.evaluate("() => window.backpropViz.setLanguage('en')")
    assert page.text_content('[data-action="step"]') == "Step"
