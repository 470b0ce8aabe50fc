"""The package arrows of docs/architecture.md hold: nothing imports "upwards", the core has no Qt or MQTT."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = {"kiosk", "drivers", "ui", "sync", "provisioning", "bench"}
ALLOWED = {
    "kiosk": {"kiosk"},
    "drivers": {"kiosk", "drivers"},
    "ui": {"kiosk", "drivers", "ui"},
    "sync": {"kiosk", "sync"},
    "provisioning": OURS,
    "bench": OURS,
}
FORBIDDEN_THIRD_PARTY = {
    "kiosk": {"PySide6", "paho", "escpos", "smartcard", "serial", "evdev", "cups"},
    "drivers": {"PySide6", "paho"},
    "sync": {"PySide6", "escpos", "smartcard", "serial", "evdev", "cups"},
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_follow_the_arrows(package: str) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"{package}/ has no modules"
    wrong = []
    for f in files:
        roots = imported_roots(f)
        for bad in (roots & OURS) - ALLOWED[package]:
            wrong.append(f"{f.relative_to(ROOT)} imports {bad}")
        for bad in roots & FORBIDDEN_THIRD_PARTY.get(package, set()):
            wrong.append(f"{f.relative_to(ROOT)} imports {bad}")
    assert not wrong, "\n".join(wrong)


def test_no_module_is_huge() -> None:
    big = [
        f"{f.relative_to(ROOT)}: {n} lines"
        for pkg in OURS
        for f in (ROOT / pkg).rglob("*.py")
        if (n := len(f.read_text(encoding="utf-8").splitlines())) > 600
    ]
    assert not big, "\n".join(big)
