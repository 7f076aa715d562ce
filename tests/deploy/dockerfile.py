"""Reading a Dockerfile and a .dockerignore the way Docker does, for the tests of the image's
recipe (there is no Docker engine on the test machines)."""

from __future__ import annotations

import json
import os
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Instruction:
    keyword: str  # upper case: FROM, RUN, COPY, ...
    arguments: str  # the rest, continuation lines joined

    def exec_form(self) -> list[str] | None:
        """The JSON array of CMD ["a", "b"], or None in shell form."""
        text = self.arguments.strip()
        return json.loads(text) if text.startswith("[") else None


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]

    def last(self, keyword: str) -> Instruction | None:
        found = self.all(keyword)
        return found[-1] if found else None

    def env(self) -> dict[str, str]:
        """ENV a=1 b=2 (the key=value form), later ones winning."""
        values: dict[str, str] = {}
        for i in self.all("ENV"):
            for pair in shlex.split(i.arguments):
                key, sep, value = pair.partition("=")
                assert sep, f"ENV in the key=value form, not {i.arguments!r}"
                values[key] = value
        return values


def parse_dockerfile(text: str) -> list[Stage]:
    """The stages of a Dockerfile: comments dropped, `\\` continuations joined."""
    lines: list[str] = []
    pending = ""
    for raw in text.splitlines():
        if raw.lstrip().startswith("#") or not raw.strip():
            continue
        if raw.rstrip().endswith("\\"):
            pending += raw.rstrip()[:-1] + " "
            continue
        lines.append(pending + raw)
        pending = ""
    assert not pending, "a continuation at the end of the file"
    stages: list[Stage] = []
    for line in lines:
        keyword, _, arguments = line.strip().partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            words = arguments.split()
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else None
            stages.append(Stage(base=words[0], name=name))
        else:
            assert stages, f"{keyword} before FROM"
            stages[-1].instructions.append(Instruction(keyword, arguments.strip()))
    return stages


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """A .dockerignore pattern (Go's filepath.Match, plus ** for any number of directories)
    as a regular expression over a path relative to the context, '/' separated."""
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(out)


class DockerIgnore:
    """Which paths of the build context Docker leaves out: the last matching pattern decides
    (a `!` pattern brings a path back), and a left-out directory takes its contents along."""

    def __init__(self, text: str) -> None:
        self.rules: list[tuple[bool, re.Pattern[str]]] = []
        for raw in text.splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            keep = line.startswith("!")
            pattern = line.removeprefix("!").strip().strip("/")
            self.rules.append((keep, _pattern_regex(pattern)))

    def excludes(self, path: str) -> bool:
        parts = path.strip("/").split("/")
        prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
        excluded = False
        for keep, regex in self.rules:
            if any(regex.fullmatch(p) for p in prefixes):
                excluded = not keep
        return excluded


def build_context(root: Path, ignore: DockerIgnore) -> list[str]:
    """Every file Docker would send as the build context of `root`, relative, '/' separated."""
    can_prune = not any(keep for keep, _ in ignore.rules)  # no `!` brings a path back
    files = []
    for folder, dirs, names in os.walk(root):
        here = Path(folder).relative_to(root).as_posix()
        rel = "" if here == "." else here + "/"
        if can_prune:
            dirs[:] = [d for d in dirs if not ignore.excludes(rel + d)]
        files += [rel + n for n in names if not ignore.excludes(rel + n)]
    return sorted(files)
