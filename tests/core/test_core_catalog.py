"""The catalog: the shipped data against seed 004 Appendix A, validation of broken catalogs, atomic install."""

from __future__ import annotations

import copy
import json
import logging
import os
import re
import signal
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

import kiosk.catalog as catalog_module
import kiosk.catalog.validation as validation_module
from kiosk.appointments import CHINA_TZ
from kiosk.catalog import (
    ASSURANCES,
    FIELD_KINDS,
    PREFILL_NAMES,
    Bundle,
    Catalog,
    CatalogError,
    CatalogRepository,
    Choice,
    FieldSpec,
    Material,
    Notice,
    Service,
    Text,
    bundle_assurance,
    bundle_services,
    load_catalog,
    needs_hall,
    parse_catalog,
    parse_catalog_bytes,
    schema_path,
    shipped_catalog_path,
    standalone_services,
    strictest_assurance,
)
from kiosk.config import Config
from kiosk.demo import sample_identity
from kiosk.forms import merge_forms
from kiosk.identity import identity_from_id_number, identity_from_signin
from kiosk.store import Store
from kiosk.visit.session import Session, SessionError, SessionSettings, Step

REPO_ROOT = Path(__file__).resolve().parents[2]
# Verbatim excerpts of the standards, kept in the repository (tests/data/README.md names their sources).
SEEDS = REPO_ROOT / "tests" / "data" / "seeds"
FOUR_DEPARTMENTS = {"justice": "司法", "tax": "税务", "medical_insurance": "医保", "human_resources": "人社"}


# ---------------------------------------------------------------------------------------------- the seed


@dataclass(frozen=True)
class SeedBundle:
    number: int
    name: str
    items: list[str]
    materials: list[str]


def _numbered(lines: list[str]) -> list[str]:
    """'1. xxx', '2. yyy' -> ['xxx', 'yyy']; the numbers must run 1, 2, 3... or the table was misread."""
    out = []
    for i, line in enumerate(lines, start=1):
        m = re.fullmatch(r"(\d+)\.\s*(.+)", line)
        assert m and int(m.group(1)) == i, f"unexpected line in table A.1: {line!r}"
        out.append(m.group(2))
    return out


def appendix_a() -> list[SeedBundle]:
    """Table A.1 of seed 004: each row is a blank line, then cells that start with a tab."""
    text = (SEEDS / "004-appendix-a.txt").read_text(encoding="utf-8")
    table = text[text.index("表A.1  高效办成一件事重点事项清单") :]  # the excerpt ends with the table
    rows = []
    for block in table.split("\n\n")[1:]:  # the first block is the title and the header row
        cells: list[list[str]] = []
        for line in block.splitlines():
            if line.startswith("\t"):
                cells.append([])
            if cells and line.strip():
                cells[-1].append(line.strip())
        if cells:
            number, name, items, materials = [*cells, []][:4]
            rows.append(SeedBundle(int(number[0]), name[0], _numbered(items), _numbered(materials)))
    return rows


@pytest.fixture(scope="module")
def seed() -> list[SeedBundle]:
    return appendix_a()


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return load_catalog(shipped_catalog_path())


def _texts(value: Any, where: str = "catalog") -> list[tuple[str, Text]]:
    """Every Text inside ``value`` with where it sits."""
    if isinstance(value, Text):
        return [(where, value)]
    if is_dataclass(value):
        return [t for f in fields(value) for t in _texts(getattr(value, f.name), f"{where}.{f.name}")]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in _texts(v, f"{where}.{k}")]
    if isinstance(value, tuple | list):
        return [t for i, v in enumerate(value) for t in _texts(v, f"{where}[{i}]")]
    return []


# ---------------------------------------------------------------------------------------------- shipped data


def test_seed_table_has_twenty_rows(seed):
    assert [b.number for b in seed] == list(range(1, 21))
    assert seed[0].name == "新生儿出生" and len(seed[0].items) == 7 and len(seed[0].materials) == 5
    assert seed[19].name == "企业破产信息核查" and len(seed[19].items) == 9


def test_shipped_catalog_is_the_packaged_file(shipped):
    assert shipped_catalog_path().is_file() and shipped_catalog_path().parent.name == "data"
    assert json.loads(shipped_catalog_path().read_bytes())["schema"] == catalog_module.SCHEMA_VERSION
    assert re.fullmatch(r"\d{4}\.\d+\.\d+", shipped.version)


def test_shipped_bundles_are_appendix_a_verbatim(shipped, seed):
    bundles = sorted(shipped.bundles.values(), key=lambda b: b.number)
    assert [(b.number, b.name.zh) for b in bundles] == [(s.number, s.name) for s in seed]
    for bundle, row in zip(bundles, seed, strict=True):
        assert [s.name.zh for s in bundle_services(shipped, bundle.id)] == row.items, bundle.id
        assert [m.name.zh for m in bundle.materials] == row.materials, bundle.id
        assert all(m.name.en.strip() for m in bundle.materials), bundle.id


def test_bundle_items_are_services_only_inside_bundles_unless_also_single(shipped):
    in_bundles = {sid for b in shipped.bundles.values() for sid in b.services}
    singles = {s.id for s in standalone_services(shipped)}
    assert all(s.id in in_bundles | singles for s in shipped.services.values())
    assert in_bundles & singles == {"employment_registration", "sscard_application", "flexible_si_declaration"}


def test_the_four_departments_of_seed_002_offer_single_services(shipped):
    path = SEEDS / "002-section-4.txt"
    assert "整合司法、税务、医保、人社等部门的自助设备" in path.read_text(encoding="utf-8")
    for key, zh in FOUR_DEPARTMENTS.items():
        assert shipped.departments[key].zh == zh
        singles = standalone_services(shipped, key)
        assert len(singles) >= 3, key
        assert all(s.department == key and s.standalone for s in singles)


def test_every_service_has_a_complete_one_time_notice(shipped):
    for service in shipped.services.values():
        notice = service.notice
        assert notice.materials and notice.basis, service.id
        for text in (notice.conditions, notice.time_limit, notice.fee, notice.result, *notice.basis):
            assert text.zh.strip() and text.en.strip(), service.id
        assert all(b.zh.startswith("《") for b in notice.basis), service.id


def test_every_text_has_both_languages(shipped):
    missing = [where for where, t in _texts(shipped) if not (t.zh.strip() and t.en.strip())]
    # Bundle summaries are optional in the model, but the shipped ones are all written.
    assert missing == []


def test_printed_documents_come_from_live_data(shipped):
    printing = [s for s in shipped.services.values() if s.prints_document]
    assert {"si_certificate_print", "iit_record_print", "mi_enrollment_certificate_print"} <= {s.id for s in printing}
    assert all(s.online_only for s in printing)
    # Applications that are queued for the hall need not wait for it.
    for sid in ("legal_aid_application", "mediation_application", "employment_registration", "sscard_application"):
        assert not shipped.services[sid].online_only, sid


def test_needs_hall_for_services_and_bundles(shipped):
    assert needs_hall(shipped, "mi_cross_region_filing") is True
    assert needs_hall(shipped, "notary_consultation") is False
    assert needs_hall(shipped, "newborn") is True  # the premium is paid online
    assert needs_hall(shipped, "flexible_employment") is False
    with pytest.raises(KeyError):
        needs_hall(shipped, "no_such_thing")
    with pytest.raises(KeyError):
        bundle_services(shipped, "mi_cross_region_filing")


def test_every_bundle_merges_into_one_form(shipped):
    for bundle in shipped.bundles.values():
        form = merge_forms(bundle_services(shipped, bundle.id))
        assert form.fields, bundle.id


def test_newborn_bundle_merges_to_one_realistic_form(shipped):
    services = bundle_services(shipped, "newborn")
    form = merge_forms(services)
    asked = Counter(spec.key for s in services for spec in s.fields)
    assert len(services) == 7
    assert sum(asked.values()) > len(form.fields) + 20  # most questions are shared, asked once
    assert {"child_name", "child_sex", "child_birth_date", "applicant_name", "applicant_id_number", "phone",
            "spouse_name", "spouse_id_number", "birth_certificate_number"} <= set(form.keys)
    assert asked["child_name"] == 7 and asked["applicant_id_number"] == 7
    assert form.field("applicant_id_number").prefill == "id_number"
    assert form.field("applicant_name").prefill == "name"
    assert "child_id_number" not in form.keys  # the baby gets its number during this very bundle


def test_shared_field_keys_mean_the_same_everywhere(shipped):
    expected = {"applicant_name": ("name", "name"), "applicant_id_number": ("id_number", "id_number"),
                "applicant_sex": ("choice", "sex"), "applicant_birth_date": ("date", "birth_date"),
                "applicant_address": ("address", "address"), "phone": ("phone", None)}
    for service in shipped.services.values():
        for spec in service.fields:
            if spec.key in expected:
                assert (spec.kind, spec.prefill) == expected[spec.key], (service.id, spec.key)


# ---------------------------------------------------------------------------------------------- validation


def _t(zh: str) -> dict:
    return {"zh": zh, "en": zh.upper()}


def minimal() -> dict:
    """A small valid catalog: two services of two departments and one bundle of both."""
    notice = {"materials": [{"name": _t("id card")}], "basis": [_t("law")], "conditions": _t("anyone"),
              "time_limit": _t("now"), "fee": _t("free"), "result": _t("paper")}
    name = {"key": "applicant_name", "label": _t("name"), "kind": "name", "prefill": "name"}
    year = {"key": "year", "label": _t("year"), "kind": "choice",
            "choices": [{"value": "2025", "label": _t("2025")}, {"value": "2026", "label": _t("2026")}]}
    phone = {"key": "phone", "label": _t("phone"), "kind": "phone", "pattern": r"1\d{10}", "max_length": 11}
    return {
        "schema": 1,
        "version": "test.1",
        "departments": {"tax": _t("tax"), "justice": _t("justice")},
        "services": [
            {"id": "svc_a", "name": _t("a"), "department": "tax", "notice": notice, "fields": [name, year, phone],
             "online_only": True, "standalone": True, "prints_document": True, "assurance": "phone_code",
             "query": False},
            {"id": "svc_b", "name": _t("b"), "department": "justice", "notice": copy.deepcopy(notice),
             "fields": [copy.deepcopy(name), copy.deepcopy(phone)], "online_only": False, "standalone": False,
             "prints_document": False, "assurance": "card", "query": False},
        ],
        "bundles": [{"id": "both", "number": 1, "name": _t("both"), "services": ["svc_a", "svc_b"],
                     "materials": [{"name": _t("form"), "copies": 2, "original": False}]}],
    }


def _set(path: str, value: Any):
    """A mutation that sets ``path`` (dot/index notation, e.g. ``services.0.fields.1.kind``) to ``value``."""

    def mutate(doc: dict) -> None:
        *parents, last = path.split(".")
        target: Any = doc
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        elif value is _DELETE:
            del target[last]
        else:
            target[last] = value

    return mutate


_DELETE = object()


def _append_service_copy(doc: dict) -> None:
    doc["services"].append(copy.deepcopy(doc["services"][0]))


def _duplicate_field(doc: dict) -> None:
    doc["services"][0]["fields"].append(copy.deepcopy(doc["services"][0]["fields"][2]))


def _add_bundle(**changes: Any):
    def mutate(doc: dict) -> None:
        doc["bundles"].append({**copy.deepcopy(doc["bundles"][0]), "id": "other", "number": 2, **changes})

    return mutate


BROKEN = [
    ("schema too new", _set("schema", 2), "catalog.schema: expected 1, got 2"),
    ("schema missing", _set("schema", _DELETE), "missing required field 'schema'"),
    ("schema as text", _set("schema", "1"), "catalog.schema: expected an integer, got a string"),
    ("schema as bool", _set("schema", True), "expected an integer, got true or false"),
    ("empty version", _set("version", " "), "catalog.version: must not be empty"),
    ("typo in a top-level key", lambda d: d.update(servces=[]), "unknown field(s) servces"),
    ("no departments", _set("departments", {}), "catalog.departments: must not be empty"),
    ("department key not an id", lambda d: d["departments"].update({"Tax Office": _t("x")}), "is not an id"),
    ("services not a list", _set("services", {}), "catalog.services: expected a list, got an object"),
    ("service without notice", _set("services.0.notice", _DELETE), "services[0] (svc_a): missing required "
     "field 'notice'"),
    ("service id not a slug", _set("services.0.id", "Svc-A"), "'Svc-A' is not an id"),
    ("duplicate service id", _append_service_copy, "service id 'svc_a' appears twice"),
    ("unknown department", _set("services.1.department", "nowhere"), "'nowhere' is not a key of 'departments'"),
    ("online_only as text", _set("services.0.online_only", "yes"), "online_only: expected true or false"),
    ("flag missing", _set("services.1.standalone", _DELETE), "missing required field 'standalone'"),
    ("typo in a service key", lambda d: d["services"][0].update(onlineonly=True), "unknown field(s) onlineonly"),
    ("no materials", _set("services.0.notice.materials", []), "notice.materials: must not be empty"),
    ("no legal basis", _set("services.0.notice.basis", []), "notice.basis: must not be empty"),
    ("empty fee", _set("services.0.notice.fee", {"zh": "", "en": "free"}), "notice.fee.zh: must not be empty"),
    ("text without en", _set("services.0.name", {"zh": "甲"}), "missing required field 'en'"),
    ("text as string", _set("services.0.name", "甲"), "services[0] (svc_a).name: expected an object"),
    ("unknown field kind", _set("services.0.fields.0.kind", "telephone"), "'telephone' is not one of"),
    ("choice without choices", _set("services.0.fields.1.choices", _DELETE), "a choice field needs 'choices'"),
    ("choice with empty choices", _set("services.0.fields.1.choices", []), "choices: must not be empty"),
    ("choices on a text field", _set("services.0.fields.0.choices", [{"value": "x", "label": _t("x")}]),
     "only choice fields have choices"),
    ("duplicate choice value", _set("services.0.fields.1.choices.1.value", "2025"), "choice value '2025' appears"),
    ("empty choice value", _set("services.0.fields.1.choices.0.value", ""), "value: must not be empty"),
    ("unknown prefill", _set("services.0.fields.0.prefill", "surname"), "'surname' is not one of"),
    ("bad regex", _set("services.0.fields.2.pattern", "1[0-9"), "fields[2] (phone).pattern: not a valid regular"),
    ("ReDoS regex", _set("services.0.fields.2.pattern", "(a+)+$"), "fields[2] (phone).pattern: a repeated part"),
    ("zero max_length", _set("services.0.fields.2.max_length", 0), "max_length: expected at least 1, got 0"),
    ("field key not a slug", _set("services.0.fields.0.key", "applicant name"), "is not an id"),
    ("duplicate field key", _duplicate_field, "field key 'phone' appears twice"),
    ("one key, two kinds", _set("services.1.fields.1.kind", "text"), "kind 'text' differs from 'phone'"),
    ("one key, two patterns", _set("services.1.fields.1.pattern", r"\d+"), "pattern '\\\\d+' differs from"),
    ("material copies as bool", _set("bundles.0.materials.0.copies", True), "expected an integer, got true or "
     "false"),
    ("material copies zero", _set("bundles.0.materials.0.copies", 0), "copies: expected at least 1"),
    ("bundle of an unknown service", _set("bundles.0.services.1", "ghost"), "services[1]: no service with id "
     "'ghost'"),
    ("bundle without services", _set("bundles.0.services", []), "services: must not be empty"),
    ("bundle lists a service twice", _set("bundles.0.services.1", "svc_a"), "service 'svc_a' appears twice"),
    ("bundle number zero", _set("bundles.0.number", 0), "number: expected at least 1"),
    ("bundle number reused", _add_bundle(number=1), "bundle number 1 appears twice"),
    ("bundle id of a service", _add_bundle(id="svc_b"), "id (services and bundles share ids) 'svc_b'"),
    ("extras not text", lambda d: d.update(extras={"region": 150602}), "catalog.extras.region: expected a string"),
    ("assurance missing", _set("services.0.assurance", _DELETE), "missing required field 'assurance'"),
    ("unknown assurance", _set("services.0.assurance", "face"), "'face' is not one of"),
    ("typed for a printed document", _set("services.0.assurance", "typed"), "services[0] (svc_a).assurance: 'typed' "
     "is only for a query about no one"),
    ("typed for an application", _set("services.1.assurance", "typed"), "a typed ID number may not query, print or "
     "submit a personal application"),
    ("query that prints", _set("services.0.query", True), "services[0] (svc_a).query: a query is online_only and "
     "prints no document"),
    ("query offline", _set("services.1.query", True), "services[1] (svc_b).query: a query is online_only"),
]


@pytest.mark.parametrize(("mutate", "expected"), [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN])
def test_broken_catalog_is_refused_with_the_reason(mutate, expected):
    doc = minimal()
    mutate(doc)
    with pytest.raises(CatalogError) as caught:
        parse_catalog(doc)
    assert expected in str(caught.value)


def test_a_typed_number_reaches_nobody_s_records_in_the_shipped_catalog(shipped):
    """Issue 10 point 7: a typed ID number may book, take a ticket, read notices and report, but never query,
    print or submit a personal application; only the public directory search asks for no more."""
    typed = {s.id for s in shipped.services.values() if s.assurance == "typed"}
    assert typed == {"legal_service_search"}
    for service in shipped.services.values():
        assert service.assurance in ASSURANCES, service.id
        if service.prints_document or any(f.prefill for f in service.fields):
            assert service.assurance in ("phone_code", "card"), service.id
    queries = {s.id for s in shipped.services.values() if s.query}
    assert {"mi_enrollment_query", "mi_account_query", "si_payment_query", "legal_service_search"} <= queries
    assert all(shipped.services[q].online_only and not shipped.services[q].prints_document for q in queries)
    # Property transfers want the card itself; a bundle asks the strictest of its services.
    assert shipped.services["house_transfer_registration"].assurance == "card"
    assert bundle_assurance(shipped, "home_resale_transfer") == "card"
    assert bundle_assurance(shipped, "newborn") == "phone_code"
    assert strictest_assurance([]) == "typed"


def test_assurance_of_identities_against_services():
    card = sample_identity()
    typed = identity_from_id_number(card.id_number)
    phone = identity_from_signin(card.name, card.id_number)
    sscard = replace(card, source="sscard")
    assert [card.assurance, sscard.assurance, phone.assurance, typed.assurance] == [
        "card", "sscard", "phone_code", "typed"]
    assert [i.satisfies("card") for i in (card, sscard, phone, typed)] == [True, True, False, False]
    assert [i.satisfies("phone_code") for i in (card, sscard, phone, typed)] == [True, True, True, False]
    assert all(i.satisfies("typed") for i in (card, sscard, phone, typed))
    assert phone.name == card.name and phone.birth_date == card.birth_date and phone.address == ""
    assert "王晓丽" not in repr(phone)


def test_minimal_catalog_parses_with_defaults():
    cat = parse_catalog(minimal())
    assert list(cat.services) == ["svc_a", "svc_b"] and cat.extras == {}
    assert cat.services["svc_a"].fields[1].choices[1].value == "2026"
    assert cat.services["svc_a"].fields[0].required is True
    assert cat.bundles["both"].materials[0].copies == 2 and cat.bundles["both"].summary == Text("", "")
    assert needs_hall(cat, "both") is True and needs_hall(cat, "svc_b") is False
    assert [s.id for s in standalone_services(cat)] == ["svc_a"]
    assert standalone_services(cat, "justice") == []


def test_error_names_entry_and_field():
    doc = minimal()
    doc["services"][1]["fields"][0]["kind"] = "surname"
    with pytest.raises(CatalogError) as caught:
        parse_catalog(doc)
    assert caught.value.where == "services[1] (svc_b).fields[0] (applicant_name).kind"
    assert caught.value.problem.startswith("'surname' is not one of address, choice, date")


BAD_BYTES = [
    ("not utf-8", json.dumps({**minimal(), "version": "二〇二六"}, ensure_ascii=False).encode("gb18030"),
     "not UTF-8 text"),
    ("truncated json", json.dumps(minimal()).encode()[:-10], "not valid JSON"),
    ("top level list", b"[]", "catalog: expected an object, got a list"),
    ("duplicate key", b'{"schema": 1, "schema": 1}', "JSON object key 'schema' appears twice"),
    ("NaN", b'{"schema": NaN}', "NaN is not valid JSON"),
    ("deep nesting", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ("empty", b"", "not valid JSON"),
]


@pytest.mark.parametrize(("raw", "expected"), [c[1:] for c in BAD_BYTES], ids=[c[0] for c in BAD_BYTES])
def test_bad_bytes_are_refused_with_the_reason(raw, expected):
    with pytest.raises(CatalogError) as caught:
        parse_catalog_bytes(raw)
    assert expected in str(caught.value)


def test_oversized_catalog_is_refused(monkeypatch):
    raw = json.dumps(minimal()).encode()
    monkeypatch.setattr(validation_module, "MAX_CATALOG_BYTES", len(raw) - 1)
    with pytest.raises(CatalogError, match="more than the limit"):
        parse_catalog_bytes(raw)


def test_unreadable_file_is_a_catalog_error(tmp_path):
    with pytest.raises(CatalogError, match="cannot read the file"):
        load_catalog(tmp_path / "missing.json")


# ---------------------------------------------------------------------------------------------- repository


def _raw(version: str) -> bytes:
    doc = minimal()
    doc["version"] = version
    return json.dumps(doc, ensure_ascii=False, indent=1).encode()


@pytest.fixture
def shipped_file(tmp_path) -> Path:
    path = tmp_path / "shipped.json"
    path.write_bytes(_raw("shipped.1"))
    return path


@pytest.fixture
def repo(tmp_path, shipped_file) -> CatalogRepository:
    return CatalogRepository(tmp_path / "data", shipped=shipped_file)


def _leftovers(repo: CatalogRepository) -> list[str]:
    return sorted(p.name for p in repo.directory.iterdir() if p.name.endswith(".tmp"))


def test_without_an_installed_catalog_the_shipped_one_is_active(repo):
    assert repo.active().version == "shipped.1"
    assert not repo.active_path.exists()


def test_default_repository_uses_the_packaged_catalog(tmp_path, shipped):
    assert CatalogRepository(tmp_path).active().version == shipped.version


def test_install_replaces_and_survives_a_new_repository(repo, tmp_path, shipped_file):
    installed = repo.install(_raw("hall.1"))
    assert installed.version == "hall.1" and repo.active().version == "hall.1"
    assert repo.active_path.read_bytes() == _raw("hall.1")
    assert not repo.previous_path.exists()  # the shipped one was active; it stays in the package
    repo.install(_raw("hall.2"))
    assert json.loads(repo.previous_path.read_bytes())["version"] == "hall.1"
    again = CatalogRepository(tmp_path / "data", shipped=shipped_file)
    assert again.active().version == "hall.2"
    assert _leftovers(repo) == []


@pytest.mark.parametrize(
    "raw",
    [b"\xff\xfe\x00garbage", b'{"schema": 1, "version": "x"', _raw("bad").replace(b'"svc_b"', b'"ghost"', 1),
     json.dumps({**minimal(), "schema": 9}).encode()],
    ids=["encoding", "json", "catalog", "schema"],
)
def test_bad_install_leaves_the_old_catalog_active(repo, raw, tmp_path, shipped_file):
    repo.install(_raw("hall.1"))
    repo.install(_raw("hall.2"))
    before = {p.name: p.read_bytes() for p in repo.directory.iterdir()}
    with pytest.raises(CatalogError):
        repo.install(raw)
    assert {p.name: p.read_bytes() for p in repo.directory.iterdir()} == before
    assert repo.active().version == "hall.2"
    assert CatalogRepository(tmp_path / "data", shipped=shipped_file).active().version == "hall.2"


def test_failed_write_keeps_the_old_catalog_and_no_temp_file(repo, monkeypatch):
    repo.install(_raw("hall.1"))

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space"):
        repo.install(_raw("hall.2"))
    monkeypatch.undo()
    assert repo.active_path.read_bytes() == _raw("hall.1")
    assert repo.active().version == "hall.1"
    assert _leftovers(repo) == []


CRASHING_INSTALL = """
import os, signal, sys
from pathlib import Path
import kiosk.catalog as c

real_fsync = os.fsync
def fsync_then_die(fd):
    # The new catalog is in the temp file, not yet renamed: the power goes now.
    if os.path.basename(os.readlink(f"/proc/self/fd/{fd}")).startswith(".active.json."):
        os.ftruncate(fd, 100)  # and only part of it reached the disk
        os.kill(os.getpid(), signal.SIGKILL)
    real_fsync(fd)
os.fsync = fsync_then_die
c.CatalogRepository(Path(sys.argv[1]), shipped=Path(sys.argv[2])).install(sys.stdin.buffer.read())
"""


def test_crash_during_install_never_activates_a_partial_file(repo, tmp_path, shipped_file):
    repo.install(_raw("hall.1"))
    done = subprocess.run(
        [sys.executable, "-c", CRASHING_INSTALL, str(tmp_path / "data"), str(shipped_file)],
        input=_raw("hall.2"), cwd=REPO_ROOT, capture_output=True, timeout=60, check=False,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    (partial,) = repo.directory.glob(".*.tmp")
    assert partial.name.startswith(".active.json.") and len(partial.read_bytes()) == 100
    assert json.loads(repo.previous_path.read_bytes())["version"] == "hall.1"  # written before the crash
    fresh = CatalogRepository(tmp_path / "data", shipped=shipped_file)
    assert fresh.active().version == "hall.1"
    assert fresh.install(_raw("hall.3")).version == "hall.3"  # the next install clears the leftover
    assert _leftovers(fresh) == [] and fresh.active().version == "hall.3"


def test_damaged_installed_file_falls_back_to_previous_then_shipped(repo, caplog):
    repo.install(_raw("hall.1"))
    repo.install(_raw("hall.2"))
    repo.active_path.write_bytes(b'{"schema": 1, "vers')  # e.g. a disk error, not an install
    with caplog.at_level(logging.ERROR, logger="kiosk.catalog"):
        assert repo.active().version == "hall.1"
    assert "installed catalog unusable" in caplog.text
    repo.previous_path.write_bytes(b"")
    assert repo.active().version == "shipped.1"
    assert repo.install(_raw("hall.3")).version == "hall.3"  # a damaged active is not kept as previous
    assert repo.previous_path.read_bytes() == b""


def test_active_is_cached_until_the_file_changes(repo):
    repo.install(_raw("hall.1"))
    first = repo.active()
    assert repo.active() is first
    replacement = repo.directory / "elsewhere.json"
    replacement.write_bytes(_raw("hall.9"))
    os.replace(replacement, repo.active_path)  # another process installed a catalog
    assert repo.active().version == "hall.9"
    assert repo.active() is repo.active()


# ---------------------------------------------------------------------------------------------- the schema file


def test_the_schema_file_is_a_valid_json_schema_that_agrees_with_the_model():
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    field = schema["$defs"]["field"]["properties"]
    assert set(field["kind"]["enum"]) == FIELD_KINDS
    assert set(field["prefill"]["enum"]) == PREFILL_NAMES
    assert schema["properties"]["schema"]["const"] == catalog_module.SCHEMA_VERSION
    # Objects carry exactly the fields of the model's dataclasses (plus "schema" at the top).
    models = {"text": Text, "material": Material, "notice": Notice, "choice": Choice, "field": FieldSpec,
              "service": Service, "bundle": Bundle}
    for name, model in models.items():
        assert set(schema["$defs"][name]["properties"]) == {f.name for f in fields(model)}, name
    assert set(schema["properties"]) == {f.name for f in fields(Catalog)} | {"schema"}


def test_the_shipped_catalog_passes_a_plain_jsonschema_validator(shipped):
    """The schema says the structure on its own: a hall tool with any validator checks what the kiosk checks."""
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    document = json.loads(shipped_catalog_path().read_bytes())
    assert list(Draft202012Validator(schema).iter_errors(document)) == []
    broken = copy.deepcopy(document)
    broken["services"][3]["fields"][0]["kind"] = "telephone"
    assert [e.validator for e in Draft202012Validator(schema).iter_errors(broken)] == ["enum"]


def test_an_id_with_a_trailing_newline_is_not_an_id():
    doc = minimal()
    doc["services"][0]["id"] = "svc_a\n"
    with pytest.raises(CatalogError) as caught:
        parse_catalog(doc)
    assert caught.value.where == "services[0].id" and "is not an id" in caught.value.problem


def test_a_damaged_installed_file_is_read_and_reported_once(repo, caplog, monkeypatch):
    repo.install(_raw("hall.1"))
    repo.active_path.write_bytes(b'{"schema": 1, "vers')
    reads = []
    real = validation_module.parse_catalog_bytes
    monkeypatch.setattr(validation_module, "parse_catalog_bytes", lambda raw: reads.append(len(raw)) or real(raw))
    with caplog.at_level(logging.ERROR, logger="kiosk.catalog"):
        versions = [repo.active().version for _ in range(5)]
    assert versions == ["shipped.1"] * 5  # no previous.json: the shipped catalog
    assert len(reads) == 2  # the damaged file once, the shipped one once
    assert caplog.text.count("installed catalog unusable") == 1


# ---------------------------------------------------------------------------------------------- reaching the visits


def _raw_with(version: str, new_service: str) -> bytes:
    """A catalog like :func:`minimal` with one more standalone service."""
    doc = minimal()
    doc["version"] = version
    doc["services"].append({**copy.deepcopy(doc["services"][0]), "id": new_service, "online_only": False})
    return json.dumps(doc, ensure_ascii=False).encode()


def _visit_choices(session: Session) -> set[str]:
    session.start()
    session.identify_card(sample_identity())  # a typed number would read the notices only (identity assurance)
    assert session.step == Step.CHOOSE
    return {o.id for o in session.view().offers}


def test_a_catalog_installed_mid_visit_waits_for_the_next_visit(tmp_path, shipped_file):
    screen = CatalogRepository(tmp_path / "data", shipped=shipped_file)  # the UI process's repository
    agent = CatalogRepository(tmp_path / "data", shipped=shipped_file)  # the sync agent's, in another process
    now = [datetime(2026, 3, 5, 21, 30, tzinfo=CHINA_TZ).timestamp()]
    store = Store(tmp_path / "kiosk.db", clock=lambda: now[0])
    session = Session(catalog=screen.active, store=store, clock=lambda: now[0],
                      settings=SessionSettings.from_config(Config()), hall_online=lambda: True)  # fmt: skip
    try:
        before = _visit_choices(session)
        assert "svc_new" not in before and "svc_a" in before
        agent.install(_raw_with("hall.2", "svc_new"))

        # The running visit keeps the catalog it started with, to its record.
        assert {o.id for o in session.view().offers} == before
        with pytest.raises(SessionError):
            session.choose_service("svc_new")
        session.choose_bundle("both")  # svc_a alone prints a certificate at once; with svc_b it is an application
        session.accept_notice()
        locked = {f.key for f in session.view().fields if f.locked}  # the card's name
        for key, value in (("applicant_name", "张三"), ("year", "2025"), ("phone", "13912345678")):
            if key not in locked:
                session.set_field(key, value)
        assert session.submit_form() is None
        session.confirm()
        [entry] = store.pending(kinds=["submission"])
        assert entry.payload["catalog_version"] == "shipped.1"
        session.cancel()
        session.card_removed()
        session.reset()
        assert session.step == Step.ATTRACT

        # The next visit sees the new one.
        after = _visit_choices(session)
        assert after == before | {"svc_new"}
        session.choose_service("svc_new")
        assert session.step == Step.NOTICE
    finally:
        store.close()


def test_a_session_given_a_catalog_keeps_it(tmp_path, shipped_file):
    """A fixed Catalog (tests, the demo) is still accepted and never changes."""
    repo = CatalogRepository(tmp_path / "data", shipped=shipped_file)
    now = [datetime(2026, 3, 5, 21, 30, tzinfo=CHINA_TZ).timestamp()]
    store = Store(tmp_path / "kiosk.db", clock=lambda: now[0])
    session = Session(catalog=repo.active(), store=store, clock=lambda: now[0],
                      settings=SessionSettings.from_config(Config()), hall_online=lambda: True)  # fmt: skip
    try:
        repo.install(_raw_with("hall.2", "svc_new"))
        assert "svc_new" not in _visit_choices(session)
    finally:
        store.close()


def test_an_unreadable_catalog_source_keeps_the_catalog_in_use(tmp_path, shipped_file, caplog):
    repo = CatalogRepository(tmp_path / "data", shipped=shipped_file)
    calls = []

    def source() -> Catalog:
        calls.append(1)
        if len(calls) > 1:
            raise CatalogError("catalog", "the disk went away")
        return repo.active()

    now = [datetime(2026, 3, 5, 21, 30, tzinfo=CHINA_TZ).timestamp()]
    store = Store(tmp_path / "kiosk.db", clock=lambda: now[0])
    session = Session(catalog=source, store=store, clock=lambda: now[0],
                      settings=SessionSettings.from_config(Config()), hall_online=lambda: True)  # fmt: skip
    try:
        with caplog.at_level(logging.ERROR):
            assert "svc_a" in _visit_choices(session)
        assert len(calls) >= 2 and "the disk went away" in caplog.text
    finally:
        store.close()
