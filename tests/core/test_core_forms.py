"""One form for a bundle (一表申请): merging, prefill and lock rules, citizen-friendly validation."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.catalog import Choice, FieldSpec, Notice, Service, Text
from kiosk.forms import FormError, display_value, locked_keys, merge_forms, prefill, validate
from kiosk.identity import identity_from_card, identity_from_id_number

TODAY = date(2026, 3, 5)
NOTICE = Notice(materials=(), basis=(), conditions=Text("", ""), time_limit=Text("", ""), fee=Text("", ""),
                result=Text("", ""))
SEX = FieldSpec("sex", Text("性别", "Sex"), kind="choice", prefill="sex",
                choices=(Choice("1", Text("男", "Male")), Choice("2", Text("女", "Female"))))


def service(sid: str, *fields: FieldSpec) -> Service:
    return Service(id=sid, name=Text(sid, sid), department="d", notice=NOTICE, fields=fields)


def f(key: str, kind: str = "text", **kw) -> FieldSpec:
    return FieldSpec(key, Text(kw.pop("zh", key), kw.pop("en", key)), kind=kind, **kw)


def card():
    return identity_from_card({
        "name": "王晓明", "sex": "1", "nation": "02", "birth_date": "19910101",
        "address": "鄂尔多斯市东胜区示例路1号", "id_number": "360426199101010071",
        "authority": "东胜分局", "valid_from": "20150601", "valid_to": "长期",
    })


def test_merge_deduplicates_by_key_in_first_seen_order() -> None:
    a = service("a", f("name", "name", zh="申请人姓名", prefill="name"), f("phone", "phone"))
    b_name = f("name", "name", zh="姓名", prefill="name", max_length=10)
    b = service("b", b_name, f("child", "name"), f("phone", "phone"))
    form = merge_forms([a, b])
    assert form.keys == ("name", "phone", "child")
    assert form.field("name").label.zh == "申请人姓名"  # first occurrence wins the label
    assert form.field("name").max_length == 10  # the strictest length of both
    assert form.sources == {"name": ("a", "b"), "phone": ("a", "b"), "child": ("b",)}
    with pytest.raises(KeyError):
        form.field("missing")


def test_merge_required_if_any_service_requires() -> None:
    form = merge_forms([service("a", f("x", required=False)), service("b", f("x", required=True))])
    assert form.field("x").required


def test_merge_conflicting_kinds_is_an_error() -> None:
    with pytest.raises(FormError, match="'x'"):
        merge_forms([service("a", f("x", "phone")), service("b", f("x", "date"))])


def test_merge_conflicting_choices_or_patterns_is_an_error() -> None:
    other = FieldSpec("sex", Text("性别", "Sex"), kind="choice", choices=(Choice("M", Text("男", "M")),))
    with pytest.raises(FormError):
        merge_forms([service("a", SEX), service("b", other)])
    with pytest.raises(FormError):
        merge_forms([service("a", f("x", pattern=r"\d+")), service("b", f("x", pattern=r"[a-z]+"))])


def test_prefill_from_card_locks_everything_filled() -> None:
    form = merge_forms([service("a", f("name", "name", prefill="name"), f("id", "id_number", prefill="id_number"),
                                SEX, f("nation", prefill="nation"), f("born", "date", prefill="birth_date"),
                                f("addr", "address", prefill="address"), f("phone", "phone"))])
    ident = card()
    values = prefill(form, ident)
    assert values == {
        "name": "王晓明", "id": "360426199101010071", "sex": "1", "nation": "蒙古族", "born": "1991-01-01",
        "addr": "鄂尔多斯市东胜区示例路1号",
    }
    assert locked_keys(form, ident) == frozenset(values)
    assert validate(form, {**values, "phone": "13912345678"}, TODAY) == {}


def test_prefill_from_typed_number_locks_only_what_the_number_fixes() -> None:
    form = merge_forms([service("a", f("name", "name", prefill="name"), f("id", "id_number", prefill="id_number"),
                                SEX, f("born", "date", prefill="birth_date"))])
    ident = identity_from_id_number("11010519491231002X", TODAY)
    assert prefill(form, ident) == {"id": "11010519491231002X", "sex": "2", "born": "1949-12-31"}
    assert locked_keys(form, ident) == {"id", "sex", "born"}  # the name is typed by the citizen
    assert prefill(form, None) == {} and locked_keys(form, None) == frozenset()


def test_nation_choice_prefill_matches_by_code_or_name() -> None:
    by_code = FieldSpec("n", Text("民族", "Nation"), kind="choice", prefill="nation",
                        choices=(Choice("01", Text("汉族", "Han")), Choice("02", Text("蒙古族", "Mongol"))))
    by_name = FieldSpec("n", Text("民族", "Nation"), kind="choice", prefill="nation",
                        choices=(Choice("汉", Text("汉", "Han")), Choice("蒙古", Text("蒙古", "Mongol"))))
    assert prefill(merge_forms([service("a", by_code)]), card()) == {"n": "02"}
    assert prefill(merge_forms([service("a", by_name)]), card()) == {"n": "蒙古"}


REQUIRED = merge_forms([service("a", f("name", "name", zh="姓名", en="Name"), f("note", required=False))])


def test_required_and_optional() -> None:
    errors = validate(REQUIRED, {"name": "   "}, TODAY)
    assert set(errors) == {"name"}
    assert errors["name"].zh == "请填写姓名" and errors["name"].en == "Please fill in Name"
    assert validate(REQUIRED, {"name": "王晓明"}, TODAY) == {}


def check(spec: FieldSpec, value: str) -> Text | None:
    return validate(merge_forms([service("a", spec)]), {spec.key: value}, TODAY).get(spec.key)


def test_max_length() -> None:
    spec = f("x", zh="单位名称", max_length=4)
    assert check(spec, "一二三四") is None
    message = check(spec, "一二三四五")
    assert message is not None and "4" in message.zh and "4" in message.en


@pytest.mark.parametrize(
    ("value", "ok"),
    [("13912345678", True), ("19912345678", True), ("12912345678", False), ("1391234567", False),
     ("0477-8581234", True), ("04778581234", True), ("010-12345678", True), ("8581234", False),
     ("139 1234 5678", False), ("phone", False)],
)
def test_phone(value: str, ok: bool) -> None:
    assert (check(f("tel", "phone"), value) is None) == ok


@pytest.mark.parametrize(
    ("key", "value", "ok"),
    [("d", "2026-03-05", True), ("d", "2030-01-01", True), ("d", "2026-02-30", False), ("d", "2026/03/05", False),
     ("d", "20260305", False), ("child_birth", "2026-03-05", True), ("child_birth", "2026-03-06", False)],
)
def test_dates_real_and_birth_dates_not_future(key: str, value: str, ok: bool) -> None:
    assert (check(f(key, "date"), value) is None) == ok


def test_birth_date_by_prefill_is_not_future() -> None:
    assert check(f("born", "date", prefill="birth_date"), "2027-01-01") is not None


def test_id_number_field_uses_gb11643_messages() -> None:
    spec = f("id", "id_number")
    assert check(spec, "11010519491231002x") is None
    message = check(spec, "110105194912310021")
    assert message is not None and "校验位" in message.zh


def test_choice_number_name_pattern() -> None:
    assert check(SEX, "1") is None
    assert check(SEX, "男") is not None  # the value, not the label, is stored
    assert check(f("n", "number"), "3") is None and check(f("n", "number"), "2.5") is None
    assert check(f("n", "number"), "三") is not None
    assert check(f("who", "name"), "王2") is not None
    spec = f("plate", pattern=r"[A-Z]\d{4}", help=Text("如A1234", "e.g. A1234"))
    assert check(spec, "A1234") is None
    message = check(spec, "a12")
    assert message is not None and "如A1234" in message.zh and "e.g. A1234" in message.en


def test_every_message_is_bilingual_and_different() -> None:
    cases = [(f("tel", "phone"), "1"), (f("d", "date"), "x"), (f("d", "date"), "2026-02-30"), (SEX, "x"),
             (f("n", "number"), "x"), (f("who", "name"), "1"), (f("id", "id_number"), "1"), (f("r"), "")]
    for spec, value in cases:
        message = check(spec, value)
        assert message is not None and message.zh and message.en and message.zh != message.en, (spec.key, value)


def test_display_value_shows_choice_labels() -> None:
    assert display_value(SEX, "2") == Text("女", "Female")
    assert display_value(f("x"), "abc") == Text("abc", "abc")
