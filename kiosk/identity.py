"""The citizen's identity as a card (or typed ID number) gives it, and GB 11643 ID number checks.

An :class:`Identity` is personal data: its ``repr`` masks every personal field so it can never leak into a
log line or a traceback. The session drops it at the end of every visit.

ID number (公民身份号码, GB 11643-1999): 6-digit region code (GB/T 2260), 8-digit birth date, 3-digit
sequence (odd = male, even = female), 1 check character computed with ISO 7064 MOD 11-2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kiosk.catalog import ASSURANCES, Text

SOURCES = frozenset({"id_card", "sscard", "typed", "phone_code"})
CARD_SOURCES = frozenset({"id_card", "sscard"})
PHONE_CODE = "phone_code"  # signed in with the code the citizen's phone shows; the hall vouched for name and number

# How sure the kiosk is of who the citizen is (kiosk.catalog.ASSURANCES, weakest first): a service's catalog
# ``assurance`` is the weakest it accepts; an identity satisfies it when its own level is at least that.
ASSURANCE_LEVELS: dict[str, int] = {level: rank for rank, level in enumerate(ASSURANCES)}

SEXES: dict[str, Text] = {
    "0": Text("未知", "Unknown"),
    "1": Text("男", "Male"),
    "2": Text("女", "Female"),
    "9": Text("未说明", "Not stated"),
}

# GB/T 3304 nation codes with their official romanization; 97/98 are the two non-ethnic codes.
NATIONS: dict[str, Text] = {
    code: Text(zh, en)
    for code, zh, en in (
        ("01", "汉族", "Han"), ("02", "蒙古族", "Mongol"), ("03", "回族", "Hui"), ("04", "藏族", "Zang"),
        ("05", "维吾尔族", "Uygur"), ("06", "苗族", "Miao"), ("07", "彝族", "Yi"), ("08", "壮族", "Zhuang"),
        ("09", "布依族", "Buyei"), ("10", "朝鲜族", "Chosen"), ("11", "满族", "Man"), ("12", "侗族", "Dong"),
        ("13", "瑶族", "Yao"), ("14", "白族", "Bai"), ("15", "土家族", "Tujia"), ("16", "哈尼族", "Hani"),
        ("17", "哈萨克族", "Kazak"), ("18", "傣族", "Dai"), ("19", "黎族", "Li"), ("20", "傈僳族", "Lisu"),
        ("21", "佤族", "Va"), ("22", "畲族", "She"), ("23", "高山族", "Gaoshan"), ("24", "拉祜族", "Lahu"),
        ("25", "水族", "Sui"), ("26", "东乡族", "Dongxiang"), ("27", "纳西族", "Naxi"),
        ("28", "景颇族", "Jingpo"), ("29", "柯尔克孜族", "Kirgiz"), ("30", "土族", "Tu"),
        ("31", "达斡尔族", "Daur"), ("32", "仫佬族", "Mulao"), ("33", "羌族", "Qiang"), ("34", "布朗族", "Blang"),
        ("35", "撒拉族", "Salar"), ("36", "毛南族", "Maonan"), ("37", "仡佬族", "Gelao"), ("38", "锡伯族", "Xibe"),
        ("39", "阿昌族", "Achang"), ("40", "普米族", "Pumi"), ("41", "塔吉克族", "Tajik"), ("42", "怒族", "Nu"),
        ("43", "乌孜别克族", "Uzbek"), ("44", "俄罗斯族", "Russ"), ("45", "鄂温克族", "Ewenki"),
        ("46", "德昂族", "Deang"), ("47", "保安族", "Bonan"), ("48", "裕固族", "Yugur"), ("49", "京族", "Gin"),
        ("50", "塔塔尔族", "Tatar"), ("51", "独龙族", "Derung"), ("52", "鄂伦春族", "Oroqen"),
        ("53", "赫哲族", "Hezhen"), ("54", "门巴族", "Monba"), ("55", "珞巴族", "Lhoba"), ("56", "基诺族", "Jino"),
        ("97", "其他", "Other"), ("98", "外国血统中国籍人士", "Chinese citizen of foreign origin"),
    )
}

# GB/T 2260 province-level codes (first two digits of the region code).
PROVINCE_CODES = frozenset(
    [*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47), *range(50, 55), *range(61, 66), 71, 81, 82, 83]
)

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # 2^(17-i) mod 11
_CHECK_CHARS = "10X98765432"
_MAX_AGE_YEARS = 150
LONG_TERM = "长期"  # what a card's "valid to" field holds for a long-term card


class IdentityError(ValueError):
    """An identity record or ID number that cannot be used; ``text`` says why in plain words."""

    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text


@dataclass(frozen=True)
class IdCheck:
    """The result of checking an ID number: ``reason`` is "ok" or the first problem found."""

    ok: bool
    reason: str  # ok | length | characters | region | birth_date | check_digit
    message: Text


_ID_MESSAGES: dict[str, Text] = {
    "ok": Text("身份证号码正确", "The ID number is valid"),
    "length": Text("身份证号码应为18位，请核对", "The ID number must have 18 characters"),
    "characters": Text(
        "身份证号码前17位应为数字，最后一位为数字或X", "The first 17 characters must be digits, the last a digit or X"
    ),
    "region": Text("身份证号码开头的地区代码不正确，请核对", "The region code at the start of the ID number is wrong"),
    "birth_date": Text("身份证号码中的出生日期不正确，请核对", "The birth date inside the ID number is not possible"),
    "check_digit": Text(
        "身份证号码有误（校验位不符），请逐位核对", "The ID number has a typing error (check digit does not match)"
    ),
}


def check_digit(first17: str) -> str:
    """The GB 11643 check character ("0".."9" or "X") for the first 17 digits of an ID number."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"expected 17 digits, got {len(first17)} characters")
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def normalize_id_number(s: str) -> str:
    """``s`` without surrounding blanks, with a lowercase final x made uppercase."""
    s = s.strip()
    return s[:-1] + "X" if s.endswith("x") else s


def birth_date_of(id_number: str) -> date | None:
    """The birth date encoded in an 18-character ID number, or None when it is not a real date."""
    digits = id_number[6:14]
    if len(digits) != 8 or not digits.isascii() or not digits.isdigit():
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def sex_of(id_number: str) -> str:
    """The sex code ("1" male, "2" female) encoded in the sequence digit of an ID number."""
    return "1" if int(id_number[16]) % 2 else "2"


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def validate_id_number(s: str, today: date | None = None) -> IdCheck:
    """Check ``s`` as an 18-character GB 11643 ID number (a lowercase x is accepted).

    ``today`` (default: the system date) bounds the birth date: not in the future, at most 150 years ago.
    """
    today = today or date.today()
    n = normalize_id_number(s)
    reason = "ok"
    if len(n) != 18:
        reason = "length"
    elif not re.fullmatch(r"[0-9]{17}[0-9X]", n):
        reason = "characters"
    elif int(n[:2]) not in PROVINCE_CODES:
        reason = "region"
    else:
        born = birth_date_of(n)
        if born is None or born > today or born < _years_before(today, _MAX_AGE_YEARS):
            reason = "birth_date"
        elif check_digit(n[:17]) != n[17]:
            reason = "check_digit"
    return IdCheck(ok=reason == "ok", reason=reason, message=_ID_MESSAGES[reason])


def mask_name(name: str) -> str:
    """A name with all but its first and last character hidden: 张某三 -> 张*三, 张三 -> 张*."""
    name = name.strip()
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id_number(id_number: str) -> str:
    """An ID number with only the first and last four characters shown: 1501**********1234."""
    n = id_number.strip()
    if len(n) <= 8:
        return "*" * len(n)
    return n[:4] + "*" * (len(n) - 8) + n[-4:]


@dataclass(frozen=True, repr=False)
class Identity:
    """Who the citizen is, as read from a card or derived from a typed ID number.

    Empty strings mean "not given" (a typed ID number gives no name; a social security card no address).
    ``valid_to`` None with ``long_term`` True means the card is valid for ever (长期).
    """

    name: str
    sex: str  # SEXES code
    nation: str  # NATIONS code, "" when unknown
    birth_date: date
    address: str
    id_number: str
    authority: str
    valid_from: date | None
    valid_to: date | None
    source: str  # SOURCES
    long_term: bool = False
    photo: bytes | None = None

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise IdentityError(Text("证件来源不正确", f"unknown identity source {self.source!r}"))
        if self.sex not in SEXES:
            raise IdentityError(Text("性别代码不正确", "unknown sex code"))
        if self.nation and self.nation not in NATIONS:
            raise IdentityError(Text("民族代码不正确", "unknown nation code"))
        if not self.id_number:
            raise IdentityError(Text("缺少身份证号码", "the ID number is missing"))
        if self.long_term and self.valid_to is not None:
            raise IdentityError(Text("长期有效的证件不应有截止日期", "a long-term card has no end date"))

    def __repr__(self) -> str:
        # Personal data must never reach a log or a traceback: show masked values only.
        return (
            f"Identity(name={mask_name(self.name)!r}, id_number={mask_id_number(self.id_number)!r}, "
            f"source={self.source!r})"
        )

    __str__ = __repr__

    @property
    def from_card(self) -> bool:
        """Whether the data was read from a card (and so cannot be edited by the citizen)."""
        return self.source in CARD_SOURCES

    @property
    def assurance(self) -> str:
        """How the identity was established: "card" (ID card), "sscard", "phone_code" or "typed"."""
        return "card" if self.source == "id_card" else self.source

    def satisfies(self, required: str) -> bool:
        """Whether this identity is sure enough for a service asking for ``required`` (a key of
        :data:`ASSURANCE_LEVELS`); an ID card and a social security card both count as "card"."""
        level = ASSURANCE_LEVELS["card" if self.from_card else self.source]
        return level >= ASSURANCE_LEVELS[required]

    def expired(self, today: date) -> bool:
        """Whether the card's validity ended before ``today`` (never for 长期 or typed entries)."""
        return self.valid_to is not None and self.valid_to < today

    def age(self, today: date) -> int:
        """Age in whole years on ``today``."""
        years = today.year - self.birth_date.year
        return years - ((today.month, today.day) < (self.birth_date.month, self.birth_date.day))


def identity_from_id_number(s: str, today: date | None = None) -> Identity:
    """The identity a typed ID number gives: birth date and sex derived from it, everything else empty.

    Raises :class:`IdentityError` with the validation message when the number is not valid.
    """
    check = validate_id_number(s, today)
    if not check.ok:
        raise IdentityError(check.message)
    n = normalize_id_number(s)
    born = birth_date_of(n)
    assert born is not None  # validated above
    return Identity(
        name="", sex=sex_of(n), nation="", birth_date=born, address="", id_number=n, authority="",
        valid_from=None, valid_to=None, source="typed",
    )


def identity_from_signin(name: str, id_number: str, today: date | None = None) -> Identity:
    """The identity a phone sign-in gives: the name and ID number the hall vouched for, birth date and sex derived
    from the number, everything else empty. Raises :class:`IdentityError` for a number that is not valid."""
    typed = identity_from_id_number(id_number, today)
    if not name.strip():
        raise IdentityError(Text("手机码登录未提供姓名", "the phone sign-in gave no name"))
    return Identity(
        name=name.strip(), sex=typed.sex, nation="", birth_date=typed.birth_date, address="",
        id_number=typed.id_number, authority="", valid_from=None, valid_to=None, source=PHONE_CODE,
    )


def parse_card_date(value: str) -> date | None:
    """A card date field "YYYYMMDD" as a date; "长期" or blank gives None. Raises IdentityError otherwise."""
    v = value.strip()
    if not v or v == LONG_TERM:
        return None
    try:
        if len(v) != 8 or not v.isdigit():
            raise ValueError(v)
        return date(int(v[:4]), int(v[4:6]), int(v[6:]))
    except ValueError:
        raise IdentityError(Text("证件上的日期无法识别", f"unreadable date on the card: {len(v)} chars")) from None


def identity_from_card(fields: dict[str, str], *, source: str = "id_card", photo: bytes | None = None) -> Identity:
    """Build an identity from the text fields a card reader decoded (padding blanks are stripped).

    Keys: name, sex, nation, birth_date, address, id_number, authority, valid_from, valid_to (dates as
    YYYYMMDD, ``valid_to`` may be "长期"). Missing keys are empty. Raises :class:`IdentityError`.
    """
    f = {k: (v or "").strip() for k, v in fields.items()}
    id_number = normalize_id_number(f.get("id_number", ""))
    born = parse_card_date(f.get("birth_date", "")) or birth_date_of(id_number)
    if born is None:
        raise IdentityError(Text("证件上没有出生日期", "the card gives no birth date"))
    valid_to_raw = f.get("valid_to", "")
    return Identity(
        name=f.get("name", ""),
        sex=f.get("sex", "") or "0",
        nation=f.get("nation", ""),
        birth_date=born,
        address=f.get("address", ""),
        id_number=id_number,
        authority=f.get("authority", ""),
        valid_from=parse_card_date(f.get("valid_from", "")),
        valid_to=parse_card_date(valid_to_raw),
        source=source,
        long_term=valid_to_raw == LONG_TERM,
        photo=photo,
    )
