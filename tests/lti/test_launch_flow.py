"""The whole LTI flow in Chromium, the test platform (tests/lti/platform.py, lti1p3platform) on
localhost and the tool on 127.0.0.1 (two sites, as a course and a tool are):

- a student follows the course's link: initiation → the tool's login → the platform's auth
  → the launch → the exercise page with the student's own seed; answers typed; Check → the
  platform's gradebook receives the score (the launch's user, the score the check gave, the
  exercise's question count as the maximum), and the page says it was sent;
- a teacher adds the activity: a deep-linking launch → the picker → a choice → the platform
  receives a signed LtiDeepLinkingResponse with one ltiResourceLink (and its line item for an
  exercise, the request's data echoed), and that link launches what was chosen;
- the platform having a bad moment (a 503 retried; three and the student sends it again; a
  401 and a new token), one access token for many posts, a link with no line item ungraded;
- the link in the course's frame with third-party cookies blocked: the login bound through
  the platform's client-side storage (lti.put_data / lti.get_data), or refused with advice;
- each student's seed: two students on one link differ, one student twice is the same;
- locale, document_target and return_url; preset= and state= links open /embed with them;
- the picker and a refusal page pass axe.

The right answers come from tests/exercises/oracle.py (the step worked out by hand); the
expected score from the answers this test chose to get wrong.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Frame, Page

from tests.api.helpers import link_state
from tests.browser.test_a11y import axe_violations
from tests.exercises.oracle import answers as right_answers
from tests.lti.conftest import Stack
from tests.lti.flows import lti_metric, thumbprint
from tests.lti.platform import CLAIM, DL_CLAIM, Platform
from tests.server import CHROMIUM, CHROMIUM_ARGS

EXERCISE = "update-2-2-1"  # numbers, a sign of θ¹ − θ⁰ and a choice
WHOLE = "whole-step-2-2-2"
CHECKED = "() => window.backpropViz.exercise().checked"
READY = "() => document.body.dataset.ready === 'true'"
SENT = "Your score was sent to the course."
SENT_LINE = '[data-bind="lti-score"][data-code="sent"]'
SENT_OK = {"sent": True, "code": "sent"}


@pytest.fixture
def context_pages(browser: Browser) -> Iterator[list[Page]]:
    """Each student or teacher in a browser context of their own (their own cookies)."""
    pages: list[Page] = []
    yield pages
    for page in pages:
        page.context.close()


def new_page(browser: Browser, pages: list[Page]) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors  # type: ignore[attr-defined]
    pages.append(page)
    return page


def someone(role: str) -> str:
    return f"{role}-{secrets.token_hex(4)}"


def launch(page: Page, lti: Stack, path: str, **start: Any) -> dict[str, list[str]]:
    """Follow the course's link in `page` until the tool's `path` is open and ready; its
    query."""
    page.goto(lti.platform.start_url(**start))
    page.wait_for_url(lambda url: urlsplit(url).path == path and url.startswith(lti.tool))
    page.wait_for_function(READY)
    return parse_qs(urlsplit(page.url).query)


def launch_exercise(
    page: Page, lti: Stack, user: str, exercise: str = EXERCISE, **start: Any
) -> int:
    """A student's launch of an exercise link (framed by default: /embed?exercise=…); the
    seed the tool chose."""
    query = launch(page, lti, "/embed", user=user, custom={"exercise": exercise}, **start)
    assert query["exercise"] == [exercise]
    (seed,) = query["seed"]
    assert page.evaluate("() => window.backpropViz.exercise().seed") == int(seed)
    return int(seed)


def variant(lti: Stack, exercise: str, seed: int) -> dict[str, Any]:
    r = httpx.post(f"{lti.tool}/api/v1/exercises/{exercise}", json={"seed": seed}, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def wrong_answer(question: dict[str, Any], right: Any) -> Any:
    if question["kind"] == "number":
        return right * 1.1 + 0.01
    if question["kind"] == "sign":
        return "-" if right == "+" else "+"
    return next(o["value"] for o in question["options"] if o["value"] != right)


def answer(page: Page | Frame, v: dict[str, Any], wrong: set[str]) -> int:
    """Type the right answer to each question except those in `wrong`; the score due."""
    right = right_answers(v)
    for q in v["questions"]:
        given = wrong_answer(q, right[q["id"]]) if q["id"] in wrong else right[q["id"]]
        field = page.locator(f'[data-question="{q["id"]}"] [data-answer]')
        if q["kind"] == "number":
            field.fill(f"{given:.6g}")
        else:
            field.select_option(given)
    return len(v["questions"]) - len(wrong)


def check(page: Page, frame: Page | Frame | None = None) -> dict[str, Any]:
    """Press Check (in `frame` if the exercise is in one); the check's JSON answer."""
    where = frame or page
    with page.expect_response(lambda r: r.url.endswith("/check")) as info:
        where.click('[data-action="check"]')
    where.wait_for_function(CHECKED)
    response = info.value
    assert response.status == 200, response.text()
    return response.json()


def scores_of(platform: Platform, user: str) -> list[dict[str, Any]]:
    return [s.body for s in platform.scores if s.body.get("userId") == user]


# ---- a student, launched from the course -------------------------------------------------


@pytest.mark.parametrize("exercise", [EXERCISE, WHOLE])
def test_a_launched_students_check_puts_the_score_in_the_gradebook(
    browser: Browser, context_pages: list[Page], lti: Stack, clean: Platform, exercise: str
) -> None:
    user = someone("student")
    link = "link-" + exercise
    page = new_page(browser, context_pages)
    seed = launch_exercise(page, lti, user, exercise, link=link)
    assert "lti=" in urlsplit(page.url).fragment, page.url  # the grade token rides along
    # The login's cookie lived for the login only: the launch deleted it, and nothing of the
    # tool set another.
    assert page.context.cookies(lti.tool) == []
    # The course chose the numbers: no "Try other numbers" and no other exercise on this page.
    assert page.locator('[data-action="again"]').is_hidden()
    assert page.locator('[data-control="exercise"]').is_hidden()
    platform_requests: list[str] = []
    page.on(
        "request",
        lambda r: r.url.startswith(clean.base) and platform_requests.append(r.url),
    )
    v = variant(lti, exercise, seed)
    wrong = {v["questions"][0]["id"], v["questions"][-1]["id"]}
    due = answer(page, v, wrong)
    sent = lti_metric(lti.tool, "score_posts", "sent")
    result = check(page)
    assert (result["score"], result["max"]) == (due, len(v["questions"]))
    assert lti_metric(lti.tool, "score_posts", "sent") == sent + 1
    assert result["lti_score"] == SENT_OK
    # The platform has it by the time the check answers: the tool posted it first.
    (score,) = scores_of(clean, user)
    assert score["scoreGiven"] == due
    assert score["scoreMaximum"] == len(v["questions"])
    assert score["activityProgress"] == "Completed"
    assert score["gradingProgress"] == "FullyGraded"
    (received,) = [s for s in clean.scores if s.body["userId"] == user]
    assert received.lineitem == link  # the launch's line item, its query kept
    assert received.token_claims["sub"] == clean.client_id
    assert page.locator(SENT_LINE).inner_text() == SENT
    assert page.context.cookies(lti.tool) == []
    assert platform_requests == []  # the server sent it, not the page
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_score_post_the_platform_fails_once_is_retried(
    browser: Browser, context_pages: list[Page], lti: Stack, clean: Platform
) -> None:
    user = someone("student")
    page = new_page(browser, context_pages)
    seed = launch_exercise(page, lti, user, link="link-retry")
    v = variant(lti, EXERCISE, seed)
    due = answer(page, v, set())
    attempts = clean.score_attempts
    clean.fail_next_score(503)
    result = check(page)
    assert result["lti_score"] == SENT_OK
    assert clean.score_attempts == attempts + 2  # the refused one, then the retry
    assert [s["scoreGiven"] for s in scores_of(clean, user)] == [due]
    assert page.locator(SENT_LINE).inner_text() == SENT


def test_a_course_that_does_not_answer_gets_the_score_when_the_student_sends_it_again(
    browser: Browser, context_pages: list[Page], lti: Stack, clean: Platform
) -> None:
    """Three 503s in a row: the tool gives up, the page says the course did not answer and
    Check becomes "Send the score again"; pressed, the same score goes."""
    user = someone("student")
    page = new_page(browser, context_pages)
    v = variant(lti, EXERCISE, launch_exercise(page, lti, user, link="link-again"))
    due = answer(page, v, {v["questions"][0]["id"]})
    attempts = clean.score_attempts
    clean.fail_next_score(503, times=3)
    unavailable = lti_metric(lti.tool, "score_posts", "platform_unavailable")
    result = check(page)
    assert lti_metric(lti.tool, "score_posts", "platform_unavailable") == unavailable + 1
    assert result["lti_score"]["sent"] is False
    assert result["lti_score"]["code"] == "platform_unavailable"
    assert clean.score_attempts == attempts + 3 and scores_of(clean, user) == []
    line = page.locator('[data-bind="lti-score"]')
    assert line.get_attribute("data-code") == "platform_unavailable"
    assert line.inner_text().startswith("Your score was not sent to the course: ")
    button = page.locator('[data-action="check"]')
    assert button.inner_text() == "Send the score again" and button.is_enabled()
    with page.expect_response(lambda r: r.url.endswith("/check")) as info:
        button.click()
    assert info.value.json()["lti_score"] == SENT_OK
    page.wait_for_selector(SENT_LINE)
    assert [s["scoreGiven"] for s in scores_of(clean, user)] == [due]
    assert button.is_disabled()


def test_a_token_the_platform_withdrew_is_replaced_and_the_score_goes(
    browser: Browser, context_pages: list[Page], lti: Stack, clean: Platform
) -> None:
    """A 401 to a score post: the cached token is dropped, a new one asked for, and the post
    made again with it."""
    first, second = someone("student"), someone("student")
    for user, withdrawn in ((first, False), (second, True)):
        page = new_page(browser, context_pages)
        v = variant(lti, EXERCISE, launch_exercise(page, lti, user, link="link-401"))
        due = answer(page, v, set())
        tokens, attempts = len(clean.tokens_issued), clean.score_attempts
        if withdrawn:
            clean.fail_next_score(401)
        assert check(page)["lti_score"] == SENT_OK
        assert [s["scoreGiven"] for s in scores_of(clean, user)] == [due]
    # The first post left a token cached; the second's 401 cost exactly one new token.
    assert len(clean.tokens_issued) == tokens + 1
    assert clean.score_attempts == attempts + 2


def test_the_access_token_is_asked_for_once_and_reused(
    browser: Browser, context_pages: list[Page], lti: Stack, clean: Platform
) -> None:
    """Two students' scores, one after the other: one token serves both (it lasts an hour)."""
    for k in range(2):
        user = someone("student")
        page = new_page(browser, context_pages)
        v = variant(lti, EXERCISE, launch_exercise(page, lti, user, link="link-token"))
        answer(page, v, set())
        assert check(page)["lti_score"] == SENT_OK
        if k == 0:
            tokens = len(clean.tokens_issued)
    assert len(clean.tokens_issued) == tokens
    assert tokens >= 1


def test_the_first_check_counts(
    browser: Browser, context_pages: list[Page], lti: Stack, clean: Platform
) -> None:
    """After Check the page shows every expected value, and the next launch gives the same
    numbers: a second Check, now all right, is not sent; the gradebook keeps the first."""
    user = someone("student")
    page = new_page(browser, context_pages)
    seed = launch_exercise(page, lti, user, link="link-first")
    v = variant(lti, EXERCISE, seed)
    first = answer(page, v, {v["questions"][0]["id"]})
    assert check(page)["lti_score"] == SENT_OK
    reads = clean.results_reads
    again = new_page(browser, context_pages)
    assert launch_exercise(again, lti, user, link="link-first") == seed
    answer(again, v, set())
    kept = lti_metric(lti.tool, "score_posts", "already_scored")
    result = check(again)
    assert result["score"] == len(v["questions"])  # the check itself still marks the answers
    assert result["lti_score"]["sent"] is False
    assert result["lti_score"]["code"] == "already_scored"
    assert result["lti_score"]["recorded"] == {"score": first, "max": len(v["questions"])}
    assert clean.results_reads == reads + 1
    assert lti_metric(lti.tool, "score_posts", "already_scored") == kept + 1
    assert [s["scoreGiven"] for s in scores_of(clean, user)] == [first]
    line = again.locator('[data-bind="lti-score"]')
    assert line.get_attribute("data-code") == "already_scored"
    assert line.inner_text() == (
        f"The course keeps your first score, {first} of {len(v['questions'])}: "
        "this Check was not sent."
    )
    assert again.locator('[data-action="check"]').is_disabled()


def test_a_link_without_a_line_item_is_an_ungraded_exercise(
    browser: Browser, context_pages: list[Page], lti: Stack, clean: Platform
) -> None:
    """No AGS line item in the launch: the student's own numbers, no grade token, no score
    posted and no word of one."""
    user = someone("student")
    page = new_page(browser, context_pages)
    seed = launch_exercise(page, lti, user, link="link-ungraded", lineitem="no")
    assert "lti=" not in urlsplit(page.url).fragment
    v = variant(lti, EXERCISE, seed)
    answer(page, v, set())
    result = check(page)
    assert "lti_score" not in result
    assert scores_of(clean, user) == []
    assert page.locator('[data-bind="lti-score"]').is_hidden()


# ---- in the course's frame, third-party cookies blocked -----------------------------------


@pytest.fixture(scope="module")
def cookieless(browser: Browser) -> Iterator[Browser]:
    """Chromium that blocks third-party cookies, as browsers now do: the tool's state cookie,
    set inside the course's frame, is never kept."""
    blocking = browser.browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--test-third-party-cookie-phaseout"]
    )
    yield blocking
    blocking.close()


def framed(cookieless: Browser, pages: list[Page], lti: Stack, **start: Any) -> tuple[Page, Frame]:
    """The course page with the link in its frame "tool"; the page and that frame."""
    page = new_page(cookieless, pages)
    responses: list[Any] = []
    page.on("response", lambda r: responses.append(r))
    page.responses = responses  # type: ignore[attr-defined]
    custom = start.pop("custom")
    query = [("kind", "resource"), *((k, str(v)) for k, v in start.items())]
    query += [("custom", f"{k}={v}") for k, v in custom.items()]
    page.goto(f"{lti.platform.base}/course?{urlencode(query)}")
    frame = page.frame(name="tool")
    assert frame is not None
    return page, frame


def arrived(page: Page, lti: Stack, path: str, status: int = 200) -> tuple[Frame, str]:
    """The frame that loaded the tool's `path`, and its URL, from the page's responses:
    Playwright sometimes misses a cross-site frame's navigation (its process changes), so
    that Frame.wait_for_url waits on after the page is there."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for r in list(page.responses):  # type: ignore[attr-defined]
            if (
                r.url.startswith(lti.tool)
                and urlsplit(r.url).path == path
                and r.status == status
                and r.request.is_navigation_request()
            ):
                return r.frame, r.url
        page.wait_for_timeout(100)
    raise AssertionError(f"{path} never opened: {[f.url for f in page.frames]}")


def tool_cookies(page: Page, lti: Stack) -> list[str]:
    return [c["name"] for c in page.context.cookies(lti.tool)]


@pytest.mark.parametrize("target", ["_parent", "post_message_forwarding"])
def test_in_a_frame_without_cookies_the_platforms_storage_binds_the_launch(
    cookieless: Browser, context_pages: list[Page], lti: Stack, clean: Platform, target: str
) -> None:
    user = someone("student")
    page, frame = framed(
        cookieless,
        context_pages,
        lti,
        user=user,
        custom={"exercise": EXERCISE},
        link="link-framed",
        storage_target=target,
    )
    frame, url = arrived(page, lti, "/embed")
    frame.wait_for_function(READY)
    # The cookie was refused; the platform's storage kept the login's binding instead, put at
    # the login and read back at the launch, under the state cookie's name, by the tool.
    assert tool_cookies(page, lti) == []
    messages = page.evaluate("() => window.ltiMessages")
    asked = [(m["subject"], m["origin"]) for m in messages]
    assert ("lti.put_data", lti.tool) in asked and ("lti.get_data", lti.tool) in asked, asked
    keys = {m["key"] for m in messages if m["subject"] in ("lti.put_data", "lti.get_data")}
    assert len(keys) == 1 and keys.pop().startswith("lti_state_")
    # And the framed exercise scores as any other.
    seed = int(parse_qs(urlsplit(url).query)["seed"][0])
    v = variant(lti, EXERCISE, seed)
    due = answer(frame, v, {v["questions"][1]["id"]})
    assert check(page, frame)["lti_score"] == SENT_OK
    assert [s["scoreGiven"] for s in scores_of(clean, user)] == [due]


def test_in_a_frame_without_cookies_or_storage_the_launch_says_what_to_do(
    cookieless: Browser, context_pages: list[Page], lti: Stack, clean: Platform
) -> None:
    page, frame = framed(
        cookieless, context_pages, lti, user=someone("student"), custom={"exercise": EXERCISE}
    )
    frame, _ = arrived(page, lti, "/lti/launch", status=400)
    frame.wait_for_selector("main[data-lti-error]")
    assert frame.get_attribute("main", "data-lti-error") == "bad_state"
    assert "new window" in frame.inner_text("main")
    assert tool_cookies(page, lti) == []
    # The same login in a window of its own, where the tool's cookie is first-party: the
    # platform signs the student in again and the exercise opens there, graded.
    with page.expect_popup() as opened:
        frame.click('[data-action="new-window"]')
    window = opened.value
    window.wait_for_url(lambda url: urlsplit(url).path == "/embed" and url.startswith(lti.tool))
    window.wait_for_function(READY)
    query = parse_qs(urlsplit(window.url).query)
    assert query["exercise"] == [EXERCISE]
    assert "lti=" in urlsplit(window.url).fragment
    assert window.evaluate("() => window.backpropViz.exercise().seed") == int(query["seed"][0])
    window.close()


def test_a_new_window_launch_from_a_platform_that_offers_storage_goes_by_the_cookie(
    browser: Browser, context_pages: list[Page], lti: Stack, clean: Platform
) -> None:
    """Platforms send lti_storage_target whatever the window (Canvas always does): opened
    at the top, with no platform frame to ask, the tool goes on by its cookie."""
    page = new_page(browser, context_pages)
    user = someone("student")
    seed = launch_exercise(page, lti, user, link="link-top-storage", storage_target="_parent")
    v = variant(lti, EXERCISE, seed)
    due = answer(page, v, set())
    assert check(page)["lti_score"] == SENT_OK
    assert [s["scoreGiven"] for s in scores_of(clean, user)] == [due]


# ---- each student's seed -----------------------------------------------------------------


def test_each_student_gets_their_own_numbers_and_the_same_again(
    browser: Browser, context_pages: list[Page], lti: Stack, clean: Platform
) -> None:
    ann, bob = someone("ann"), someone("bob")
    seeds = {}
    for name, user, link in (
        ("ann", ann, "link-seeds"),
        ("bob", bob, "link-seeds"),
        ("ann again", ann, "link-seeds"),
        ("ann elsewhere", ann, "link-seeds-2"),
    ):
        page = new_page(browser, context_pages)
        seeds[name] = launch_exercise(page, lti, user, link=link)
    assert seeds["ann"] == seeds["ann again"]
    assert seeds["ann"] != seeds["bob"]
    assert seeds["ann"] != seeds["ann elsewhere"]  # another link, other numbers
    # Different seeds, different numbers: the network the student works from differs.
    assert (
        variant(lti, EXERCISE, seeds["ann"])["request"]
        != variant(lti, EXERCISE, seeds["bob"])["request"]
    )


def test_the_platforms_locale_opens_the_page_in_that_language(
    browser: Browser, context_pages: list[Page], lti: Stack, clean: Platform
) -> None:
    page = new_page(browser, context_pages)
    query = launch(
        page,
        lti,
        "/embed",
        user=someone("student"),
        custom={"exercise": EXERCISE},
        locale="zh-TW",
    )
    assert query["lang"] == ["zh-TW"]
    assert page.evaluate("() => document.documentElement.lang") == "zh-Hant-TW"
    assert page.locator('[data-action="check"]').inner_text() == "檢查答案"


def test_a_window_launch_opens_the_full_page_with_the_way_back(
    browser: Browser, context_pages: list[Page], lti: Stack, clean: Platform
) -> None:
    """document_target window: the exercise's own page, not the framed one; return_url: a
    link back to the course."""
    back = clean.base + "/course/c1?from=tool"
    page = new_page(browser, context_pages)
    query = launch(
        page,
        lti,
        f"/exercise/{EXERCISE}",
        user=someone("student"),
        custom={"exercise": EXERCISE},
        document_target="window",
        return_url=back,
    )
    assert "seed" in query
    link = page.locator('[data-bind="lti-return"]')
    assert link.is_visible() and link.get_attribute("href") == back


# ---- preset= and state= ------------------------------------------------------------------


def test_a_preset_link_opens_the_visualizer_on_it(
    browser: Browser, context_pages: list[Page], lti: Stack, clean: Platform
) -> None:
    page = new_page(browser, context_pages)
    query = launch(page, lti, "/embed", user=someone("student"), custom={"preset": "xor"})
    assert query["preset"] == ["xor"]
    assert page.evaluate("() => window.backpropViz.store.presetName") == "xor"
    want = httpx.get(f"{lti.tool}/api/v1/presets/xor", timeout=30).json()
    assert page.evaluate("() => window.backpropViz.state()") == want


def test_a_state_link_opens_the_visualizer_on_that_network(
    browser: Browser, context_pages: list[Page], lti: Stack, clean: Platform
) -> None:
    request = httpx.get(f"{lti.tool}/api/v1/presets/worked-example-2-2-2", timeout=30).json()
    request["input"] = [0.25, -0.75]
    state = link_state(request, packed=True)
    page = new_page(browser, context_pages)
    query = launch(page, lti, "/embed", user=someone("student"), custom={"state": state})
    assert query["state"] == [state]
    assert page.evaluate("() => window.backpropViz.state()")["input"] == [0.25, -0.75]


# ---- a teacher adds the activity: deep linking -------------------------------------------


def pick(page: Page, lti: Stack, data: str, choose: Any) -> None:
    """A teacher's deep-linking launch: the picker, a choice, the answer to the platform."""
    page.goto(lti.platform.start_url("deep", someone("teacher"), data=data))
    page.wait_for_url(lambda url: url.startswith(lti.tool + "/lti/launch"))
    page.wait_for_selector('[data-action="deep-link"]')
    choose(page)
    page.click('[data-action="deep-link"]')  # → the tool's signed answer, posted on
    page.wait_for_url(lambda url: url.startswith(lti.platform.base + "/deep-link-return"))
    page.wait_for_selector("[data-deep-link-received]")


def received(platform: Platform, data: str) -> dict[str, Any]:
    """The one deep-linking response that echoed `data`: its claims; its one item checked."""
    (link,) = [d for d in platform.deep_links if d.claims.get(DL_CLAIM + "data") == data]
    assert link.claims[CLAIM + "message_type"] == "LtiDeepLinkingResponse"
    assert link.claims[CLAIM + "version"] == "1.3.0"
    assert link.claims["aud"] in (platform.issuer, [platform.issuer])
    assert link.claims["iss"] == platform.client_id
    return link.items[0] | {"_header": link.header}


def test_a_teacher_picks_an_exercise_and_the_platform_gets_a_graded_link(
    browser: Browser, context_pages: list[Page], lti: Stack, clean: Platform
) -> None:
    data = "dl-" + secrets.token_hex(6)
    page = new_page(browser, context_pages)

    def choose(p: Page) -> None:
        p.click(f'[data-deep-link="exercise:{EXERCISE}"]')

    chosen = lti_metric(lti.tool, "deep_links", "exercise")
    pick(page, lti, data, choose)
    assert lti_metric(lti.tool, "deep_links", "exercise") == chosen + 1
    item = received(clean, data)
    header = item.pop("_header")
    jwks = httpx.get(f"{lti.tool}/lti/jwks", timeout=30).json()["keys"]
    assert header["alg"] == "RS256" and header["kid"] == thumbprint(jwks[0])
    questions = len(variant(lti, EXERCISE, 0)["questions"])
    assert item["type"] == "ltiResourceLink"
    assert item["url"] == lti.tool + "/lti/launch"
    assert item["custom"] == {"exercise": EXERCISE}
    assert item["title"].strip()
    line = item["lineItem"]
    assert line["scoreMaximum"] == questions
    assert line["label"].strip() and line["resourceId"] == f"exercise:{EXERCISE}"
    # The link it made launches that exercise for a student.
    student = new_page(browser, context_pages)
    launch_exercise(student, lti, someone("student"), EXERCISE, link="link-from-picker")


def test_a_teacher_picks_a_preset(
    browser: Browser, context_pages: list[Page], lti: Stack, clean: Platform
) -> None:
    data = "dl-" + secrets.token_hex(6)
    page = new_page(browser, context_pages)
    pick(page, lti, data, lambda p: p.click('[data-deep-link="preset:xor"]'))
    item = received(clean, data)
    assert item["custom"] == {"preset": "xor"}
    assert "lineItem" not in item  # nothing to grade
    assert item["url"] == lti.tool + "/lti/launch"


def test_a_teacher_pastes_a_share_link(
    browser: Browser, context_pages: list[Page], lti: Stack, clean: Platform
) -> None:
    request = httpx.get(f"{lti.tool}/api/v1/presets/xor", timeout=30).json()
    request["learning_rate"] = 0.125
    state = link_state(request)
    data = "dl-" + secrets.token_hex(6)
    page = new_page(browser, context_pages)

    def choose(p: Page) -> None:
        p.check('[data-deep-link="state"]')
        p.fill('[data-bind="share-link"]', f"{lti.tool}/?v=1&state={state}")

    pick(page, lti, data, choose)
    item = received(clean, data)
    assert item["custom"] == {"state": state}
    assert "lineItem" not in item
    # And the link opens that network.
    student = new_page(browser, context_pages)
    launch(student, lti, "/embed", user=someone("student"), custom=item["custom"])
    assert student.evaluate("() => window.backpropViz.state()")["learning_rate"] == 0.125


def test_the_picker_lists_every_exercise_and_preset(
    browser: Browser, context_pages: list[Page], lti: Stack, clean: Platform
) -> None:
    exercises = [e["id"] for e in httpx.get(f"{lti.tool}/api/v1/exercises", timeout=30).json()]
    presets = [p["name"] for p in httpx.get(f"{lti.tool}/api/v1/presets", timeout=30).json()]
    page = new_page(browser, context_pages)
    page.goto(lti.platform.start_url("deep", someone("teacher"), data="x"))
    page.wait_for_selector('[data-action="deep-link"]')
    choices = page.eval_on_selector_all(
        "[data-deep-link]", "(es) => es.map((e) => e.dataset.deepLink)"
    )
    assert sorted(c for c in choices if c.startswith("exercise:")) == sorted(
        f"exercise:{e}" for e in exercises
    )
    assert sorted(c for c in choices if c.startswith("preset:")) == sorted(
        f"preset:{p}" for p in presets
    )
    assert "state" in choices


# ---- the LTI pages, for everyone ------------------------------------------------------------


@pytest.mark.parametrize("locale", ["en", "zh-TW"])
def test_the_picker_and_a_refusal_have_no_serious_accessibility_violation(
    browser: Browser, context_pages: list[Page], lti: Stack, clean: Platform, locale: str
) -> None:
    page = new_page(browser, context_pages)
    page.goto(lti.platform.start_url("deep", someone("teacher"), data="a11y", locale=locale))
    page.wait_for_selector('[data-action="deep-link"]')
    assert page.evaluate("() => document.documentElement.lang").startswith(locale[:2])
    # The presets by their titles in the teacher's language (GET /presets' translations).
    summaries = httpx.get(f"{lti.tool}/api/v1/presets", timeout=30).json()
    words = page.inner_text("main")
    for p in summaries:
        title = p["translations"]["zh-TW"]["title"] if locale == "zh-TW" else p["title"]
        assert title in words, (locale, title)
    assert axe_violations(page) == []
    # A refusal, as a browser meets it: a login initiation that names no platform.
    page.set_extra_http_headers({"accept-language": locale})
    page.goto(lti.tool + "/lti/login")
    assert page.get_attribute("main", "data-lti-error") == "bad_request"
    assert axe_violations(page) == []
