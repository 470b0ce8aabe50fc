"""Maintenance rules as data: the condition language, the default rules, the fault plan, the metrics snapshot."""

from __future__ import annotations

from collections import namedtuple
from pathlib import Path

import pytest

from kiosk.config import HealthRule, HealthSection, parse_config
from kiosk.devices import DeviceState, DeviceStatus
from kiosk.faults import FAULT_INFO, FaultCode, Severity
from kiosk.health import (
    EFFECT_NO_CERTIFICATES,
    EFFECT_ONSCREEN_RECEIPTS,
    EFFECT_STOP_SUBMISSIONS,
    EFFECT_TYPED_ID_ENTRY,
    HealthRules,
    RuleError,
    collect_metrics,
    compile_condition,
    default_rules,
    listed_faults,
    plan_faults,
)
from kiosk.shared_settings import MAINTENANCE_SETTING, UI_LIVENESS_SETTING
from kiosk.store import Store

Usage = namedtuple("Usage", "total used free")

METRICS = {
    "device": {
        "printer": {"state": "degraded", "faults": ["paper_near_end"], "usable": True},
        "id_reader": {"state": "ok", "faults": [], "usable": True},
    },
    "disk": {"free_pct": 42.5, "free_mb": 5000.0, "free_bytes": 5000.0 * 2**20},
    "outbox": {"depth": 3, "oldest_pending_age_s": 12.0},
    "ui": {"liveness_age_s": 2.0},
    "maintenance": {"on": False},
    "name": "KSK-1",
}


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("device.printer.faults contains paper_near_end", True),
        ("device.printer.faults contains paper_out", False),
        ("device.printer.state in [degraded, fault]", True),
        ("device.printer.state in ['ok']", False),
        ("disk.free_pct < 50", True),
        ("disk.free_pct < 42.5", False),
        ("disk.free_pct <= 42.5", True),
        ("disk.free_pct >= 42.6", False),
        ("outbox.depth == 3", True),
        ("outbox.depth != 3", False),
        ('name == "KSK-1"', True),
        ("maintenance.on", False),
        ("not maintenance.on", True),
        ("device.printer.usable == true", True),
        ("disk.free_pct < 10 or outbox.oldest_pending_age_s > 10", True),
        ("disk.free_pct < 10 or (outbox.depth > 1 and not ui.liveness_age_s > 30)", True),
        ("disk.free_pct < 50 and outbox.depth > 5", False),
        # Missing values never satisfy a comparison: a rule about a device the kiosk lacks stays quiet.
        ("device.dispenser.state == absent", False),
        ("device.dispenser.faults contains jam", False),
        ("not device.dispenser.state == ok", True),
        ("device.dispenser", False),
        # Ordering needs numbers on both sides.
        ("device.printer.state > 3", False),
    ],
)
def test_conditions_evaluate_over_the_metrics(condition: str, expected: bool) -> None:
    assert compile_condition(condition)(METRICS) is expected


@pytest.mark.parametrize(
    "condition",
    [
        "",
        "disk.free_pct <",
        "disk.free_pct < 10 and",
        "(disk.free_pct < 10",
        "disk.free_pct < abc",
        "x in 3",
        "__import__('os')",
        "a; b",
        "disk.free_pct < 10 10",
        "[1] == a",
        "a == [1, 2",
    ],
)
def test_bad_conditions_are_refused_when_compiled(condition: str) -> None:
    with pytest.raises(RuleError):
        compile_condition(condition)


def test_a_bad_rule_is_named_in_the_error() -> None:
    with pytest.raises(RuleError, match="'broken'"):
        HealthRules([HealthRule(id="broken", when="disk.free_pct <<", fault="disk_low")])


def test_default_rules_cover_the_maintenance_rules_with_configured_thresholds() -> None:
    rules = {r.id: r for r in default_rules(HealthSection(ui_stale_s=45, backlog_max_age_s=600, disk_min_free_pct=7))}
    assert rules["paper_near_end"].severity == "minor"
    assert (rules["paper_out"].severity, rules["paper_out"].effect) == ("major", EFFECT_ONSCREEN_RECEIPTS)
    assert (rules["id_reader_gone"].severity, rules["id_reader_gone"].effect) == ("major", EFFECT_TYPED_ID_ENTRY)
    assert rules["disk_low"].when == "disk.free_pct < 7" and rules["disk_low"].severity == "major"
    assert rules["backlog_old"].when == "outbox.oldest_pending_age_s > 600"
    assert (rules["ui_stale"].when, rules["ui_stale"].severity) == ("ui.liveness_age_s > 45", "critical")
    assert rules["disk_nearly_full"].effect == EFFECT_STOP_SUBMISSIONS


def _metrics(**over: object) -> dict:
    base = {
        "device": {"printer": {"state": "ok", "faults": []}, "id_reader": {"state": "ok", "faults": []}},
        "disk": {"free_pct": 50.0, "free_mb": 10_000.0},
        "outbox": {"depth": 0, "oldest_pending_age_s": 0.0},
        "ui": {"liveness_age_s": 1.0},
    }
    for path, value in over.items():
        *parents, leaf = path.split("__")
        node = base
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = value
    return base


@pytest.mark.parametrize(
    ("overrides", "fault", "severity", "effect"),
    [
        (
            {"device__printer__faults": ["paper_near_end"], "device__printer__state": "degraded"},
            ("paper_near_end", "printer"),
            "minor",
            None,
        ),
        (
            {"device__printer__faults": ["paper_out"], "device__printer__state": "fault"},
            ("paper_out", "printer"),
            "major",
            EFFECT_ONSCREEN_RECEIPTS,
        ),
        ({"device__id_reader__state": "absent"}, ("device_offline", "id_reader"), "major", EFFECT_TYPED_ID_ENTRY),
        ({"device__keypad__state": "absent"}, ("keypad_offline", "keypad"), "major", None),  # the kiosk serves on
        ({"disk__free_pct": 9.9}, ("disk_low", ""), "major", None),
        ({"disk__free_pct": 9.9, "disk__free_bytes": 150 << 20}, ("disk_low", ""), "critical", EFFECT_STOP_SUBMISSIONS),
        ({"outbox__oldest_pending_age_s": 3601.0}, ("backlog_old", ""), "major", None),
        ({"ui__liveness_age_s": 30.5}, ("ui_stale", ""), "critical", None),
    ],
)
def test_each_default_rule_raises_its_fault_and_effect(
    overrides: dict, fault: tuple, severity: str, effect: str | None
) -> None:
    report = HealthRules.from_config(HealthSection()).evaluate(_metrics(**overrides))
    assert report.active == {fault: severity}
    assert report.effects == (frozenset({effect}) if effect else frozenset())


@pytest.mark.parametrize(
    ("state", "faults", "active"),
    [
        ("fault", ["a4_paper_out"], {("a4_paper_out", "document_printer"): "major"}),
        ("fault", ["door_open"], {}),  # its fault comes from the printer's status; the rule adds only the effect
        ("absent", ["device_offline"], {}),
        ("disabled", [], {}),  # no A4 printer fitted
    ],
)
def test_an_a4_printer_that_cannot_print_takes_certificates_away(state: str, faults: list, active: dict) -> None:
    report = HealthRules.from_config(HealthSection()).evaluate(
        _metrics(device__document_printer__state=state, device__document_printer__faults=faults)
    )
    assert report.active == active and report.effects == {EFFECT_NO_CERTIFICATES}


@pytest.mark.parametrize(("state", "faults"), [("ok", []), ("degraded", ["toner_low"]), ("degraded", ["print_failed"])])
def test_an_a4_printer_that_can_print_keeps_certificates(state: str, faults: list) -> None:
    report = HealthRules.from_config(HealthSection()).evaluate(
        _metrics(device__document_printer__state=state, device__document_printer__faults=faults)
    )
    assert report.active == {} and report.effects == frozenset()


@pytest.mark.parametrize("state", ["ok", "disabled"])
def test_a_keypad_that_works_or_is_not_fitted_raises_nothing(state: str) -> None:
    report = HealthRules.from_config(HealthSection()).evaluate(_metrics(device__keypad__state=state))
    assert report.active == {} and report.effects == frozenset()


def test_a_missing_keypad_sends_a_technician_but_keeps_the_kiosk_serving() -> None:
    """keypad_offline is major (someone must come: blind citizens cannot use the kiosk) and switches nothing
    off for the others; the status the runner reports lists it itself, so the rule leaves it to the sink."""
    info = FAULT_INFO[FaultCode.KEYPAD_OFFLINE]
    assert info.severity == Severity.MAJOR and "keypad" in info.action_en and "键盘" in info.action_zh
    rules = HealthRules.from_config(HealthSection())
    gone = _metrics(device__keypad__state="absent", device__keypad__faults=["keypad_offline"])
    report = rules.evaluate(gone)
    assert report.active == {("keypad_offline", "keypad"): "major"} and report.effects == frozenset()
    assert plan_faults(report, [], previous=report, listed=listed_faults(gone)).raise_ == ()
    # A keypad whose driver could not be built is reported with the generic fault: the rule adds its own.
    unbuilt = _metrics(device__keypad__state="absent", device__keypad__faults=["device_offline"])
    plan = plan_faults(rules.evaluate(unbuilt), [], previous=rules.evaluate(unbuilt), listed=listed_faults(unbuilt))
    assert plan.raise_ == (("keypad_offline", "keypad", "major"),)


def test_a_healthy_kiosk_raises_nothing() -> None:
    report = HealthRules.from_config(HealthSection()).evaluate(_metrics())
    assert report.active == {} and report.effects == frozenset() and report.hits == ()


def test_rules_from_config_replace_the_defaults() -> None:
    cfg = parse_config(
        {
            "health": {
                "rules": [
                    {
                        "id": "tight_disk",
                        "when": "disk.free_pct < 60",
                        "fault": "disk_low",
                        "severity": "critical",
                        "effect": "stop_submissions",
                    }
                ]
            }
        }
    )
    rules = HealthRules.from_config(cfg.health)
    assert [r.id for r in rules.rules] == ["tight_disk"]
    report = rules.evaluate(_metrics(ui__liveness_age_s=999.0))  # no ui rule any more
    assert report.active == {("disk_low", ""): "critical"}
    assert report.effects == {"stop_submissions"}


Open = namedtuple("Open", "code device")


def test_plan_raises_new_faults_and_clears_only_rule_managed_ones() -> None:
    rules = HealthRules.from_config(HealthSection())
    report = rules.evaluate(_metrics(disk__free_pct=5.0))
    open_faults = [Open("backlog_old", ""), Open("cover_open", "printer"), Open("ui_stale", "")]
    plan = plan_faults(report, open_faults)
    assert plan.raise_ == (("disk_low", "", "major"),)
    # backlog_old and ui_stale no longer hold: cleared. cover_open belongs to the printer driver: left alone.
    assert plan.clear == (("backlog_old", ""), ("ui_stale", ""))
    assert plan_faults(report, [Open("disk_low", "")]).raise_ == ()


def test_a_rule_that_fails_at_runtime_does_not_stop_the_others() -> None:
    rules = HealthRules(
        [
            HealthRule(id="odd", when="device.printer.faults contains paper_out", fault="paper_out"),
            HealthRule(id="disk", when="disk.free_pct < 10", fault="disk_low", severity="major"),
        ]
    )
    metrics = _metrics(disk__free_pct=1.0)
    metrics["device"]["printer"]["faults"] = 5  # "contains" on a number: False, not an exception
    assert rules.evaluate(metrics).active == {("disk_low", ""): "major"}


def test_metrics_come_from_the_store_and_the_disk(tmp_path: Path) -> None:
    now = [1_000_000.0]
    store = Store(tmp_path / "kiosk.db", clock=lambda: now[0])
    store.set_device_status(DeviceStatus("printer", DeviceState.FAULT, frozenset({FaultCode.PAPER_OUT})))
    store.enqueue("submission", {"a": 1})
    now[0] += 100
    store.set_setting(UI_LIVENESS_SETTING, now[0] - 40)
    store.set_setting(MAINTENANCE_SETTING, {"on": True})
    usage = Usage(total=1000 * 2**20, used=950 * 2**20, free=50 * 2**20)  # MB in the config means MiB
    metrics = collect_metrics(
        store, now=now[0], data_dir=tmp_path, started_at=now[0] - 500, disk_usage=lambda _p: usage
    )
    assert metrics["device"]["printer"]["faults"] == ["paper_out"]
    assert metrics["device"]["printer"]["usable"] is False
    assert metrics["outbox"]["depth"] == 1 and metrics["outbox"]["oldest_pending_age_s"] == pytest.approx(100)
    assert metrics["disk"]["free_pct"] == pytest.approx(5.0) and metrics["disk"]["free_mb"] == pytest.approx(50)
    assert metrics["ui"]["liveness_age_s"] == pytest.approx(40)
    assert metrics["maintenance"]["on"] is True
    report = HealthRules.from_config(HealthSection()).evaluate(metrics)
    assert set(report.active) == {("paper_out", "printer"), ("disk_low", ""), ("ui_stale", "")}
    assert report.effects == {EFFECT_ONSCREEN_RECEIPTS, EFFECT_STOP_SUBMISSIONS}
    store.close()


def test_a_ui_that_never_reported_counts_as_stale_from_the_callers_start(tmp_path: Path) -> None:
    store = Store(tmp_path / "kiosk.db")
    usage = Usage(total=100, used=0, free=100)
    metrics = collect_metrics(store, now=5000.0, data_dir=tmp_path, started_at=4900.0, disk_usage=lambda _p: usage)
    assert metrics["ui"] == {"liveness_age_s": 100.0, "seen": False}
    store.close()


def test_plan_acts_only_when_two_reports_agree_and_leaves_device_listed_faults_to_their_sink() -> None:
    rules = HealthRules.from_config(HealthSection())
    healthy = rules.evaluate(_metrics())
    low = rules.evaluate(_metrics(disk__free_pct=5.0))
    # One low reading after a healthy one: not yet (a snapshot taken mid-change must not flap a fault).
    assert plan_faults(low, [], previous=healthy).raise_ == ()
    assert plan_faults(low, [], previous=low).raise_ == (("disk_low", "", "major"),)
    assert plan_faults(healthy, [Open("disk_low", "")], previous=low).clear == ()
    assert plan_faults(healthy, [Open("disk_low", "")], previous=healthy).clear == (("disk_low", ""),)
    # paper_out listed by the printer's own status: its status sink raises and clears it, the rules do not.
    out = _metrics(device__printer__faults=["paper_out"], device__printer__state="fault")
    report = rules.evaluate(out)
    assert listed_faults(out) == {("paper_out", "printer")}
    plan = plan_faults(report, [], previous=report, listed=listed_faults(out))
    assert plan.raise_ == () and report.effects == {EFFECT_ONSCREEN_RECEIPTS}
    cleared = plan_faults(healthy, [Open("paper_out", "printer")], previous=healthy, listed=listed_faults(out))
    assert cleared.clear == ()
