"""First load of `/embed` and `/` on throttled links: time to ready, requests and bytes, in
Debian's Chromium with Chromium's own network throttling; numbers for docs/benchmarks.md.

    .venv-test/bin/python benchmarks/bench_first_load.py [--rounds 7] [--before REF]

Each round opens every page in a fresh browser context (cache disabled) on each link:
slow 4G (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, the issue's profile) and fast
4G (Chrome DevTools' "Fast 4G" preset: 60 ms, 9 Mbit/s, 1.5 Mbit/s); `--devtools` adds both
as DevTools applies them (see LINKS). "Ready" is the page's own
signal, `document.body.dataset.ready === "true"` (the trace drawn, the player ready),
clocked from the navigation's start. `--before REF` also serves the tree at git REF
(`git archive`, in a temporary directory) from a second server, so that the page before
and after a change run in the same browser, rounds taking turns.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT)]

from tests.server import CHROMIUM, CHROMIUM_ARGS, running_uvicorn  # noqa: E402


@dataclass(frozen=True)
class Link:
    """Chromium's Network.emulateNetworkConditions: latency is the added round trip (ms),
    throughputs in bytes per second."""

    latency_ms: float
    down_kbit: float
    up_kbit: float

    def conditions(self) -> dict[str, object]:
        return {
            "offline": False,
            "latency": self.latency_ms,
            "downloadThroughput": self.down_kbit * 1000 / 8,
            "uploadThroughput": self.up_kbit * 1000 / 8,
        }


LINKS = {
    # The profile: Lighthouse's mobileSlow4G as a network would be (150 ms round
    # trip, 1.6 Mbit/s down, 750 kbit/s up), applied as it is, per request.
    "slow 4G": Link(150, 1600, 750),
    # Chrome DevTools' "Fast 4G" preset at its nominal figures (Fast4GConditions in
    # front_end/core/sdk/NetworkManager.ts: 60 ms round trip, 9 Mbit/s down, 1.5 Mbit/s up).
    "fast 4G": Link(60, 9000, 1500),
    # The same two presets as DevTools applies them: latency × 3.75 and × 2.75 (Lighthouse's
    # request-level latency for a link of that round trip), throughput × 0.9. Harsher; --devtools.
    "DT slow 4G": Link(150 * 3.75, 1600 * 0.9, 750 * 0.9),
    "DT fast 4G": Link(60 * 2.75, 9000 * 0.9, 1500 * 0.9),
}
PAGES = ("/embed", "/")

# Clocks the page's own ready signal from the navigation's start, and the bytes it took by
# then; added before any of the page's scripts run (an init script is not subject to CSP).
CLOCK = """
new MutationObserver((_, observer) => {
  if (document.body && document.body.dataset.ready === "true") {
    const entries = [...performance.getEntriesByType("navigation"),
                     ...performance.getEntriesByType("resource")];
    window.__firstLoad = {
      ready: performance.now(),
      requests: entries.length,
      bytes: entries.reduce((sum, e) => sum + e.transferSize, 0),
    };
    observer.disconnect();
  }
}).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-ready"] });
"""


@dataclass(frozen=True)
class Load:
    ready_ms: float
    requests: int
    kbytes: float


def first_load(browser: Browser, url: str, link: Link) -> Load:
    context = browser.new_context(viewport={"width": 800, "height": 600})
    try:
        page = context.new_page()
        page.add_init_script(CLOCK)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", link.conditions())
        page.goto(url, wait_until="commit")
        page.wait_for_function("() => window.__firstLoad !== undefined", timeout=60_000)
        r = page.evaluate("() => window.__firstLoad")
        return Load(r["ready"], r["requests"], r["bytes"] / 1000)
    finally:
        context.close()


@contextlib.contextmanager
def tree_at(ref: str) -> Iterator[Path]:
    """The repository's files at git `ref`, in a temporary directory."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", ref], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        yield Path(tmp)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--before", metavar="REF", help="also serve the tree at git REF")
    parser.add_argument("--devtools", action="store_true", help="also DevTools' own presets")
    args = parser.parse_args()
    links = [name for name in LINKS if args.devtools or not name.startswith("DT ")]
    with contextlib.ExitStack() as stack:
        servers = {"now": stack.enter_context(running_uvicorn())[0]}
        if args.before:
            tree = stack.enter_context(tree_at(args.before))
            servers[args.before] = stack.enter_context(running_uvicorn(cwd=tree))[0]
        p = stack.enter_context(sync_playwright())
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        stack.callback(browser.close)
        rows = [
            (link, page, tree)
            for link in links
            for page in PAGES
            for tree in reversed(servers)  # before, then now
        ]
        for base in servers.values():  # warm-up: each server's first answers
            first_load(browser, base + "/embed", LINKS["fast 4G"])
        loads: dict[tuple[str, str, str], list[Load]] = {}
        for _ in range(args.rounds):
            for link, page, tree in rows:
                load = first_load(browser, servers[tree] + page, LINKS[link])
                loads.setdefault((link, page, tree), []).append(load)
    print(f"{args.rounds} rounds, a fresh context and no cache each; ready in ms: median (worst)")
    print(f"{'link':8} {'page':7} {'tree':12} {'ready ms':>16} {'requests':>9} {'kB':>7}")
    for (link, page, tree), runs in loads.items():
        ready = [r.ready_ms for r in runs]
        cell = f"{statistics.median(ready):.0f} ({max(ready):.0f})"
        requests = statistics.median(r.requests for r in runs)
        kbytes = statistics.median(r.kbytes for r in runs)
        print(f"{link:8} {page:7} {tree:12} {cell:>16} {requests:>9.0f} {kbytes:>7.1f}")
    slow = [r.ready_ms for r in loads[("slow 4G", "/embed", "now")]]
    verdict = "met" if statistics.median(slow) <= 1500 else "NOT met"
    print(f"target: /embed ready within 1.5 s on slow 4G (median): {verdict}")


if __name__ == "__main__":
    main()
