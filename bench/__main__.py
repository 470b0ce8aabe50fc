"""``python -m bench <name> [args...]`` runs ``bench/<name>.py``'s ``main(argv)``; with no name, lists them.

Speed targets live here, not in the timed tests: a benchmark prints its figures (and may exit non-zero when a
``--min-...`` target given on its command line is missed).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import bench


def available() -> list[str]:
    """Names of the benchmarks in this package (every public module but this one)."""
    return sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if not m.name.startswith("_"))


def main(argv: list[str] | None = None) -> int:
    """Dispatch to ``bench.<argv[0]>.main(argv[1:])``."""
    argv = sys.argv[1:] if argv is None else argv
    names = available()
    if not argv or argv[0] in ("-h", "--help", "list"):
        print("usage: python -m bench <name> [args...]   (<name> --help for its options)")
        print("benchmarks: " + (", ".join(names) if names else "(none)"))
        return 0
    if argv[0] not in names:
        print(f"unknown benchmark {argv[0]!r}; available: {', '.join(names)}", file=sys.stderr)
        return 2
    module = importlib.import_module(f"bench.{argv[0]}")
    return int(module.main(argv[1:]) or 0)


if __name__ == "__main__":
    sys.exit(main())
