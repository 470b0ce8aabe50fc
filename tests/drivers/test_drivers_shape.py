"""Every device kind has the one driver shape of docs/architecture.md ("Devices at run time"), so a new kind
cannot drift: the five role modules, the one factory signature, a facade subclassing Device that checks its
thread on every I/O method, and a simulated path that drives that same facade over a wire-level simulator."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

from drivers.base import Device, WrongThread, device_thread
from kiosk.config import DeviceSection, KeypadSection
from kiosk.devices import DeviceKind

ROOT = Path(__file__).resolve().parents[2]
ROLES = ("transport", "protocol", "facade", "simulator", "factory")
KINDS = list(DeviceKind)

# A section for the real hardware of every kind (the factory builds the device without opening it). A new kind
# without an entry here fails test_the_simulated_path_drives_the_real_facade: add its real transport.
REAL = {
    DeviceKind.PRINTER: DeviceSection(transport="serial", address="/dev/kiosk-printer"),
    DeviceKind.ID_READER: DeviceSection(transport="serial", address="/dev/kiosk-idreader"),
    DeviceKind.SSCARD_READER: DeviceSection(transport="pcsc", address="PCD"),
    DeviceKind.DISPENSER: DeviceSection(transport="serial", address="/dev/kiosk-dispenser"),
    DeviceKind.SCANNER: DeviceSection(transport="evdev", options={"name": "Newland"}),
    DeviceKind.DOCUMENT_PRINTER: DeviceSection(transport="cups", address="A4"),
    DeviceKind.CAMERA: DeviceSection(transport="v4l2", address="/dev/video0"),
    DeviceKind.KEYPAD: KeypadSection(transport="evdev", name="EZ Access"),
}


def factory(kind: DeviceKind):
    return importlib.import_module(f"drivers.{kind.value}.factory").open_from_config


def facades(kind: DeviceKind) -> list[type[Device]]:
    """The concrete Device classes defined in ``drivers.<kind>.facade``."""
    module = importlib.import_module(f"drivers.{kind.value}.facade")
    return [
        c
        for c in vars(module).values()
        if inspect.isclass(c)
        and issubclass(c, Device)
        and c.__module__ == module.__name__
        and not inspect.isabstract(c)
    ]


@pytest.mark.parametrize("kind", KINDS, ids=str)
def test_every_role_is_there(kind: DeviceKind) -> None:
    for role in ROLES:
        importlib.import_module(f"drivers.{kind.value}.{role}")


@pytest.mark.parametrize("kind", KINDS, ids=str)
def test_the_factory_has_the_one_signature(kind: DeviceKind) -> None:
    params = list(inspect.signature(factory(kind)).parameters.values())
    assert [(p.name, p.kind) for p in params] == [
        ("section", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        ("data_dir", inspect.Parameter.KEYWORD_ONLY),
    ]


@pytest.mark.parametrize("kind", KINDS, ids=str)
def test_the_facade_is_a_device_of_its_kind(kind: DeviceKind) -> None:
    (facade,) = facades(kind)
    assert facade.kind == kind
    # Every public method is sorted: it does device I/O (checked to run on the device thread) or it does not.
    public = {name for name, _ in inspect.getmembers(facade, inspect.isfunction) if not name.startswith("_")}
    unsorted = public - facade.io_methods - facade.local_methods
    assert not unsorted, f"{facade.__name__}: add {sorted(unsorted)} to io_methods or local_methods"
    for name in facade.io_methods:
        assert getattr(facade, name).__device_io__, f"{facade.__name__}.{name} does not check its thread"


@pytest.mark.parametrize("kind", KINDS, ids=str)
def test_the_simulated_path_drives_the_real_facade(kind: DeviceKind, tmp_path: Path) -> None:
    real = factory(kind)(REAL[kind], data_dir=tmp_path)
    assert real.simulator is None
    # The camera's simulator draws its first scene when the first stream opens: 0.8 s cold in a fresh process
    # (fonts, pages, the desk), and over 2 s on a loaded CI machine, where the default device timeout failed the
    # open (seen twice). This test is about the shape, not speed: the camera gets time to draw.
    timeout_s = 10.0 if kind is DeviceKind.CAMERA else 0.5
    device = factory(kind)(DeviceSection(transport="simulator", timeout_s=timeout_s), data_dir=tmp_path)
    try:
        assert type(device) is type(real)  # the same facade, transport and protocol code; only the far end differs
        assert device.simulator is not None
        with pytest.raises(WrongThread, match="device thread"):
            device.open()  # not on a device thread: refused before any I/O
        with device_thread(device):
            device.open()
            assert device.status().kind == kind
            assert device.self_test().ok
    finally:
        with device_thread(device):
            device.dispose()


def test_device_thread_marks_only_the_device_given(tmp_path: Path) -> None:
    printer = factory(DeviceKind.PRINTER)(DeviceSection(transport="simulator", timeout_s=0.5), data_dir=tmp_path)
    scanner = factory(DeviceKind.SCANNER)(DeviceSection(transport="simulator"), data_dir=tmp_path)
    try:
        with device_thread(scanner), pytest.raises(WrongThread, match=r"printer\.open"):
            printer.open()  # the scanner's thread is not the printer's
        with device_thread():  # no device named: this thread may run any device (technician CLI, tests)
            printer.open()
            scanner.open()
        with pytest.raises(WrongThread):
            printer.status()  # the mark ended with the block
    finally:
        with device_thread():
            printer.dispose()
            scanner.dispose()


def test_an_event_driven_kind_must_watch() -> None:
    with pytest.raises(TypeError, match="does not override watch"):

        class Deaf(Device):  # its runner would call a watch() that never reads anything
            kind = DeviceKind.SCANNER
            event_driven = True

    class Listening(Device):
        kind = DeviceKind.SCANNER
        event_driven = True

        def watch(self, timeout_s: float) -> None:
            """Reads input."""

    with pytest.raises(TypeError, match="does not override watch"):

        class StillDeaf(Device):  # event-driven, inheriting only the default
            kind = DeviceKind.SCANNER

        class Sub(StillDeaf):
            event_driven = True

    assert Listening.watch.__device_io__  # its own watch() checks its thread too


def test_no_test_rig_ships_in_the_drivers_package() -> None:
    """Nothing under drivers/ is a program of its own (a __main__ block) or prints to stdout."""
    rigs = []
    for path in sorted((ROOT / "drivers").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare) and isinstance(node.left, ast.Name) and node.left.id == "__name__":
                rigs.append(f"{path.relative_to(ROOT)}: __main__ block")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                rigs.append(f"{path.relative_to(ROOT)}:{node.lineno}: print()")
    assert not rigs, "\n".join(rigs)


def test_nothing_probes_drivers_for_optional_hooks() -> None:
    """dispose() and watch() are Device methods: no getattr(device, "dispose" | "watch") anywhere."""
    probes = []
    for package in ("drivers", "ui", "provisioning", "bench"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in ("getattr", "hasattr")
                    and len(node.args) >= 2
                    and isinstance(node.args[1], ast.Constant)
                    and node.args[1].value in ("dispose", "watch", "exists", "baudrate")
                ):
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    probes.append(f"{where}: {node.func.id}(..., {node.args[1].value!r})")
    assert not probes, "\n".join(probes)
