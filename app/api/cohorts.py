"""Requests that arrive together, answered together, stage by stage.

Under load, several POST /trace bodies arrive in one turn of the event loop. Answered one
after another from start to end, each request runs the body's parser, the engine and
orjson's writer in turn, and each stage finds the processor's caches full of the others'
code and data: over HTTP the work cost 1.6 × its in-process time (docs/benchmarks.md,
"Issue 16 item 4 met"). A cohort runs one stage for all its requests before the next
(read every body, then every step, then write every answer), and the answers go out after:
about a fifth less CPU a request at 32 clients. The same functions run on the same values,
so every answer is what it would have been alone; a request alone is a cohort of one (one
more turn of the loop: 13 µs in-process).

A cohort has at most `size` requests, so that the first of them waits at most for the
work of `size - 1` others (the stages block the loop, as the work always did); more go on
to the next cohort. Past 8 the gain measured nothing more.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

Stage = Callable[[Any], Any]


class Cohorts:
    def __init__(self, stages: Sequence[Stage], size: int = 8) -> None:
        self.stages = tuple(stages)
        self.size = size
        self._waiting: list[tuple[Any, asyncio.Future[Any]]] = []
        self._loop: asyncio.AbstractEventLoop | None = None

    async def run(self, item: Any) -> Any:
        """The last stage's value for `item`, or what a stage raised for it."""
        loop = asyncio.get_running_loop()
        if self._waiting and loop is not self._loop:
            return self._alone(item)  # another event loop's cohort is waiting (tests)
        done: asyncio.Future[Any] = loop.create_future()
        if not self._waiting:
            self._loop = loop
            loop.call_soon(self._answer)
        self._waiting.append((item, done))
        return await done

    def _alone(self, item: Any) -> Any:
        for stage in self.stages:
            item = stage(item)
        return item

    def _answer(self) -> None:
        cohort, self._waiting = self._waiting[: self.size], self._waiting[self.size :]
        if self._waiting:
            assert self._loop is not None
            self._loop.call_soon(self._answer)
        values: list[Any] = [item for item, _ in cohort]
        failed: list[Exception | None] = [None] * len(cohort)
        finished = False
        try:
            for stage in self.stages:
                for i, value in enumerate(values):
                    if failed[i] is None:
                        try:
                            values[i] = stage(value)
                        except Exception as exc:  # that request's own answer: the caller's
                            failed[i] = exc
            finished = True
        finally:  # no request left waiting, whatever happened
            for (_, done), value, error in zip(cohort, values, failed, strict=True):
                if done.done():  # its request was cancelled meanwhile
                    continue
                if error is not None:
                    done.set_exception(error)
                elif finished:
                    done.set_result(value)
                else:  # a BaseException stopped the stages: KeyboardInterrupt, say
                    done.cancel()
