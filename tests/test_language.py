"""The page's language on the server (app/http/language.py) as the page's script reads it
(static/js/text/language.js): the same tags to the same languages, run through both; then
Accept-Language's order of preference, and the pages that read it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.http.language import accepted, detect_language, language_for
from app.main import create_app

ROOT = Path(__file__).resolve().parent.parent
TAGS = [
    "en", "EN", "en-US", "en_GB", " en ", "zh-TW", "zh-tw", "zh-Hant", "zh-Hant-TW", "zh-HK",
    "zh-MO", "zh", "ZH", "zh-CN", "zh_TW", "", "fr", "de-DE", "english", "chinese", "-zh",
    "zhx", "en-", "*", "i-klingon",
]  # fmt: skip
PREFERENCES = [
    ["zh-TW", "en"], ["zh-Hant-HK"], ["fr-FR", "zh-TW", "en"], ["en-US", "zh-TW"],
    ["fr-FR", "de"], [], ["english", "zh"], ["*", "zh-CN"],
]  # fmt: skip


def in_the_page(tags: list[str], preferences: list[list[str]]) -> tuple[list[str], list[str]]:
    """languageFor of each tag and detectLanguage(null, …) of each list, by node."""
    node = shutil.which("node")
    assert node, "node is needed (apt install nodejs)"
    script = (
        "import { languageFor, detectLanguage } from './static/js/text/language.js';"
        f"const tags = {json.dumps(tags)}, prefs = {json.dumps(preferences)};"
        "console.log(JSON.stringify([tags.map(languageFor),"
        " prefs.map((p) => detectLanguage(null, p))]));"
    )
    done = subprocess.run(
        [node, "--input-type=module", "-e", script],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    first, second = json.loads(done.stdout)
    return first, second


def test_the_server_reads_a_tag_as_the_page_does() -> None:
    for_tags, for_preferences = in_the_page(TAGS, PREFERENCES)
    assert [language_for(t) for t in TAGS] == for_tags
    assert [detect_language(None, ", ".join(p)) for p in PREFERENCES] == for_preferences
    assert for_tags.count("zh-TW") == 10 and for_tags.count("en") == 6  # the table did run


@pytest.mark.parametrize(
    ("header", "tags"),
    [
        ("zh-TW,zh;q=0.9,en-US;q=0.8,en;q=0.7", ["zh-TW", "zh", "en-US", "en"]),
        ("en;q=0.5, zh-TW", ["zh-TW", "en"]),  # by q, not as sent
        ("fr, de;q=0.9, zh-Hant;q=0.9", ["fr", "de", "zh-Hant"]),  # equal q: as sent
        ("zh;q=0, en", ["en"]),  # q=0: not acceptable
        ("zh;q=abc, en;q=nan, fr;q=inf, de", ["de"]),  # a q that is no number counts as 0
        ("", []),
        (None, []),
        (" , ;q=1, en ; q=0.3", ["en"]),
    ],
)
def test_accept_language_most_wanted_first(header: str | None, tags: list[str]) -> None:
    assert accepted(header) == tags


@pytest.mark.parametrize(
    ("lang", "header", "language"),
    [
        (None, "fr-FR, zh-TW;q=0.8, en;q=0.5", "zh-TW"),  # the first we have, French aside
        (None, "en-US, zh-TW", "en"),
        ("en", "zh-TW", "en"),  # lang= first
        ("zh-TW", "en", "zh-TW"),
        ("fr", "zh-Hant", "zh-TW"),  # a lang= we do not have: the header decides
        (None, "fr, de", "en"),
        (None, None, "en"),
    ],
)
def test_lang_first_then_accept_language_then_english(
    lang: str | None, header: str | None, language: str
) -> None:
    assert detect_language(lang, header) == language


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


def test_the_page_speaks_the_first_language_it_has(client: TestClient) -> None:
    # A French reader who reads Chinese gets the Traditional page from the server's first
    # byte, as the page's script then decides (the first tag alone said English).
    headers = {"accept-language": "fr-FR, fr;q=0.9, zh-TW;q=0.8, en;q=0.5"}
    assert '<html lang="zh-Hant-TW"' in client.get("/embed", headers=headers).text
    exercises = client.get("/exercise", headers=headers).text
    assert '<html lang="zh-Hant-TW"' in exercises and "練習題" in exercises
    missing = client.get("/exercise/no-such-thing", headers=headers)
    assert missing.status_code == 404 and "找不到這個練習題" in missing.text
    english = {"accept-language": "en-GB, zh-TW;q=0.9"}
    assert '<html lang="en"' in client.get("/embed", headers=english).text
    assert '<html lang="en"' in client.get("/embed?lang=en", headers=headers).text


def test_an_lti_refusal_speaks_the_first_language_it_has(client: TestClient) -> None:
    # No LTI key in this app: every /lti/ page is "LTI is off", in the reader's language.
    page = client.get("/lti/login", headers={"accept-language": "fr, zh-TW;q=0.5"})
    assert page.status_code == 404 and "這台伺服器沒有開啟 LTI" in page.text
    page = client.get("/lti/login", headers={"accept-language": "fr, en;q=0.5, zh;q=0.4"})
    assert page.status_code == 404 and "LTI is off on this server" in page.text
