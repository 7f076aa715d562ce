"""Where static/ and templates/ are: inside the package when installed from a wheel,
at the top of the repository when run from a checkout or an editable install."""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise RuntimeError(f"backprop-viz cannot find its {name}/ directory next to {_PACKAGE}")


STATIC_DIR = _find("static")
TEMPLATES_DIR = _find("templates")
