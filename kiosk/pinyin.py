"""Pinyin input for the on-screen keyboard: toneless pinyin letters → candidate characters and words.

The kiosk runs under its own compositor with no system input method, yet some fields want Chinese free text
(a newborn's name, a birth place, a hospital, an address). :class:`PinyinIndex` turns what the citizen types on
the Latin letter keyboard into candidates to tap, one character or one word at a time::

    index = PinyinIndex.build()            # once, by whoever owns the shell (about 0.3 s, see bench/pinyin.py)
    index.candidates("zhangsan")           # characters for "zhang" (张 first), so the name is picked char by char
    index.consume("zhangsan", "张")         # -> "san": what is left to pick
    index.candidates("xi'an")              # ["西安", ...]: an apostrophe separates syllables

Data: pypinyin's character readings (``pinyin_dict``: codepoint → "zhāng,cháng") and its word readings
(``phrases_dict``). That word list only holds words whose reading differs from their characters' usual one
(it exists to fix polyphones), so everyday words such as 西安 or 医院 are missing from it: ``KIOSK_WORDS`` adds
the places and institution words the kiosk's forms need, and ``build(words=...)`` takes more (a deployment's
own towns).

Ranking uses word frequencies (:mod:`kiosk.pinyin_freq`: jieba's dictionary):
1. the 100 commonest surnames first, for their surname reading (names are the main use);
2. readings that occur in pypinyin's words before readings that never do (pinyin_dict lists archaic readings,
   e.g. 肩 as "xian");
3. GB2312 level 1 (the 3,755 common characters), then level 2, then the rest (rare, traditional), the more
   frequent character first within a level (是 before 市 before 试 for "shi"; the counts of rare characters
   are too noisy to rank them above common ones); then more occurrences in pypinyin's words, then codepoint.
Words: the kiosk's own words first, then by frequency (jieba's common words join pypinyin's, so "ceshi" offers
测试); without jieba, pypinyin's words of common characters before the rest.

No abbreviated input ("bj" for 北京): without frequencies every two-letter abbreviation matches hundreds of
words in no useful order, and it would make every string of consonants look like valid input.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import operator
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from kiosk.pinyin_freq import word_frequencies

# The 100 commonest surnames of mainland China, in order (after the household-register reports of 2019-2020; the
# tail of such lists shifts a little from year to year), each with its surname reading: several are polyphones
# whose surname reading is not their everyday one (曾 zeng, 覃 qin).
SURNAMES = (
    "王wang 李li 张zhang 刘liu 陈chen 杨yang 黄huang 赵zhao 吴wu 周zhou 徐xu 孙sun 马ma 朱zhu 胡hu 郭guo 何he "
    "林lin 罗luo 高gao 郑zheng 梁liang 谢xie 宋song 唐tang 许xu 韩han 邓deng 冯feng 曹cao 彭peng 曾zeng "
    "肖xiao 田tian 董dong 潘pan 袁yuan 蔡cai 蒋jiang 余yu 于yu 杜du 叶ye 程cheng 魏wei 苏su 吕lv 丁ding "
    "任ren 卢lu 姚yao 沈shen 钟zhong 姜jiang 崔cui 谭tan 陆lu 范fan 汪wang 廖liao 石shi 金jin 韦wei 贾jia "
    "夏xia 付fu 方fang 邹zou 熊xiong 白bai 孟meng 秦qin 邱qiu 侯hou 江jiang 尹yin 薛xue 闫yan 段duan 雷lei "
    "龙long 黎li 史shi 陶tao 贺he 毛mao 郝hao 顾gu 龚gong 邵shao 万wan 覃qin 武wu 钱qian 戴dai 严yan 莫mo "
    "孔kong 向xiang 常chang"
)

# Words the forms need that pypinyin's word list lacks: provinces and their capitals, the places around the
# pilot hall (鄂尔多斯), administrative units, health institutions, nationalities, compound surnames. A word's
# reading comes from pypinyin's words where they cover it, else from its characters' first readings; write
# "word=pin'yin" where neither is right.
KIOSK_WORDS = (
    "北京 天津 上海 重庆 河北 山西 内蒙古 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 "
    "广西 海南 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆 香港 澳门 台湾 "
    "石家庄 太原 呼和浩特 沈阳 长春 哈尔滨 南京 杭州 合肥 福州 南昌 济南 郑州 武汉 长沙 广州 南宁 海口 成都 贵阳 "
    "昆明 拉萨 西安 兰州 西宁 银川 乌鲁木齐 深圳 大连 青岛 厦门 宁波 苏州 天安门 "
    "包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布 兴安盟 锡林郭勒 阿拉善 二连浩特 满洲里 "
    "东胜 东胜区 康巴什 康巴什区 达拉特旗 准格尔旗 鄂托克旗 鄂托克前旗 杭锦旗 乌审旗 伊金霍洛旗 "
    "自治区 自治州 自治县 自治旗 特别行政区 街道 社区 小区 乡镇 村委会 居委会 嘎查 苏木 单元 "
    "医院 人民医院 中心医院 中医院 蒙医院 中蒙医院 妇幼保健院 妇产医院 卫生院 卫生服务中心 附属医院 医科大学 "
    "人民 中心 第一 第二 第三 出生 地点 机构 家中 "
    "汉族 蒙古族 回族 满族 藏族 维吾尔族 壮族 朝鲜族 达斡尔族 鄂温克族 鄂伦春族 "
    "欧阳 司马 诸葛 上官 东方 皇甫 令狐 慕容 公孙 司徒 夏侯 尉迟=yu'chi 长孙=zhang'sun 宇文"
)

MAX_PHRASE_SYLLABLES = 4  # pypinyin's longer entries are idioms and sayings: no use in a form, 1/40 of the list
MAX_INPUT = 64  # letters: longer than any word a citizen types before picking; bounds the work per key
MAX_PARSES = 8  # segmentations() gives at most this many by default ("xian": xian, xi'an)
LEADING_WORDS = 4  # words for the first syllables of a longer input, before the first syllable's characters
TOP_CHARACTERS = 5  # characters shown before the words of an alternative segmentation
HEAD_SURNAMES = 20  # these surnames come before any word for an input they start (most names start with one)
RARE_READING = 20  # an extra reading used by fewer of pypinyin's words ranks after the usual readings


class PinyinSource(Protocol):
    """Where the readings come from (pypinyin's files, or a small table in tests)."""

    def characters(self) -> Iterable[tuple[int, str]]:
        """(codepoint, its readings with tone marks, most usual first: "zhāng,cháng")."""
        ...

    def words(self) -> Iterable[tuple[str, Sequence[str]]]:
        """(word, one reading with tone marks per character), as they come: they need not fit in memory."""
        ...


@dataclass(frozen=True)
class PinyinData:
    """Readings held in memory, in pypinyin's shapes: codepoint → "tōng,tóng", word → [["syllable"], …]."""

    chars: Mapping[int, str]
    phrases: Mapping[str, Sequence[Sequence[str]]]

    def characters(self) -> Iterable[tuple[int, str]]:
        """See :class:`PinyinSource`."""
        return self.chars.items()

    def words(self) -> Iterable[tuple[str, Sequence[str]]]:
        """See :class:`PinyinSource`; a heteronym word gives its first reading of each character."""
        for word, readings in self.phrases.items():
            if len(readings) == len(word) and all(readings):
                yield word, [options[0] for options in readings]


# One entry of phrases_dict.json ("一丁点儿": [["yī"], ["dīng"], ["diǎn"], ["er"]]), and the first syllable of each
# inner list: JSON as pypinyin writes it (any spacing), no escapes (checked: no match at all means a fallback).
# Compiled where used, not at import.
ENTRY_PATTERN = r'"([^"\\]+)"\s*:\s*\[((?:[^\[\]"]|"[^"\\]*"|\[[^\[\]]*\])*)\]'
FIRST_PATTERN = r'\[\s*"([^"\\]*)"'


@dataclass(frozen=True)
class PypinyinFiles:
    """pypinyin's own data files (``pinyin_dict.json``, ``phrases_dict.json``), read without importing pypinyin.

    Importing pypinyin loads the same files and also builds its converter and a prefix set of every word (0.15 s
    and 58 MB, see bench/pinyin.py) for nothing the kiosk uses. The words are read entry by entry from the text
    rather than by ``json.loads``: the parsed file is some 400,000 small objects (50 MB) whose freed memory the
    allocator keeps, so the shell held 73 MB after building instead of 22.
    """

    directory: Path

    @classmethod
    def installed(cls) -> PinyinSource:
        """The installed pypinyin's files; its modules where it ships none (older versions keep the data as
        Python modules)."""
        spec = importlib.util.find_spec("pypinyin")  # finds the package without running its __init__
        if spec is None or spec.origin is None:
            raise ModuleNotFoundError("pypinyin is not installed")
        files = cls(Path(spec.origin).parent)
        if files.available():
            return files
        from pypinyin.phrases_dict import phrases_dict
        from pypinyin.pinyin_dict import pinyin_dict

        return PinyinData(pinyin_dict, phrases_dict)

    def available(self) -> bool:
        """Whether both files are there."""
        return (self.directory / "pinyin_dict.json").is_file() and (self.directory / "phrases_dict.json").is_file()

    def characters(self) -> Iterable[tuple[int, str]]:
        """See :class:`PinyinSource` (this file is small: 42,000 short entries)."""
        raw = json.loads((self.directory / "pinyin_dict.json").read_text(encoding="utf-8"))
        return ((int(k), v) for k, v in raw.items())

    def words(self) -> Iterable[tuple[str, Sequence[str]]]:
        """See :class:`PinyinSource`."""
        text = (self.directory / "phrases_dict.json").read_text(encoding="utf-8")
        first = re.compile(FIRST_PATTERN)
        matched = False
        for m in re.finditer(ENTRY_PATTERN, text):
            matched = True
            word, body = m.groups()
            firsts = first.findall(body)
            if len(firsts) == len(word):
                yield word, firsts
        if not matched:  # written some other way (escaped characters?): parse it whole after all
            yield from PinyinData({}, json.loads(text)).words()


def toneless(syllable: str) -> str:
    """A syllable as it is typed: no tone marks, ü as v ("lǜ" → "lv", "nüè" → "nve", "ê̄" → "e")."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", syllable.lower()):
        if ch == "\u0308":  # the diaeresis of ü, decomposed after its u
            if out and out[-1] == "u":
                out[-1] = "v"
        elif not unicodedata.combining(ch):
            out.append(ch)
    return "".join(out)


def tone_table() -> dict[int, str | None]:
    """A ``str.translate`` table doing :func:`toneless` for every letter pinyin uses, at C speed.

    Covers the Latin letters with diacritics (U+00C0–U+024F, U+1E00–U+1EFF) and drops combining marks (pypinyin
    writes ê̄ and m̀ as a letter plus a combining mark).
    """
    table: dict[int, str | None] = {cp: None for cp in range(0x300, 0x370)}
    for cp in itertools.chain(range(0xC0, 0x250), range(0x1E00, 0x1F00)):
        plain = toneless(chr(cp))
        if plain != chr(cp):
            table[cp] = plain
    return table


def gb2312_levels() -> dict[str, int]:
    """Character → 1 (GB2312 level 1: first byte 0xB0–0xD7) or 2 (0xD8–0xF7)."""
    levels: dict[str, int] = {}
    for first in range(0xB0, 0xF8):
        level = 1 if first <= 0xD7 else 2
        for second in range(0xA1, 0xFF):
            try:
                levels[bytes((first, second)).decode("gb2312")] = level
            except UnicodeDecodeError:  # the unassigned tail of row 0xD7
                continue
    return levels


def is_syllable(text: str) -> bool:
    """Whether a toneless reading is a syllable one can type: it has a vowel (drops m, n, ng, hm, hng)."""
    return any(v in text for v in "aeiouv")


class _Lattice:
    """The ways to cut one input (normalised: lower case, apostrophes kept) into syllables.

    ``ends[i]``: the letters from ``i`` on read as whole syllables or, when ``partial``, as whole syllables and
    the start of one more (typing goes on: "zhangs"). Computed right to left once, so a walk only takes steps
    that lead to a full reading: greedy longest match with backtracking, without exponential backtracking.
    """

    def __init__(self, text: str, index: PinyinIndex, *, partial: bool) -> None:
        self.text, self.syllables, self.longest = text, index.syllables, index.longest_syllable
        n = len(text)
        whole = [False] * n + [True]  # read as whole syllables only
        ends = [False] * n + [True]
        for i in range(n - 1, -1, -1):
            if text[i] == "'":
                whole[i], ends[i] = whole[i + 1], ends[i + 1]
                continue
            steps = [j for j in self._steps(i) if text[i:j] in self.syllables]
            whole[i] = any(whole[j] for j in steps)
            ends[i] = any(ends[j] for j in steps) or (partial and text[i:] in index.syllable_starts)
        self.whole, self.ends = whole, ends

    def _steps(self, i: int) -> range:
        """Where a syllable starting at ``i`` may end, longest first."""
        return range(min(len(self.text), i + self.longest), i, -1)

    def walk(self, depth: int, i: int = 0, acc: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], int]]:
        """Every reading of up to ``depth`` syllables from ``i`` that the rest of the input can follow, as
        (syllables, where the rest starts): depth first, longest syllables first, so the greedy reading and
        its prefixes come first."""
        text = self.text
        while i < len(text) and text[i] == "'":
            i += 1
        yield acc, i
        if depth > 0:
            for j in self._steps(i):
                if self.ends[j] and text[i:j] in self.syllables:
                    yield from self.walk(depth - 1, j, (*acc, text[i:j]))

    def complete(self, i: int) -> bool:
        """Whether a reading that got to ``i`` is a whole reading: nothing left, or only an unfinished
        syllable (never when the rest reads as whole syllables: "xian" is not "xi" + unfinished "an")."""
        return i == len(self.text) or (self.ends[i] and not self.whole[i] and "'" not in self.text[i:])

    def readings(self, limit: int) -> list[tuple[str, ...]]:
        """Up to ``limit`` whole readings, the greedy one first. ``ends`` keeps the walk off dead ends, so it
        takes at most ``limit`` × letters steps."""
        found = (acc for acc, i in self.walk(len(self.text)) if acc and self.complete(i))
        return list(itertools.islice(found, limit))


class PinyinIndex:
    """Toneless syllable → ranked characters, syllable key ("bei'jing") → ranked words.

    Build it with :meth:`build` and keep it: it holds no reference to pypinyin's data and never changes.
    """

    def __init__(
        self, chars: dict[str, str], phrases: dict[str, str], surname_syllables: frozenset[str] = frozenset(),
        own: frozenset[str] = frozenset(),
    ) -> None:  # fmt: skip
        self.chars = chars  # syllable → its characters, best first, as one string (compact)
        self.phrases = phrases  # "bei'jing" → its words, best first, joined with ","
        self.surname_syllables = surname_syllables  # syllables whose first character is a surname (wang: 王)
        self.own = own  # the kiosk's own words (KIOSK_WORDS): before the surname (长孙 before 张 for "zhangsun")
        self.syllables = frozenset(chars)
        self.syllable_starts = frozenset(s[:i] for s in self.syllables for i in range(1, len(s)))
        self.longest_syllable = max(map(len, self.syllables), default=0)
        self.longest_word = max((k.count("'") + 1 for k in phrases), default=0)

    @classmethod
    def build(
        cls, source: PinyinSource | None = None, *, words: str = KIOSK_WORDS, surnames: str = SURNAMES,
        frequencies: Mapping[str, int] | None = None,
    ) -> PinyinIndex:  # fmt: skip
        """Index ``source`` (pypinyin's installed data when None).

        ``words``: extra words, space-separated, ranked before pypinyin's (``KIOSK_WORDS``; pass more to add a
        deployment's places). ``surnames``: "王wang 李li …", ranked first for their reading, in that order.
        ``frequencies``: word -> count (default: jieba's dictionary, :mod:`kiosk.pinyin_freq`, with the
        installed data; none with a ``source`` of one's own).
        """
        if frequencies is None:
            frequencies = word_frequencies() if source is None else {}
        freq = frequencies
        source = source if source is not None else PypinyinFiles.installed()
        levels = gb2312_levels()
        plain = tone_table()
        own = [(text, spelled) for text, _, spelled in (w.partition("=") for w in words.split())]
        # What our own words need from the data: the longer pieces pypinyin may read as a word (重庆 is not
        # zhong'qing), else their characters' first readings.
        pieces = {t[i:j] for t, spelled in own if not spelled for i in range(len(t)) for j in range(i + 2, len(t) + 1)}
        common = [w for w in freq if len(w) > 1]
        phrases, seen, piece_keys = _index_words(source.words(), levels, plain, pieces | set(common))
        wanted = frozenset("".join(t for t, _ in own)) | frozenset("".join(common))
        chars, first_readings = _index_characters(source.characters(), levels, plain, seen, surnames, wanted, freq)
        del seen  # the biggest thing built: gone before the index is used
        if freq:
            _add_common_words(phrases, common, freq, piece_keys, first_readings)
        ours: dict[str, list[str]] = {}
        for text, spelled in own:
            key = spelled or _word_key(text, piece_keys, first_readings)
            if key and text not in ours.get(key, ()):
                ours.setdefault(key, []).append(text)
        for key, mine in ours.items():  # before pypinyin's words of the same reading
            rest = [w for w in phrases.get(key, "").split(",") if w and w not in mine]
            phrases[key] = ",".join(mine + rest)
        heads = {item[1:] for item in surnames.split()[:HEAD_SURNAMES] if chars.get(item[1:], "")[:1] == item[0]}
        return cls(chars, phrases, frozenset(heads), frozenset(t for t, _ in own))

    # -- reading the input ------------------------------------------------------------------------------------

    def segment(self, text: str) -> list[str]:
        """``text`` split into syllables ("zhangsan" → ["zhang", "san"]); [] when it does not split.

        Greedy longest match with backtracking ("xian" → ["xian"], "fangan" → ["fang", "an"]); an apostrophe
        separates ("xi'an" → ["xi", "an"]). An unfinished last syllable ("zhangs") makes it not split.
        """
        found = self.segmentations(text, limit=1)
        return found[0] if found else []

    def segmentations(self, text: str, limit: int = MAX_PARSES) -> list[list[str]]:
        """Up to ``limit`` ways ``text`` splits into syllables, :meth:`segment`'s first ("xian": xian, xi'an)."""
        lattice = self._lattice(text, partial=False)
        return [list(r) for r in lattice.readings(limit)] if lattice is not None else []

    def characters(self, syllable: str) -> str:
        """The characters read ``syllable``, best first ("" for no syllable)."""
        return self.chars.get(syllable, "")

    def words(self, syllables: Sequence[str]) -> list[str]:
        """The words read exactly ``syllables``, best first."""
        found = self.phrases.get("'".join(syllables), "")
        return found.split(",") if found else []

    def candidates(self, text: str, limit: int = 40) -> list[str]:
        """What to offer for ``text``, best first, at most ``limit``; [] when it is no pinyin.

        1. words read as the whole input, the greedy segmentation's first ("beijing" → 北京);
        2. a few words read as its first syllables, longest first ("eerduosishi" → 鄂尔多斯);
        3. the characters of its first syllable ("zhangsan" → 张 …: a name is picked character by character),
           with words of other segmentations of the whole input after the first few ("xian" → 先 … 西安 …).
        While the last syllable is unfinished ("zhangs") the whole ones still get candidates.
        """
        lattice = self._lattice(text, partial=True)
        if lattice is None or limit <= 0:
            return []
        first = next((acc[0] for acc, _ in lattice.walk(1) if acc), None)
        if first is None:  # nothing but the start of a syllable ("zh")
            return []
        whole: list[str] = []  # of the greedy reading: the first whole one the walk meets
        other: list[str] = []
        leading: list[tuple[int, int, str]] = []
        greedy = True
        end = len(lattice.text)
        for order, (acc, i) in enumerate(lattice.walk(self.longest_word)):
            found = self.phrases.get("'".join(acc), "") if len(acc) > 1 else ""
            if i == end:
                (whole if greedy else other).extend(found.split(",") if found else ())
                greedy = False
            elif found:  # more to pick after it: the longer the better, then as the walk found them
                leading.extend((-i, order, w) for w in found.split(","))
        chars = self.chars[first]
        # A name is what the kiosk's fields mostly take: a surname heading the input comes before any word
        # ("lishifan": 李, not 历史); with frequencies, common words would otherwise push it off the first page.
        out = dict.fromkeys(w for w in whole if w in self.own)  # an ordered set
        if first in self.surname_syllables:
            out.setdefault(chars[0])
        out.update(dict.fromkeys(whole))
        for *_, word in sorted(leading)[:LEADING_WORDS]:
            out.setdefault(word)
        out.update(dict.fromkeys(chars[:TOP_CHARACTERS]))
        out.update(dict.fromkeys(other))
        if len(out) < limit:
            out.update(dict.fromkeys(chars[TOP_CHARACTERS : TOP_CHARACTERS + limit]))
        return list(out)[:limit]

    def consume(self, text: str, chosen: str) -> str:
        """What is left of ``text`` once ``chosen`` (one of its candidates) is picked: "zhangsan", 张 → "san".

        One syllable goes per character picked, read the way the candidate spells them ("xian", 西安 → "");
        a pick that spells none of them drops as many syllables of the greedy reading. Unreadable input is
        given back as it is.
        """
        lattice = self._lattice(text, partial=True)
        if lattice is None or not chosen:
            return text
        n = len(chosen)
        deepest: tuple[int, int] = (0, 0)  # (syllables, where the rest starts) of the greedy reading
        for acc, i in lattice.walk(n):
            if len(acc) == n and self._spells(chosen, acc):
                return lattice.text[i:].lstrip("'")
            if len(acc) > deepest[0]:
                deepest = (len(acc), i)
        return lattice.text[deepest[1] :].lstrip("'")

    # -- internals --------------------------------------------------------------------------------------------

    def _spells(self, chosen: str, syllables: Sequence[str]) -> bool:
        if len(chosen) == 1:
            return chosen in self.chars.get(syllables[0], "")
        return chosen in self.words(syllables)

    def _lattice(self, text: str, *, partial: bool) -> _Lattice | None:
        """The input's lattice, or None when it is no pinyin at all (other characters, too long, unreadable)."""
        clean = text.strip().lower().replace("ü", "v").replace(" ", "")
        letters = clean.replace("'", "")
        if not letters or len(clean) > MAX_INPUT or not (letters.isascii() and letters.isalpha()):
            return None
        lattice = _Lattice(clean, self, partial=partial)
        return lattice if lattice.ends[0] else None


def _index_words(
    words: Iterable[tuple[str, Sequence[str]]],
    levels: Mapping[str, int],
    plain: Mapping[int, str | None],
    pieces: set[str],
) -> tuple[dict[str, str], Counter[str], dict[str, str]]:
    """Key → words ("bei'jing" → "北京,背景,背静"), character + reading → how many words use it, and the keys
    of the words among ``pieces``.

    A key's words are one string: most keys have one word, so no list per key and no final pass. Words of
    GB2312 level-1 characters come first, then those with a level-2 character; words with a rarer one are
    left out (the kiosk's fields want common simplified words). The counts are the only hint of use the data
    has: they rank characters, and tell a real extra reading from an archaic one.
    """
    # Bulk steps where Python would otherwise loop per word: one translate() for every reading, one Counter over
    # character + reading pairs zipped from two long sequences.
    found: list[str] = []
    toned: list[str] = []
    for word, readings in words:
        if len(readings) == len(word):  # one syllable per character, or the counts below would shift
            found.append(word)
            toned.append("'".join(readings))
    keys = "\n".join(toned).translate(plain).split("\n") if toned else []
    del toned
    seen: Counter[str] = Counter()
    for start in range(0, len(found), 4096):  # in slices: a few thousand short-lived strings at a time
        chars, syllables = "".join(found[start : start + 4096]), "'".join(keys[start : start + 4096]).split("'")
        seen.update(map(operator.add, chars, syllables))
    phrases: dict[str, str] = {}
    piece_keys = {word: key for word, key in zip(found, keys, strict=True) if word in pieces}
    common = frozenset(ch for ch, level in levels.items() if level == 1)
    known = frozenset(levels)
    later: list[tuple[str, str]] = []
    for word, key in zip(found, keys, strict=True):
        if len(word) > MAX_PHRASE_SYLLABLES:
            continue
        if common.issuperset(word):
            before = phrases.get(key)
            phrases[key] = word if before is None else before + "," + word
        elif known.issuperset(word):
            later.append((key, word))
    for key, word in later:
        before = phrases.get(key)
        phrases[key] = word if before is None else before + "," + word
    return phrases, seen, piece_keys


def _index_characters(
    characters: Iterable[tuple[int, str]],
    levels: Mapping[str, int],
    plain: Mapping[int, str | None],
    seen: Mapping[str, int],
    surnames: str,
    wanted: frozenset[str],
    freq: Mapping[str, int],
) -> tuple[dict[str, str], dict[str, str]]:
    """Syllable → its characters, best first, as one string (see the module docstring for the order), and the
    first reading of the ``wanted`` characters."""
    first_readings: dict[str, str] = {}
    surname_rank = {item[0] + item[1:]: i for i, item in enumerate(surnames.split())}
    no_surname = len(surname_rank)
    typable: dict[str, bool] = {}
    ranked: dict[str, list[int]] = {}
    for codepoint, toned in characters:
        ch = chr(codepoint)
        level = levels.get(ch, 3)
        block = 0 if 0x4E00 <= codepoint <= 0x9FFF else 1  # rare: the basic block before extensions
        readings = toned.translate(plain).split(",")
        if ch in wanted:
            first_readings[ch] = readings[0]
        for i, syllable in enumerate(readings):
            ok = typable.get(syllable)
            if ok is None:
                ok = typable[syllable] = is_syllable(syllable)
            if not ok:
                continue
            use = ch + syllable
            count = min(seen.get(use, 0), 0xFFFF)
            # An extra reading few words use comes after the characters read so first (见 is jian, rarely
            # xian), and one no word uses (an archaic one) after all of them; 行 hang, 长 zhang are in many words.
            unattested = (2 if count == 0 else 1 if count < RARE_READING else 0) if i > 0 else 0
            # The order as one int (surname, unattested, less frequent, level, fewer uses, block, codepoint):
            # sorting ints is several times faster than sorting tuples, and the character is its low 21 bits.
            rank = (surname_rank.get(use, no_surname) << 2 | unattested) << 2 | level
            rank = rank << 24 | (0xFFFFFF - min(freq.get(ch, 0), 0xFFFFFF))
            rank = ((rank << 16 | (0xFFFF - count)) << 1 | block) << 21
            ranked.setdefault(syllable, []).append(rank | codepoint)
    chars: dict[str, str] = {}
    for syllable, entries in ranked.items():
        entries.sort()
        chars[syllable] = "".join(dict.fromkeys(chr(r & 0x1FFFFF) for r in entries))  # a reading twice
    # "lue"/"nue" are how most people type 略/虐 (the standard spelling is lüe); the same string, no copy.
    for typed, standard in (("lue", "lve"), ("nue", "nve")):
        if standard in chars and typed not in chars:
            chars[typed] = chars[standard]
    return chars, first_readings


def _add_common_words(
    phrases: dict[str, str], common: Iterable[str], freq: Mapping[str, int], piece_keys: Mapping[str, str],
    first_readings: Mapping[str, str],
) -> None:
    """Put jieba's common words under their readings (pypinyin's where it knows the word, else its characters'
    first readings), and order the words of those readings by frequency (the kiosk's own words go in front
    of them afterwards, in :meth:`PinyinIndex.build`)."""
    touched: set[str] = set()
    for word in common:
        key = piece_keys.get(word)
        if key is None:
            readings = [first_readings.get(ch) for ch in word]
            if not all(readings):
                continue
            key = "'".join(readings)  # type: ignore[arg-type]
        touched.add(key)
        before = phrases.get(key)
        if before is None:
            phrases[key] = word
        elif word not in before.split(","):
            phrases[key] = before + "," + word
    for key in touched:
        listed = phrases[key].split(",")
        if len(listed) > 1:
            phrases[key] = ",".join(sorted(listed, key=lambda w: -freq.get(w, 0)))


def _word_key(word: str, piece_keys: Mapping[str, str], first_readings: Mapping[str, str]) -> str:
    """A word's key: pypinyin's reading of its longest pieces that are words, else its characters' first
    readings ("" when a character has no reading)."""
    out: list[str] = []
    i = 0
    while i < len(word):
        j = next((j for j in range(len(word), i + 1, -1) if word[i:j] in piece_keys), 0)
        if j:
            out.append(piece_keys[word[i:j]])
            i = j
        elif word[i] in first_readings:
            out.append(first_readings[word[i]])
            i += 1
        else:
            return ""
    return "'".join(out)
