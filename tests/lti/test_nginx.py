"""The LTI flow behind deploy/nginx.conf with two replicas of the tool (the same settings:
the same key and registrations): the login, the launch and the Check (and a deep link's
picker and choice) each answered by whichever replica nginx picks. nginx's round robin
alternates the replicas request by request on one connection, so the steps of one flow land
on different replicas; the access log says which answered each step, and the test asserts
that they did differ.

httpx, not a browser: the page's own requests (scripts, styles) would go through nginx too
and break the alternation the test relies on."""

from __future__ import annotations

import html
import re
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.deploy.helpers import Nginx, running_nginx
from tests.exercises.oracle import answers as right_answers
from tests.lti.conftest import lti_env
from tests.lti.flows import FORM_ACTION, FORM_FIELD, auth_form, error_code, launched, login
from tests.lti.platform import DL_CLAIM, Launch, Platform, rsa_pem, running_platform
from tests.server import running_uvicorn

EXERCISE = "update-2-2-1"


@dataclass
class Replicas:
    platform: Platform
    nginx: Nginx
    backends: list[str]  # host:port of each replica, as nginx's log names them


@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replicas]:
    with running_platform() as platform:
        env = lti_env(platform, tmp_path_factory.mktemp("lti-nginx"), rsa_pem())
        with running_uvicorn(env=env) as (a, _), running_uvicorn(env=env) as (b, _):
            with running_nginx([a, b], tmp_path_factory.mktemp("nginx")) as nginx:
                platform.tool = nginx.base
                yield Replicas(
                    platform, nginx, [a.removeprefix("http://"), b.removeprefix("http://")]
                )


def answered_by(nginx: Nginx, method: str, path: str, seen: int) -> str:
    """The replica that answered the `seen`+1-th `method path` (any query) in nginx's log:
    the last it tried ("upstream=a, b" when a failed and b answered)."""
    pattern = re.compile(
        rf'"{method} {re.escape(path)}(?:\?\S*)? HTTP/1\.1" \d+ \d+ upstream=(.+?) upstream_status='
    )
    deadline = time.monotonic() + 10  # nginx writes the line just after its answer
    while True:
        found = [m.group(1).split(", ") for m in pattern.finditer(nginx.log())]
        if len(found) > seen or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert len(found) > seen, (method, path, nginx.log()[-2000:])
    return found[seen][-1]


def count(nginx: Nginx, method: str, path: str) -> int:
    pattern = re.compile(rf'"{method} {re.escape(path)}(?:\?\S*)? HTTP/1\.1"')
    return len(pattern.findall(nginx.log()))


def test_a_launch_and_its_score_work_whichever_replica_answers_each_step(
    replicas: Replicas,
) -> None:
    p, nginx = replicas.platform, replicas.nginx
    routes: list[dict[str, str]] = []
    with httpx.Client(base_url=nginx.base, timeout=60) as c:
        for k in range(4):
            user = f"student-{k}-{secrets.token_hex(3)}"
            steps: dict[str, str] = {}
            logins, launches = (
                count(nginx, "GET", "/lti/login"),
                count(nginx, "POST", "/lti/launch"),
            )
            done = login(c, p, Launch("resource", user, {"exercise": EXERCISE}, link="nginx-link"))
            steps["login"] = answered_by(nginx, "GET", "/lti/login", logins)
            action, fields = auth_form(p, done)
            assert action == nginx.base + "/lti/launch"
            r = c.post("/lti/launch", data=fields, headers={"cookie": done.cookie_header()})
            assert r.status_code == 303, (r.status_code, error_code(r), r.text[:400])
            steps["launch"] = answered_by(nginx, "POST", "/lti/launch", launches)
            if k % 2:
                c.get("/healthz")  # shift the alternation: the next flow starts elsewhere
            location = urlsplit(r.headers["location"])
            seed = int(parse_qs(location.query)["seed"][0])
            grade = parse_qs(location.fragment)["lti"][0]
            check_path = f"/api/v1/exercises/{EXERCISE}/check"
            checks = count(nginx, "POST", check_path)
            v = c.post(f"/api/v1/exercises/{EXERCISE}", json={"seed": seed}).json()
            answers = right_answers(v)
            result = checked(c, check_path, seed, answers, grade)
            assert result["lti_score"] == {"sent": True, "code": "sent"}, result
            steps["check"] = answered_by(nginx, "POST", check_path, checks)
            (score,) = [s.body for s in p.scores if s.body["userId"] == user]
            assert score["scoreGiven"] == score["scoreMaximum"] == len(v["questions"])
            routes.append(steps)
    assert p.problems == []
    # Every flow crossed replicas somewhere, and each step was answered by both over the runs.
    assert all(len(set(steps.values())) == 2 for steps in routes), routes
    for step in ("login", "launch", "check"):
        assert {steps[step] for steps in routes} == set(replicas.backends), (step, routes)
    assert any(steps["login"] != steps["launch"] for steps in routes), routes
    assert any(steps["launch"] != steps["check"] for steps in routes), routes


def test_a_deep_link_works_whichever_replica_answers_the_picker_and_the_choice(
    replicas: Replicas,
) -> None:
    p, nginx = replicas.platform, replicas.nginx
    data = "nginx-dl-" + secrets.token_hex(4)
    with httpx.Client(base_url=nginx.base, timeout=60) as c:
        launches, choices = (
            count(nginx, "POST", "/lti/launch"),
            count(nginx, "POST", "/lti/deep-link"),
        )
        picker = launched(c, p, Launch("deep", "teacher", data=data))
        assert picker.status_code == 200, (picker.status_code, error_code(picker))
        (context,) = [v for k, v in FORM_FIELD.findall(picker.text) if k == "context"]
        answer = c.post(
            "/lti/deep-link",
            data={"context": html.unescape(context), "choice": f"exercise:{EXERCISE}"},
        )
        assert answer.status_code == 200, answer.text[:300]
        opened = answered_by(nginx, "POST", "/lti/launch", launches)
        chose = answered_by(nginx, "POST", "/lti/deep-link", choices)
    action, fields = FORM_ACTION.findall(answer.text), dict(FORM_FIELD.findall(answer.text))
    assert [html.unescape(a) for a in action] == [p.base + "/deep-link-return"]
    r = httpx.post(p.base + "/deep-link-return", data={"JWT": html.unescape(fields["JWT"])})
    assert r.status_code == 200, (r.text, p.problems)
    (link,) = [d for d in p.deep_links if d.claims.get(DL_CLAIM + "data") == data]
    assert link.items[0]["custom"] == {"exercise": EXERCISE}
    assert opened != chose  # the picker from one replica, the choice signed by the other


def test_a_replayed_launch_is_refused_by_either_replica(replicas: Replicas) -> None:
    """The id_token and state alone (taken from a log, say) open nothing on the other
    replica: the login's cookie is missing. With the cookie, the replica that opened it
    refuses it as used. (With the cookie on the other replica within the login's ten
    minutes it would open again: docs/lti.md's known limit, no store shared by replicas.)"""
    p, nginx = replicas.platform, replicas.nginx
    launch = Launch("resource", "replayer", {"exercise": EXERCISE}, link="nginx-replay")
    with httpx.Client(base_url=nginx.base, timeout=60) as c:
        done = login(c, p, launch)
        _, fields = auth_form(p, done)
        seen = count(nginx, "POST", "/lti/launch")
        first = c.post("/lti/launch", data=fields, headers={"cookie": done.cookie_header()})
        stolen = c.post("/lti/launch", data=fields)
        again = c.post("/lti/launch", data=fields, headers={"cookie": done.cookie_header()})
        opened, refused_stolen, refused_again = (
            answered_by(nginx, "POST", "/lti/launch", seen + k) for k in range(3)
        )
    assert first.status_code == 303, (first.status_code, error_code(first))
    assert 400 <= stolen.status_code < 500 and error_code(stolen) == "bad_state"
    assert 400 <= again.status_code < 500 and error_code(again) == "nonce_used"
    # Round robin: the stolen token met the other replica, the replay the one that opened it.
    assert refused_stolen != opened == refused_again
    assert p.problems == []


def checked(c: httpx.Client, path: str, seed: int, answers: dict[str, Any], grade: str) -> Any:
    r = c.post(path, json={"seed": seed, "answers": answers, "lti": grade})
    assert r.status_code == 200, r.text
    return r.json()
