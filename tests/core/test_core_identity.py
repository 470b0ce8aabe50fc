"""GB 11643 ID numbers, the identity record and its masking."""

from __future__ import annotations

import random
from datetime import date

import pytest

from kiosk.identity import (
    NATIONS,
    PROVINCE_CODES,
    SEXES,
    Identity,
    IdentityError,
    birth_date_of,
    check_digit,
    identity_from_card,
    identity_from_id_number,
    mask_id_number,
    mask_name,
    normalize_id_number,
    parse_card_date,
    validate_id_number,
)

TODAY = date(2026, 3, 5)
VALID = ["11010519491231002X", "360426199101010071"]


def with_check(first17: str) -> str:
    return first17 + check_digit(first17)


def test_known_valid_numbers() -> None:
    for n in VALID:
        check = validate_id_number(n, TODAY)
        assert check.ok and check.reason == "ok", n


def test_check_digit_matches_iso7064_formula() -> None:
    # Independent form of the same rule: (12 - sum(d_i * 2^(17-i) mod 11)) mod 11, 10 written as X.
    rng = random.Random(11643)
    for _ in range(2000):
        first17 = "".join(rng.choice("0123456789") for _ in range(17))
        total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
        value = (12 - total % 11) % 11
        assert check_digit(first17) == ("X" if value == 10 else str(value))


def test_check_digit_rejects_non_digits() -> None:
    with pytest.raises(ValueError):
        check_digit("1101051949123100")
    with pytest.raises(ValueError):
        check_digit("1101051949123100A")


def test_lowercase_x_is_accepted_and_normalized() -> None:
    assert validate_id_number("11010519491231002x", TODAY).ok
    assert normalize_id_number(" 11010519491231002x ") == "11010519491231002X"
    assert identity_from_id_number("11010519491231002x", TODAY).id_number == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("", "length"),
        ("11010519491231002", "length"),
        ("11010519491231002X1", "length"),
        ("110105491231002", "length"),  # a first-generation 15-digit number
        ("1101051949123100YX", "characters"),
        ("X10105194912310021", "characters"),
        ("１１０１０５１９４９１２３１００２Ｘ", "characters"),  # full-width digits
        (with_check("99010519491231002"), "region"),
        (with_check("10010519491231002"), "region"),
        (with_check("72010519491231002"), "region"),
        (with_check("11010519490230002"), "birth_date"),  # 30 February
        (with_check("11010519491301002"), "birth_date"),  # month 13
        (with_check("11010520270101002"), "birth_date"),  # future
        (with_check("11010518700101002"), "birth_date"),  # more than 150 years ago
        ("110105194912310021", "check_digit"),
        ("360426199101010072", "check_digit"),
    ],
)
def test_every_invalid_class(number: str, reason: str) -> None:
    check = validate_id_number(number, TODAY)
    assert not check.ok
    assert check.reason == reason
    assert check.message.zh and check.message.en and check.message.zh != check.message.en


def test_every_province_code_passes_and_others_fail() -> None:
    for prefix in range(10, 100):
        check = validate_id_number(with_check(f"{prefix}0105199001010012"[:17]), TODAY)
        assert check.ok == (prefix in PROVINCE_CODES), prefix
    assert {11, 15, 46, 50, 54, 65, 71, 81, 82, 83} <= PROVINCE_CODES
    assert not {16, 20, 24, 38, 47, 55, 66, 70, 72, 80, 84} & PROVINCE_CODES


def test_birth_date_bounds_are_inclusive_of_today_and_150_years() -> None:
    assert validate_id_number(with_check("15060220260305123"), TODAY).ok  # born today
    assert not validate_id_number(with_check("15060220260306123"), TODAY).ok  # tomorrow
    assert validate_id_number(with_check("15060218760305123"), TODAY).ok  # exactly 150 years
    assert not validate_id_number(with_check("15060218760304123"), TODAY).ok


def test_typed_identity_derives_birth_date_and_sex() -> None:
    female = identity_from_id_number("11010519491231002X", TODAY)
    assert female.birth_date == date(1949, 12, 31)
    assert female.sex == "2"  # sequence digit 2: even
    assert female.source == "typed" and not female.from_card
    assert female.name == "" and female.nation == "" and female.address == ""
    male = identity_from_id_number("360426199101010071", TODAY)
    assert male.sex == "1" and male.birth_date == date(1991, 1, 1)
    assert male.age(TODAY) == 35


def test_typed_identity_rejects_invalid_number_with_message() -> None:
    with pytest.raises(IdentityError) as info:
        identity_from_id_number("110105194912310021", TODAY)
    assert "校验位" in info.value.text.zh


def test_nation_table_is_complete() -> None:
    assert len(NATIONS) == 58
    assert [f"{i:02d}" for i in range(1, 57)] + ["97", "98"] == list(NATIONS)
    assert NATIONS["01"].zh == "汉族" and NATIONS["02"].zh == "蒙古族" and NATIONS["56"].zh == "基诺族"
    assert NATIONS["98"].zh == "外国血统中国籍人士"
    assert all(t.zh and t.en for t in NATIONS.values())
    assert set(SEXES) == {"0", "1", "2", "9"}


def card_fields(**overrides: str) -> dict[str, str]:
    fields = {
        "name": "王晓明       ", "sex": "1", "nation": "02", "birth_date": "19900307",
        "address": "内蒙古自治区鄂尔多斯市东胜区示例路1号", "id_number": with_check("15060219900307123"),
        "authority": "鄂尔多斯市公安局东胜分局", "valid_from": "20150601", "valid_to": "20350601",
    }
    fields.update(overrides)
    return fields


def test_identity_from_card_strips_padding_and_parses_dates() -> None:
    ident = identity_from_card(card_fields(), photo=b"\x00" * 1024)
    assert ident.name == "王晓明"
    assert ident.valid_from == date(2015, 6, 1) and ident.valid_to == date(2035, 6, 1)
    assert not ident.long_term and ident.from_card
    assert ident.photo == b"\x00" * 1024


def test_long_term_card() -> None:
    ident = identity_from_card(card_fields(valid_to="长期"), source="id_card")
    assert ident.long_term and ident.valid_to is None
    assert not ident.expired(date(2999, 1, 1))


def test_expiry() -> None:
    ident = identity_from_card(card_fields(valid_to="20260304"))
    assert ident.expired(TODAY)
    assert not ident.expired(date(2026, 3, 4))


def test_bad_card_data_is_refused() -> None:
    with pytest.raises(IdentityError):
        identity_from_card(card_fields(valid_from="2015-06-01"))
    with pytest.raises(IdentityError):
        identity_from_card(card_fields(nation="57"))
    with pytest.raises(IdentityError):
        identity_from_card(card_fields(sex="3"))
    with pytest.raises(IdentityError):
        identity_from_card(card_fields(), source="passport")
    with pytest.raises(IdentityError):
        identity_from_card(card_fields(id_number=""))
    with pytest.raises(IdentityError):
        parse_card_date("20150231")


def test_long_term_with_end_date_is_inconsistent() -> None:
    with pytest.raises(IdentityError):
        Identity(
            name="王晓明", sex="1", nation="01", birth_date=date(1990, 3, 7), address="", id_number=VALID[1],
            authority="", valid_from=None, valid_to=date(2030, 1, 1), source="id_card", long_term=True,
        )


def test_repr_masks_personal_data() -> None:
    ident = identity_from_card(card_fields(), photo=b"PHOTO")
    text = repr(ident) + str(ident)
    for secret in ("王晓明", ident.id_number, "示例路", "19900307", "1990-03-07", "PHOTO", "公安局"):
        assert secret not in text
    assert "王*明" in text and mask_id_number(ident.id_number) in text


def test_masks() -> None:
    assert mask_name("张某三") == "张*三"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧**娜"
    assert mask_name("李") == "*"
    assert mask_name("") == ""
    assert mask_id_number("150102199003071234") == "1501**********1234"
    assert mask_id_number("1234") == "****"


def test_birth_date_of_rejects_impossible_dates() -> None:
    assert birth_date_of("110105194902300021") is None
    assert birth_date_of("11010519491231002X") == date(1949, 12, 31)
