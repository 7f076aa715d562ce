"""The generated bundle (static/js/bundle/, written by scripts/bundle/build.mjs): each page's
entry with its static import graph in one file, served instead of the modules while it
matches them.

Why: on a slow link every request costs a round trip (six at a time over HTTP/1.1) and every
byte its share of the throughput; `/embed`'s ~60 commented modules were both. The modules
stay the source: the bundle's manifest lists the hash of every module it was built from,
and a page is served the bundle only while each of those files still has that hash. A
module edited since (a developer at work, a merge not yet rebuilt) gets the modules, and
tests/test_bundle.py fails until `node scripts/bundle/build.mjs` writes the bundle again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("backprop_viz.bundle")

BUNDLE = "js/bundle"


@dataclass(frozen=True)
class Bundle:
    """The manifest: the output that starts from each module (an entry or a module imported
    by import()), and each output's static imports (every chunk it needs, transitively)."""

    starts: dict[str, str]
    imports: dict[str, list[str]]

    def scripts(self, module: str) -> list[str] | None:
        """The files that run `module` (static/-relative: its output first, then the chunks
        it imports), or None when the bundle has no output starting from it."""
        out = self.starts.get(module)
        if out is None:
            return None
        return [out, *self.imports.get(out, [])]


_cache: dict[Path, tuple[tuple[int, ...], Bundle | None]] = {}


def fresh_bundle(static_dir: Path) -> Bundle | None:
    """The bundle when every module it was built from is unchanged, else None (the modules
    are served). The hashes are computed again only when a file's mtime or size changes, so
    a page request costs a stat of each module (~90 files), not a read."""
    manifest_file = static_dir / BUNDLE / "manifest.json"
    try:
        manifest = json.loads(manifest_file.read_bytes())
        sources: dict[str, str] = manifest["sources"]
        stamp = tuple(
            x
            for path in (manifest_file, *(static_dir / s for s in sources))
            for st in (path.stat(),)
            for x in (st.st_mtime_ns, st.st_size)
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no bundle (a checkout before it was built): the modules
    cached = _cache.get(static_dir)
    if cached and cached[0] == stamp:
        return cached[1]
    stale = [
        s
        for s, digest in sources.items()
        if hashlib.sha256((static_dir / s).read_bytes()).hexdigest() != digest
    ]
    bundle = None
    if stale:
        log.warning(
            "static/js/bundle/ is older than %s (and %d more): serving the modules; "
            "run `node scripts/bundle/build.mjs` to bundle them again",
            stale[0],
            len(stale) - 1,
        )
    else:
        bundle = Bundle(starts=dict(manifest["starts"]), imports=dict(manifest["imports"]))
    _cache[static_dir] = (stamp, bundle)
    return bundle
