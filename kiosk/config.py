"""Kiosk configuration: one TOML file, validated on load into typed, frozen dataclasses.

Every key is declared once below, with its type and default. Loading fails with the file, the dotted key and
what was expected: an unknown key, a wrong type or a missing required value is never silently ignored.
Where the file is looked for: ``--config`` flag, else ``$KIOSK_CONFIG``, else ``/etc/kiosk/kiosk.toml``.
The settings the hall sent (``<data_dir>/hall-settings.toml``, only the keys of ``kiosk.hall_settings``) are laid
over it by :func:`load_config`.

``kiosk.mode`` is ``production`` unless the file says ``lab`` or ``demo``: a production kiosk refuses to run on
simulated devices or a plaintext hall link (:meth:`Config.mode_problems`; ``kiosk run``, ``kiosk-sync`` and
``kiosk-provision doctor`` apply it), since a file with only ``[kiosk]`` in it would otherwise mean both.
"""

from __future__ import annotations

import logging
import os
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

from kiosk import ids
from kiosk.languages import LANGUAGES
from kiosk.settings import DEVICE_TRANSPORTS as DEVICE_TRANSPORTS  # re-exported: devices are configured here
from kiosk.settings import DeviceSection, InvalidSetting, KeypadSection, VoiceSection
from kiosk.settings import check_choice as _check_choice
from kiosk.settings import check_range as _check_range

DEFAULT_PATH = Path("/etc/kiosk/kiosk.toml")
ENV_VAR = "KIOSK_CONFIG"
MODES = ("production", "lab", "demo")  # lab and demo allow simulators and a plaintext link
_META_FIELDS = frozenset({"source", "hall_settings", "hall_settings_error"})  # set by loading, not by the file

log = logging.getLogger(__name__)


class ConfigError(ValueError):
    """A config file that cannot be used: names the file, the key and what was expected."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        super().__init__(f"{source}: {key}: {problem}" if key else f"{source}: {problem}")
        self.source = source
        self.key = key
        self.problem = problem


_Invalid = InvalidSetting  # raised by a section's own checks; turned into ConfigError with the file name


def _check_nonempty(key: str, value: str) -> None:
    if not value.strip():
        raise _Invalid(key, "must not be empty")


def _check_id(key: str, value: str) -> None:
    try:
        ids.check_id(value, key)
    except ids.IdError as exc:
        raise _Invalid(key, str(exc)) from None


def _check_hhmm(key: str, value: str) -> None:
    parts = value.split(":")
    ok = len(parts) == 2 and all(p.isdigit() and len(p) == 2 for p in parts)
    if not ok or int(parts[0]) > 23 or int(parts[1]) > 59:
        raise _Invalid(key, f"expected a time HH:MM, got {value!r}")


def _check_date(key: str, value: str) -> None:
    import datetime as _dt

    try:
        _dt.date.fromisoformat(value)
    except ValueError:
        raise _Invalid(key, f"expected a date YYYY-MM-DD, got {value!r}") from None


MIB = 2**20  # "MB" in the config means MiB everywhere


@dataclass(frozen=True)
class KioskSection:
    """Who this kiosk is and where it keeps its data."""

    id: str = "KSK-DEMO-01"
    hall_id: str = "demo-hall"
    hall_name: str = "鄂尔多斯市政务服务中心（演示）"
    hall_name_en: str = "Ordos Government Service Center (demo)"
    hotline: str = "12345"
    location: str = "24小时自助服务区"
    location_en: str = "24-hour self-service area"
    data_dir: Path = Path("/var/lib/kiosk")
    language: str = "zh"  # zh | en | mn (kiosk.languages)
    mode: str = "production"  # production | lab | demo (simulators and plaintext only in lab and demo)
    position: int = 1  # this kiosk's place among the hall's kiosks: its share of offline queue numbers
    hall_kiosks: int = 1  # how many kiosks the hall has (kiosk.queue_numbers)

    def __post_init__(self) -> None:
        _check_choice("language", self.language, set(LANGUAGES))
        _check_choice("mode", self.mode, set(MODES))
        _check_nonempty("id", self.id)
        _check_id("id", self.id)  # a topic level and the certificate's CN: the rule of kiosk/ids.py
        _check_id("hall_id", self.hall_id)
        _check_range("hall_kiosks", self.hall_kiosks, 1, 99)
        _check_range("position", self.position, 1, self.hall_kiosks)


@dataclass(frozen=True)
class ScreenSection:
    """The touchscreen."""

    orientation: str = "landscape"  # landscape 1920x1080 | portrait 1080x1920
    fullscreen: bool = True
    width_mm: float = 477.0  # physical width of a 21.5" panel, for 15 mm touch targets
    elderly_scale: float = 1.5
    font_family: str = "Noto Sans CJK SC"

    def __post_init__(self) -> None:
        _check_choice("orientation", self.orientation, {"landscape", "portrait"})
        _check_range("elderly_scale", self.elderly_scale, 1.5, 3.0)


@dataclass(frozen=True)
class SessionSection:
    """Idle handling of a citizen's visit."""

    idle_timeout_s: float = 90.0
    warning_s: float = 20.0
    elderly_idle_timeout_s: float = 180.0

    def __post_init__(self) -> None:
        _check_range("idle_timeout_s", self.idle_timeout_s, 10, 3600)
        _check_range("warning_s", self.warning_s, 1, self.idle_timeout_s)
        _check_range("elderly_idle_timeout_s", self.elderly_idle_timeout_s, self.idle_timeout_s, 7200)


@dataclass(frozen=True)
class StoreSection:
    """The local SQLite store."""

    retention_hours: float = 72.0  # personal data kept this long after the hall confirmed it
    telemetry_limit: int = 10_000  # telemetry rows kept pending; oldest dropped past this
    min_free_mb: int = 200  # below this, no new citizen submissions are taken (MiB: 2**20 bytes)
    attachments_max_mb: int = 4096  # budget of photographed pages on disk; past it no new page is taken

    def __post_init__(self) -> None:
        _check_range("retention_hours", self.retention_hours, 0, 24 * 365)
        _check_range("telemetry_limit", self.telemetry_limit, 100, 10_000_000)
        _check_range("min_free_mb", self.min_free_mb, 0, 1_000_000)
        _check_range("attachments_max_mb", self.attachments_max_mb, 1, 10_000_000)

    @property
    def attachments_max_bytes(self) -> int:
        """The attachment budget in bytes."""
        return self.attachments_max_mb * MIB

    @property
    def min_free_bytes(self) -> int:
        """The free-space reserve in bytes: the one place ``min_free_mb`` becomes bytes (the store's refusal and
        the health rule's stop compare the same figure)."""
        return self.min_free_mb * MIB


@dataclass(frozen=True)
class AppointmentSection:
    """Window appointments (预约)."""

    lead_hours: float = 24.0
    days_ahead: int = 5  # working days
    slot_minutes: int = 60
    per_slot: int = 4
    cancel_hours: float = 2.0  # a booking can be cancelled at the kiosk until this long before it
    open: str = "09:00"
    close: str = "17:00"
    holidays: tuple[str, ...] = ()  # YYYY-MM-DD

    def __post_init__(self) -> None:
        _check_range("lead_hours", self.lead_hours, 0, 24 * 30)
        _check_range("days_ahead", self.days_ahead, 1, 60)
        _check_range("slot_minutes", self.slot_minutes, 10, 480)
        _check_range("per_slot", self.per_slot, 1, 1000)
        _check_range("cancel_hours", self.cancel_hours, 0, 24 * 30)
        _check_hhmm("open", self.open)
        _check_hhmm("close", self.close)
        for day in self.holidays:
            _check_date("holidays", day)


@dataclass(frozen=True)
class HallHoursSection:
    """When the hall's windows are open (queue tickets only then)."""

    open: str = "09:00"
    close: str = "17:00"
    weekdays: tuple[int, ...] = (1, 2, 3, 4, 5)  # ISO weekday numbers

    def __post_init__(self) -> None:
        _check_hhmm("open", self.open)
        _check_hhmm("close", self.close)
        for d in self.weekdays:
            _check_range("weekdays", d, 1, 7)


@dataclass(frozen=True)
class DevicesSection:
    """Every device kind of ``kiosk.devices.DeviceKind``."""

    printer: DeviceSection = field(default_factory=DeviceSection)
    id_reader: DeviceSection = field(default_factory=DeviceSection)
    sscard_reader: DeviceSection = field(default_factory=DeviceSection)
    dispenser: DeviceSection = field(default_factory=DeviceSection)
    scanner: DeviceSection = field(default_factory=DeviceSection)
    document_printer: DeviceSection = field(default_factory=DeviceSection)  # address: the CUPS queue
    camera: DeviceSection = field(default_factory=DeviceSection)
    keypad: KeypadSection = field(default_factory=KeypadSection)  # none unless fitted (its own checks)


@dataclass(frozen=True)
class MqttSection:
    """The link to the hall server."""

    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = 1883
    tls: bool = False
    ca_file: Path | None = None
    cert_file: Path | None = None
    key_file: Path | None = None
    topic_root: str = "gov/v1"
    keepalive_s: int = 30
    heartbeat_s: float = 60.0
    inflight: int = 100  # published but not yet acknowledged by the hall (the broker's Receive Maximum caps it)
    ack_timeout_s: float = 30.0
    retry_min_s: float = 1.0
    retry_max_s: float = 60.0
    chunk_kib: int = 256  # attachment chunk size (the broker's packet limit is 1 MiB; keep it <= 256)
    chunk_window: int = 8  # attachment chunks unacknowledged at once (bounds what a control message waits behind)
    hall_identity: str = ids.DEFAULT_HALL_IDENTITY  # the hall's identity; downlink must come "from" it
    hall_key_file: Path | None = None  # the hall's Ed25519 public key: config and catalog updates are signed

    def __post_init__(self) -> None:
        _check_id("hall_identity", self.hall_identity)
        _check_range("port", self.port, 1, 65535)
        _check_range("heartbeat_s", self.heartbeat_s, 1, 86400)
        _check_range("inflight", self.inflight, 1, 10_000)
        _check_range("chunk_kib", self.chunk_kib, 1, 256)
        _check_range("chunk_window", self.chunk_window, 1, 64)
        if self.tls and not (self.ca_file and self.cert_file and self.key_file):
            raise _Invalid("tls", "tls = true needs ca_file, cert_file and key_file")


@dataclass(frozen=True)
class OnlineSection:
    """Online requests (queries, certificates, progress, phone sign-in) answered by the hall: see kiosk/online."""

    request_timeout_s: float = 5.0  # a query, progress or sign-in answer must arrive within this
    certificate_timeout_s: float = 15.0  # a certificate (a PDF rendered by the hall) may take longer
    socket_path: Path | None = None  # where the sync agent listens for the screen process; None: <data_dir>/online.sock

    def __post_init__(self) -> None:
        _check_range("request_timeout_s", self.request_timeout_s, 0.5, 60)
        _check_range("certificate_timeout_s", self.certificate_timeout_s, 0.5, 120)


@dataclass(frozen=True)
class HealthRule:
    """A maintenance rule: when ``when`` holds, fault ``fault`` is raised with ``severity``."""

    id: str
    when: str  # evaluated by kiosk.health
    fault: str
    severity: str = "minor"
    device: str = ""
    effect: str = ""  # e.g. "onscreen_receipts", "typed_id_entry", "stop_submissions"

    def __post_init__(self) -> None:
        _check_choice("severity", self.severity, {"info", "minor", "major", "critical"})


@dataclass(frozen=True)
class HealthSection:
    """Maintenance rules; empty means the built-in defaults of ``kiosk.health``."""

    rules: tuple[HealthRule, ...] = ()
    ui_stale_s: float = 30.0
    backlog_max_age_s: float = 3600.0
    disk_min_free_pct: float = 10.0


@dataclass(frozen=True)
class MaintenanceSection:
    """Technician access on the kiosk."""

    pin_hash: str = ""  # "pbkdf2_sha256$iterations$salt$hash"; empty: maintenance screen disabled
    lockout_after: int = 5
    lockout_s: float = 300.0  # the first lock; each further one before a right PIN lasts twice as long
    lockout_max_s: float = 86_400.0
    max_failures_per_day: int = 20  # wrong PINs looked at in 24 hours, at most

    def __post_init__(self) -> None:
        _check_range("lockout_after", self.lockout_after, 1, 20)
        _check_range("lockout_s", self.lockout_s, 30, 86_400)
        _check_range("lockout_max_s", self.lockout_max_s, self.lockout_s, 7 * 86_400)
        _check_range("max_failures_per_day", self.max_failures_per_day, self.lockout_after, 1000)


@dataclass(frozen=True)
class UpdateSection:
    """Signed software updates (``kiosk-update``, a TUF repository published by the hall).

    An empty ``repository_url`` switches updates off. The kiosk fetches with its own certificate (mutual TLS).
    """

    repository_url: str = ""  # https://…/kiosk-updates: TUF metadata/ and targets/ below it
    check_interval_s: float = 3600.0  # the timer fires more often; a check runs when this much time has passed
    health_timeout_s: float = 300.0  # the new version must report healthy within this, else it is rolled back
    visit_wait_s: float = 900.0  # longest wait for the visit on screen to end before switching (else: next run)
    slot_root: Path = Path("/opt/kiosk")  # slots/a, slots/b and the ``current`` link the units start from
    state_dir: Path = Path("/var/lib/kiosk-update")  # TUF metadata cache, downloads, the updater's state
    trust_root: Path = Path("/etc/kiosk/update/root.json")  # the hall's TUF root (kiosk-update trust FILE)
    ca_file: Path = Path("/etc/kiosk/pki/ca.crt")
    cert_file: Path = Path("/etc/kiosk/pki/kiosk.crt")
    key_file: Path = Path("/etc/kiosk/pki/kiosk.key")

    def __post_init__(self) -> None:
        if self.repository_url and not self.repository_url.startswith("https://"):
            raise _Invalid("repository_url", f"expected an https:// URL, got {self.repository_url!r}")
        _check_range("check_interval_s", self.check_interval_s, 60, 30 * 86400)
        _check_range("health_timeout_s", self.health_timeout_s, 1, 86400)
        _check_range("visit_wait_s", self.visit_wait_s, 0, 86400)


@dataclass(frozen=True)
class Config:
    """The whole kiosk configuration."""

    kiosk: KioskSection = field(default_factory=KioskSection)
    screen: ScreenSection = field(default_factory=ScreenSection)
    session: SessionSection = field(default_factory=SessionSection)
    store: StoreSection = field(default_factory=StoreSection)
    appointment: AppointmentSection = field(default_factory=AppointmentSection)
    hall_hours: HallHoursSection = field(default_factory=HallHoursSection)
    devices: DevicesSection = field(default_factory=DevicesSection)
    mqtt: MqttSection = field(default_factory=MqttSection)
    health: HealthSection = field(default_factory=HealthSection)
    maintenance: MaintenanceSection = field(default_factory=MaintenanceSection)
    update: UpdateSection = field(default_factory=UpdateSection)
    online: OnlineSection = field(default_factory=OnlineSection)
    voice: VoiceSection = field(default_factory=VoiceSection)
    source: str = "<defaults>"
    hall_settings: str = ""  # the hall-settings file laid over the config, if one was
    hall_settings_error: str = ""  # why a hall-settings file there was ignored

    def __post_init__(self) -> None:
        # The kiosk's id must not be a name the broker would give the hall's rights (kiosk/ids.py).
        reason = ids.reserved_reason(self.kiosk.id, (self.mqtt.hall_identity,))
        if reason:
            raise _Invalid("kiosk.id", reason)

    def mode_problems(self) -> list[str]:
        """Why this config cannot run as a production kiosk (empty in lab and demo mode, or when it can)."""
        if self.kiosk.mode != "production":
            return []
        problems = [
            f"devices.{f.name}.transport = \"simulator\": a simulated device in production"
            for f in fields(DevicesSection)
            if getattr(self.devices, f.name).enabled and getattr(self.devices, f.name).transport == "simulator"
        ]
        if self.mqtt.enabled and not self.mqtt.tls:
            problems.append("mqtt.tls = false: the hall link without TLS in production")
        return problems

    @property
    def db_path(self) -> Path:
        """The SQLite database shared by the UI process and the sync agent."""
        return self.kiosk.data_dir / "kiosk.db"

    @property
    def online_socket(self) -> Path:
        """The Unix socket the sync agent serves online requests on (the screen process connects to it)."""
        return self.online.socket_path or self.kiosk.data_dir / "online.sock"


def _describe(tp: Any) -> str:
    """A human name for a type annotation."""
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        return " or ".join(_describe(a) for a in typing.get_args(tp))
    if origin is tuple:
        return f"a list of {_describe(typing.get_args(tp)[0])}"
    if origin is dict:
        return "a table of strings"
    if tp is type(None):
        return "nothing"
    if is_dataclass(tp):
        return "a table"
    return {str: "a string", int: "an integer", float: "a number", bool: "true or false", Path: "a path"}.get(
        tp, str(tp)
    )


def _convert(tp: Any, value: Any, key: str) -> Any:
    """Check ``value`` against annotation ``tp`` and convert it (tables to dataclasses, lists to tuples)."""
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        for arg in typing.get_args(tp):
            try:
                return _convert(arg, value, key)
            except _Invalid:
                continue
        raise _Invalid(key, f"expected {_describe(tp)}, got {value!r}")
    if origin is tuple:
        if not isinstance(value, list):
            raise _Invalid(key, f"expected {_describe(tp)}, got {value!r}")
        item = typing.get_args(tp)[0]
        return tuple(_convert(item, v, f"{key}[{i}]") for i, v in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise _Invalid(key, f"expected {_describe(tp)}, got {value!r}")
        return dict(value)
    if is_dataclass(tp):
        if not isinstance(value, Mapping):
            raise _Invalid(key, f"expected a table, got {value!r}")
        return _build(tp, value, key)
    if tp is type(None):
        raise _Invalid(key, "no value allowed")
    if tp is bool:
        if not isinstance(value, bool):
            raise _Invalid(key, f"expected true or false, got {value!r}")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Invalid(key, f"expected an integer, got {value!r}")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _Invalid(key, f"expected a number, got {value!r}")
        return float(value)
    if tp is str:
        if not isinstance(value, str):
            raise _Invalid(key, f"expected a string, got {value!r}")
        return value
    if tp is Path:
        if not isinstance(value, str) or not value:
            raise _Invalid(key, f"expected a path, got {value!r}")
        return Path(value)
    raise _Invalid(key, f"unsupported type {tp!r}")  # a programming error in this module


# Sections that moved, with where they are now: a config written for an older release is told where to put them.
_MOVED = {"keypad": "[devices.keypad] (the keypad is a device like the others since it reports its health)"}


def _build(cls: type, table: Mapping[str, Any], prefix: str) -> Any:
    """Build dataclass ``cls`` from a TOML table, rejecting unknown keys and filling defaults."""
    hints = typing.get_type_hints(cls)
    known = {f.name for f in fields(cls) if f.name not in _META_FIELDS}
    for name in table:
        if name not in known:
            key = _join(prefix, name)
            if key in _MOVED:
                raise _Invalid(key, f"this section moved to {_MOVED[key]}")
            raise _Invalid(key, f"unknown key (known: {', '.join(sorted(known))})")
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.name in _META_FIELDS:
            continue
        key = _join(prefix, f.name)
        if f.name in table:
            kwargs[f.name] = _convert(hints[f.name], table[f.name], key)
        elif f.default is MISSING and f.default_factory is MISSING:
            raise _Invalid(key, f"missing required value ({_describe(hints[f.name])})")
    try:
        return cls(**kwargs)
    except _Invalid as exc:
        # Section checks name their own field; put the section's path in front.
        raise _Invalid(_join(prefix, exc.key), exc.problem) from None


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def parse_config(table: Mapping[str, Any], source: str = "<memory>") -> Config:
    """Validate a parsed TOML table into a :class:`Config`; raises :class:`ConfigError`."""
    try:
        config = _build(Config, table, "")
    except _Invalid as exc:
        raise ConfigError(source, exc.key, exc.problem) from None
    return _with_source(config, source)


def _with_source(config: Config, source: str) -> Config:
    import dataclasses

    return dataclasses.replace(config, source=source)


def config_path(flag: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None) -> Path:
    """Where to read the config: the flag, else ``$KIOSK_CONFIG``, else ``/etc/kiosk/kiosk.toml``."""
    env = os.environ if env is None else env
    if flag:
        return Path(flag)
    if env.get(ENV_VAR):
        return Path(env[ENV_VAR])
    return DEFAULT_PATH


def read_toml(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The TOML file at ``path`` as a table; :class:`ConfigError` naming the file if it cannot be read."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ConfigError(str(p), "", f"cannot read: {exc.strerror or exc}") from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(str(p), "", f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(p), "", f"not valid TOML: {exc}") from None


def load_config(path: str | os.PathLike[str], *, hall_settings: bool = True) -> Config:
    """Read and validate the TOML file at ``path``; raises :class:`ConfigError` naming the file.

    With ``hall_settings`` the hall's settings (``<data_dir>/hall-settings.toml``) are laid over it; a
    hall-settings file that is not allowed or does not fit is ignored with a warning
    (``Config.hall_settings_error``), never a reason not to start."""
    table = read_toml(path)
    config = parse_config(table, str(path))
    if not hall_settings:
        return config
    return _with_hall_settings(config, table, str(path))


def _with_hall_settings(config: Config, table: Mapping[str, Any], source: str) -> Config:
    import dataclasses

    from kiosk.hall_settings import HALL_SETTINGS_FILE, HallSettingError, check_hall_settings, merge

    layer_path = config.kiosk.data_dir / HALL_SETTINGS_FILE
    try:
        layer_path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return config  # the hall has sent no settings (yet)
    except OSError:
        pass  # reading it below says why it cannot be used
    try:
        layer = read_toml(layer_path)
        check_hall_settings(layer)
        return dataclasses.replace(
            parse_config(merge(table, layer), f"{source} + {layer_path}"), hall_settings=str(layer_path)
        )
    except (ConfigError, HallSettingError) as exc:
        log.warning("ignoring the hall's settings %s: %s", layer_path, exc)
        return dataclasses.replace(config, hall_settings_error=f"{layer_path}: {exc}")


def demo_config(data_dir: Path, **sections: Mapping[str, Any]) -> Config:
    """A demo kiosk on simulated devices keeping its data in ``data_dir`` (sections override defaults)."""
    table: dict[str, Any] = {"kiosk": {"data_dir": str(data_dir), "mode": "demo"}}
    for name, values in sections.items():
        table.setdefault(name, {}).update(values)
    return parse_config(table, "<demo>")


def example_config_path() -> Path:
    """The commented example config shipped with the package."""
    return Path(__file__).with_name("data") / "kiosk.example.toml"
