"""``kiosk-provision init``: write this kiosk's config from flags (or answers), validate it, test the broker.

Run again to change a few values: what is already in the file is kept unless a flag or an answer replaces it.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiosk import ids
from kiosk.config import DEVICE_TRANSPORTS, MODES, ConfigError, parse_config
from kiosk.devices import DeviceKind
from kiosk.languages import LANGUAGES
from provisioning.broker import check_broker
from provisioning.configfile import read_table, write_config
from provisioning.context import CommandError, Context
from provisioning.output import table

# A real kiosk's devices (the commented example config has the same); the simulators are for demos only.
DEFAULT_DEVICES = {
    "printer": "serial:/dev/kiosk-printer",
    "id_reader": "serial:/dev/kiosk-idreader",
    "sscard_reader": "pcsc",
    "dispenser": "serial:/dev/kiosk-dispenser@9600",
    "scanner": "evdev",
    "document_printer": "cups:A4",
    "camera": "v4l2:/dev/video0",  # a UVC document camera; better its /dev/v4l/by-id/... link
    "keypad": "none",  # the EZ Access keypad where fitted: evdev:/dev/input/by-id/...-event-kbd
}

DESCRIPTION = """\
Writes the kiosk's config file (default /etc/kiosk/kiosk.toml), checks it, and tries the hall broker.
Values missing from the flags and from the existing file are asked for when run at a terminal.

Devices are KIND=TRANSPORT[:ADDRESS][@BAUD], for example:
  --device printer=serial:/dev/kiosk-printer    --device dispenser=serial:/dev/kiosk-dispenser@9600
  --device printer=network:192.168.10.20:9100   --device sscard_reader=pcsc   --device scanner=none
  --device keypad=evdev:/dev/input/by-id/usb-EZ_Access_Keypad-event-kbd   (the accessibility keypad)
KIND: printer, id_reader, sscard_reader, dispenser, scanner, document_printer, camera, keypad.
TRANSPORT: serial, network, usb, file, pcsc, evdev, cups, v4l2, simulator (--mode lab or demo only), none (not fitted).

--mode production (the default) refuses simulated devices and a link without TLS: what stands on the citizens'
floor. --mode lab or demo allows both (a bench, a training room, a test rig).
"""


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``init`` parser."""
    p = sub.add_parser(
        "init",
        parents=[common],
        help="write this kiosk's config and test the broker",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--kiosk-id", help="this kiosk's id, e.g. KSK-0001 (also its certificate name)")
    p.add_argument("--hall-id", help="the hall's id, e.g. ordos-kbs")
    p.add_argument("--hall-name", help="the hall's name in Chinese, printed on receipts")
    p.add_argument("--hall-name-en", help="the hall's name in English")
    p.add_argument("--location", help="where the kiosk stands, e.g. 24小时自助服务区 1号机")
    p.add_argument("--hotline", help="the phone number printed on receipts")
    p.add_argument("--language", choices=list(LANGUAGES), help="the screen's start language")
    p.add_argument("--mode", choices=list(MODES), help="production (default), or lab/demo: simulators, no TLS allowed")
    p.add_argument("--data-dir", help="where the database lives (default /var/lib/kiosk)")
    p.add_argument("--broker", metavar="HOST[:PORT]", help="the hall's MQTT broker (port 8883 with TLS, else 1883)")
    p.add_argument("--tls", action=argparse.BooleanOptionalAction, default=None, help="mutual TLS (default: on)")
    p.add_argument("--pki-dir", help="where the key and certificates go (default: pki/ beside the config)")
    p.add_argument("--screen", choices=["landscape", "portrait"], help="how the touchscreen is mounted")
    p.add_argument("--device", action="append", default=[], metavar="KIND=SPEC", help="a device (repeat per device)")
    p.add_argument("--no-broker-test", action="store_true", help="write the config without trying the broker")
    p.add_argument("--non-interactive", action="store_true", help="never ask; fail if something is missing")
    p.set_defaults(func=run)


def parse_device(text: str) -> tuple[str, dict[str, Any]]:
    """``printer=serial:/dev/x@9600`` -> ``("printer", {"transport": "serial", "address": ..., "baudrate": 9600})``."""
    kind, sep, spec = text.partition("=")
    kinds = [k.value for k in DeviceKind]
    if not sep or kind not in kinds:
        raise CommandError(f"--device {text!r}: expected KIND=SPEC with KIND one of {', '.join(kinds)}", exit_code=2)
    transport, _, address = spec.partition(":")
    if transport not in DEVICE_TRANSPORTS:
        raise CommandError(
            f"--device {text!r}: transport must be one of {', '.join(sorted(DEVICE_TRANSPORTS))}", exit_code=2
        )
    section: dict[str, Any] = {"transport": transport, "enabled": transport != "none"}
    if "@" in address:
        address, _, baud = address.rpartition("@")
        if not baud.isdigit():
            raise CommandError(f"--device {text!r}: the baud rate after @ must be a number", exit_code=2)
        section["baudrate"] = int(baud)
    if address:
        section["address"] = address
    return kind, section


def parse_broker(text: str, tls: bool) -> tuple[str, int]:
    """``host[:port]`` with the port defaulting to 8883 (TLS) or 1883."""
    host, sep, port = text.rpartition(":") if text.count(":") == 1 else (text, "", "")
    if sep and not port.isdigit():
        raise CommandError(f"--broker {text!r}: the port must be a number", exit_code=2)
    return host or text, int(port) if sep else (8883 if tls else 1883)


class _Asker:
    """Asks for missing values at a terminal; refuses (naming the flag) when nobody can answer."""

    def __init__(self, ctx: Context, allowed: bool) -> None:
        self._ctx = ctx
        self.can_ask = allowed and ctx.interactive

    def __call__(self, question: str, flag: str, default: str = "") -> str:
        if not self.can_ask:
            if default:
                return default
            raise CommandError(f"{flag} is needed (no terminal to ask at)", exit_code=2)
        shown = f" [{default}]" if default else ""
        while True:
            answer = self._ctx.ask(f"{question}{shown}: ").strip() or default
            if answer:
                return answer


def build_table(args: argparse.Namespace, ctx: Context, current: dict[str, Any]) -> dict[str, Any]:
    """The new config table: the current file, then the flags, then answers for what is still missing."""
    ask = _Asker(ctx, not args.non_interactive)
    t = {name: dict(section) for name, section in current.items()}
    kiosk = t.setdefault("kiosk", {})
    for key, value in (
        ("id", args.kiosk_id),
        ("hall_id", args.hall_id),
        ("hall_name", args.hall_name),
        ("hall_name_en", args.hall_name_en),
        ("location", args.location),
        ("hotline", args.hotline),
        ("language", args.language),
        ("mode", args.mode),
        ("data_dir", args.data_dir),
    ):
        if value is not None:
            kiosk[key] = value
    if "id" not in kiosk:
        kiosk["id"] = ask("Kiosk id (e.g. KSK-0001)", "--kiosk-id")
    if "hall_id" not in kiosk:
        kiosk["hall_id"] = ask("Hall id (e.g. ordos-kbs)", "--hall-id")
    # One rule (kiosk/ids.py): a topic level and the certificate's CN, never a name reserved for the hall.
    hall_identity = str(t.get("mqtt", {}).get("hall_identity", ids.DEFAULT_HALL_IDENTITY))
    try:
        ids.check_kiosk_id(str(kiosk["id"]), hall_identity=hall_identity)
        ids.check_id(str(kiosk["hall_id"]), "hall id")
    except ids.IdError as exc:
        raise CommandError(str(exc), exit_code=2) from None

    mqtt = t.setdefault("mqtt", {})
    tls = args.tls if args.tls is not None else bool(mqtt.get("tls", True))
    broker = args.broker
    if broker is None and "host" not in mqtt:
        broker = ask("Hall broker HOST[:PORT]", "--broker")
    if broker is not None:
        mqtt["host"], mqtt["port"] = parse_broker(broker, tls)
    mqtt["tls"] = tls
    if tls:
        pki = Path(args.pki_dir) if args.pki_dir else ctx.appliance_config_path.parent / "pki"
        for key, name in (("ca_file", "ca.crt"), ("cert_file", "kiosk.crt"), ("key_file", "kiosk.key")):
            if args.pki_dir or key not in mqtt:
                mqtt[key] = str(pki / name)

    if args.screen:
        t.setdefault("screen", {})["orientation"] = args.screen
    elif "orientation" not in t.get("screen", {}) and ask.can_ask:
        t.setdefault("screen", {})["orientation"] = ask(
            "Screen orientation (landscape/portrait)", "--screen", "landscape"
        )

    devices = t.setdefault("devices", {})
    given = dict(parse_device(d) for d in args.device)
    for kind in DeviceKind:
        if kind.value in given:
            devices[kind.value] = {**devices.get(kind.value, {}), **given[kind.value]}
        elif kind.value not in devices:
            spec = ask(f"{kind.value} TRANSPORT[:ADDRESS]", "--device", DEFAULT_DEVICES[kind.value])
            devices[kind.value] = parse_device(f"{kind.value}={spec}")[1]
    return t


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Write the config, then try the broker."""
    path = ctx.config_path
    table_ = build_table(args, ctx, read_table(path))
    try:
        refused = parse_config(table_, str(path)).mode_problems()  # fail before touching the file
    except ConfigError as exc:
        raise CommandError(str(exc), exit_code=2) from None
    if refused:
        raise CommandError(
            f"{'; '.join(refused)}. A kiosk on the citizens' floor runs real devices over TLS; "
            "for a bench or a demo say so: --mode lab (or demo)",
            exit_code=2,
        )
    config = write_config(
        path, table_, owner=ctx.owner(), note="Written by kiosk-provision init; see kiosk.example.toml"
    )
    broker: dict[str, str] = {"status": "skipped", "detail": "", "fix": ""}
    link = config.mqtt
    if args.no_broker_test:
        broker["detail"] = "not tried (--no-broker-test)"
    elif ctx.in_image:
        broker["detail"] = f"not tried: writing the config of the image in {ctx.root}"
    elif not link.enabled:
        broker["detail"] = "mqtt.enabled is false"
    elif link.tls and not all(p and ctx.host(p).is_file() for p in (link.ca_file, link.cert_file, link.key_file)):
        broker["detail"] = "no certificate yet"
        broker["fix"] = "kiosk-provision enroll"
    else:
        check = check_broker(config)
        broker = {"status": "pass" if check.ok else "fail", "detail": check.detail, "fix": check.fix}
    ok = broker["status"] != "fail"
    result = {
        "ok": ok,
        "config": str(path),
        "kiosk_id": config.kiosk.id,
        "hall_id": config.kiosk.hall_id,
        "broker": broker,
    }

    def human() -> str:
        lines = [f"wrote {path} (kiosk {config.kiosk.id}, hall {config.kiosk.hall_id})"]
        lines.append(
            table(
                ["check", "result", "detail", "fix"],
                [["broker", broker["status"].upper(), broker["detail"], broker["fix"]]],
            )
        )
        if link.tls and broker["status"] == "skipped" and broker["fix"]:
            lines.append("next: kiosk-provision enroll")
        return "\n".join(lines)

    ctx.output.emit(result, human)
    return 0 if ok else 1
