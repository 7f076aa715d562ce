"""Cohorts (app/api/cohorts.py): what arrives in one turn of the event loop is run one stage
at a time for all, and each caller gets its own value or its own exception, as if alone."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from app.api.cohorts import Cohorts


def recording(log: list[tuple[str, Any]]) -> tuple[Callable[[Any], Any], ...]:
    def stage(name: str, f: Callable[[Any], Any]) -> Callable[[Any], Any]:
        def run(value: Any) -> Any:
            log.append((name, value))
            return f(value)

        return run

    return (stage("double", lambda v: 2 * v), stage("plus one", lambda v: v + 1))


async def gather(cohorts: Cohorts, items: list[Any]) -> list[Any]:
    # A timeout: a request left waiting is a failure, not a hang.
    answers = asyncio.gather(*(cohorts.run(i) for i in items), return_exceptions=True)
    return await asyncio.wait_for(answers, timeout=5)


def test_what_arrives_together_is_run_one_stage_at_a_time() -> None:
    log: list[tuple[str, Any]] = []
    answers = asyncio.run(gather(Cohorts(recording(log)), [1, 2, 3]))
    assert answers == [3, 5, 7]  # 2v + 1, each its own
    assert log == [
        ("double", 1), ("double", 2), ("double", 3),
        ("plus one", 2), ("plus one", 4), ("plus one", 6),
    ]  # fmt: skip


def test_a_cohort_has_at_most_its_size_and_the_rest_follow() -> None:
    log: list[tuple[str, Any]] = []
    answers = asyncio.run(gather(Cohorts(recording(log), size=2), [1, 2, 3, 4, 5]))
    assert answers == [3, 5, 7, 9, 11]
    assert [name for name, _ in log] == (
        ["double"] * 2 + ["plus one"] * 2  # 1, 2
        + ["double"] * 2 + ["plus one"] * 2  # 3, 4
        + ["double", "plus one"]  # 5
    )  # fmt: skip
    assert [v for name, v in log if name == "double"] == [1, 2, 3, 4, 5]


def test_a_request_alone_gets_the_stages_in_turn() -> None:
    log: list[tuple[str, Any]] = []
    cohorts = Cohorts(recording(log))

    async def one_after_another() -> list[Any]:
        return [await cohorts.run(1), await cohorts.run(10)]

    assert asyncio.run(one_after_another()) == [3, 21]
    assert log == [("double", 1), ("plus one", 2), ("double", 10), ("plus one", 20)]


def test_each_gets_its_own_exception_and_the_others_their_values() -> None:
    log: list[tuple[str, Any]] = []

    def picky(v: int) -> int:
        if v == 2:
            raise ValueError("two")
        return v

    def fragile(v: int) -> int:
        if v == 30:
            raise ZeroDivisionError("thirty")
        return v + 1

    def spy(v: int) -> int:
        log.append(("last", v))
        return v

    answers = asyncio.run(gather(Cohorts((picky, lambda v: 10 * v, fragile, spy)), [1, 2, 3, 4]))
    assert answers[0] == 11 and answers[3] == 41
    assert isinstance(answers[1], ValueError) and str(answers[1]) == "two"
    assert isinstance(answers[2], ZeroDivisionError) and str(answers[2]) == "thirty"
    assert log == [("last", 11), ("last", 41)]  # a failed request runs no later stage


def test_a_cancelled_request_leaves_the_others_answered() -> None:
    async def main() -> tuple[Any, ...]:
        cohorts = Cohorts((lambda v: v * 3,))
        first = asyncio.ensure_future(cohorts.run(1))
        gone = asyncio.ensure_future(cohorts.run(2))
        last = asyncio.ensure_future(cohorts.run(3))
        await asyncio.sleep(0)  # all three wait in the cohort
        gone.cancel()
        answers = asyncio.gather(first, gone, last, return_exceptions=True)
        return await asyncio.wait_for(answers, timeout=5)

    first, gone, last = asyncio.run(main())
    assert (first, last) == (3, 9)
    assert isinstance(gone, asyncio.CancelledError)


class Interrupt(BaseException):
    pass


def test_a_stage_that_stops_everything_leaves_no_request_waiting() -> None:
    def interrupt(v: int) -> int:
        raise Interrupt

    async def main() -> list[Any]:
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(lambda loop, context: None)  # the loop reports it
        cohorts = Cohorts((interrupt,))
        return await gather(cohorts, [1, 2])

    answers = asyncio.run(main())
    assert all(isinstance(a, asyncio.CancelledError) for a in answers)


def test_a_request_from_another_event_loop_is_answered_alone() -> None:
    log: list[tuple[str, Any]] = []
    cohorts = Cohorts(recording(log))
    other = asyncio.new_event_loop()
    try:
        # A cohort is waiting on another loop (a test client's, say): joining it would
        # answer this request on that loop.
        cohorts._waiting.append((5, other.create_future()))
        cohorts._loop = other
        assert asyncio.run(cohorts.run(1)) == 3
    finally:
        other.close()
    assert log == [("double", 1), ("plus one", 2)]


@pytest.mark.parametrize("size", [1, 3, 8])
def test_many_requests_get_their_own_answers(size: int) -> None:
    items = list(range(50))
    answers = asyncio.run(gather(Cohorts((lambda v: v * v, str), size=size), items))
    assert answers == [str(v * v) for v in items]
