"""Pinyin input (kiosk/pinyin.py): segmentation, candidates, picking, ranking, and reading pypinyin's data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.pinyin import (
    KIOSK_WORDS,
    SURNAMES,
    PinyinData,
    PinyinIndex,
    PypinyinFiles,
    gb2312_levels,
    tone_table,
    toneless,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def index() -> PinyinIndex:
    """The real index, built once for the module (about 0.4 s)."""
    return PinyinIndex.build()


@pytest.fixture(scope="module")
def pypinyin_data() -> PinyinData:
    """pypinyin's dictionaries as pypinyin itself loads them (the reference for our reader)."""
    from pypinyin.phrases_dict import phrases_dict
    from pypinyin.pinyin_dict import pinyin_dict

    return PinyinData(pinyin_dict, phrases_dict)


def type_by_picking(index: PinyinIndex, letters: str, target: str, *, within: int = 40) -> list[int]:
    """Type ``letters`` and pick, each time, the longest candidate that continues ``target`` among the first
    ``within`` offered; returns where each pick stood. Fails if ``target`` cannot be reached that way."""
    typed, text, places = "", letters, []
    while text:
        offered = index.candidates(text, within)
        fitting = [c for c in offered if target.startswith(typed + c)]
        assert fitting, f"{target}: nothing continues {typed!r} among {offered[:10]} for {text!r}"
        best = max(fitting, key=len)
        places.append(offered.index(best))
        typed += best
        text = index.consume(text, best)
    assert typed == target
    return places


# -- the cases the shell needs -------------------------------------------------------------------------------


def test_a_surname_comes_first(index: PinyinIndex) -> None:
    assert index.candidates("zhang")[0] == "张"
    assert index.candidates("wang")[0] == "王"
    assert index.candidates("li")[0] == "李"
    assert index.candidates("ZHANG")[0] == "张"  # the keyboard's keys are capitals


def test_a_full_name_segments_and_offers_its_first_syllable(index: PinyinIndex) -> None:
    assert index.segment("zhangsan") == ["zhang", "san"]
    found = index.candidates("zhangsan")
    assert found[0] == "张"
    assert found[:10] == index.candidates("zhang")[:10]  # no word 张三: characters of "zhang", to pick one
    assert index.consume("zhangsan", "张") == "san"
    assert index.candidates("san")[0] == "三"
    assert index.consume("san", "三") == ""


def test_v_stands_for_u_umlaut(index: PinyinIndex) -> None:
    found = index.candidates("lv")
    assert "绿" in found and "吕" in found
    assert found[0] == "吕"  # a top-100 surname
    assert "女" in index.candidates("nv")[:3]
    assert "略" in index.candidates("lve")[:3] and "略" in index.candidates("lue")[:3]  # both spellings


def test_an_apostrophe_separates_syllables(index: PinyinIndex) -> None:
    assert index.segment("xian") == ["xian"]
    assert index.segment("xi'an") == ["xi", "an"]
    assert ["xi", "an"] in index.segmentations("xian")
    assert index.candidates("xi'an")[0] == "西安"
    xian = index.candidates("xian")
    assert len(xian[0]) == 1 and "先" in xian[:5]
    assert "西安" in xian[5:20]  # the other reading, after the first characters
    assert index.consume("xian", "西安") == ""
    assert index.consume("xian", "先") == ""
    assert index.consume("xi'an", "西") == "an"


def test_a_word_comes_before_characters(index: PinyinIndex) -> None:
    assert index.candidates("beijing")[0] == "北京"
    assert index.consume("beijing", "北京") == ""
    assert index.consume("beijing", "北") == "jing"


def test_a_place_name_of_the_pilot_hall(index: PinyinIndex) -> None:
    assert index.segment("eerduosi") == ["e", "er", "duo", "si"]
    assert index.candidates("eerduosi")[0] == "鄂尔多斯"
    assert "鄂" in index.candidates("eerduosi")  # and character by character
    assert index.consume("eerduosi", "鄂") == "erduosi"


def test_a_word_for_the_first_syllables_of_a_longer_input(index: PinyinIndex) -> None:
    found = index.candidates("eerduosishi")
    assert found[0] == "鄂尔多斯"
    assert index.consume("eerduosishi", "鄂尔多斯") == "shi"
    # Also when the greedy cut reads the letters otherwise: "zizhiqu'e…" read greedily is "zi zhi que er …".
    assert "自治区" in index.candidates("zizhiqueerduosi")[:4]
    assert index.consume("zizhiqueerduosi", "自治区") == "eerduosi"


def test_typing_on_while_a_syllable_is_unfinished(index: PinyinIndex) -> None:
    assert index.segment("zhangs") == []  # not a whole reading
    assert index.candidates("zhangs")[:5] == index.candidates("zhang")[:5]  # the bar does not go blank
    assert index.consume("zhangs", "张") == "s"
    assert index.candidates("zh") == []  # only the start of a syllable: nothing to offer yet


@pytest.mark.parametrize("junk", ["qqq", "", "'", "''", "   ", "zh", "123", "zhang3", "张", "a-b", "é", "x" * 200])
def test_what_is_no_pinyin_gives_nothing(index: PinyinIndex, junk: str) -> None:
    assert index.candidates(junk) == []
    assert index.segment(junk) == []
    assert index.consume(junk, "张") == junk


def test_limit(index: PinyinIndex) -> None:
    assert len(index.candidates("yi", 7)) == 7
    assert index.candidates("yi", 0) == []
    assert len(index.candidates("yi", 400)) > 100  # rare characters too: names use them


@pytest.mark.parametrize(
    ("target", "letters"),
    [
        ("王小禾", "wangxiaohe"),  # the demo's newborn
        ("李示范", "lishifan"),  # spouse, household head
        ("王晓丽", "wangxiaoli"),  # the card holder
        ("王示例", "wangshili"),
        ("蒙古族", "mengguzu"),
        ("鄂尔多斯市中心医院", "eerduosishizhongxinyiyuan"),  # birth institution
        ("内蒙古自治区鄂尔多斯市东胜区示例路", "neimengguzizhiqueerduosishidongshengqushililu"),  # address
    ],
)
def test_the_demo_values_can_be_typed_by_picking(index: PinyinIndex, target: str, letters: str) -> None:
    places = type_by_picking(index, letters, target)
    assert len(places) <= len(target)
    assert places[0] <= 2  # a surname or a word is on the first page


def test_the_demo_place_words_are_picked_whole(index: PinyinIndex) -> None:
    assert len(type_by_picking(index, "eerduosishizhongxinyiyuan", "鄂尔多斯市中心医院")) <= 3
    assert len(type_by_picking(index, "mengguzu", "蒙古族")) == 1


# -- ranking ------------------------------------------------------------------------------------------------


def test_surnames_are_the_top_100_with_their_surname_readings(index: PinyinIndex) -> None:
    items = SURNAMES.split()
    assert len(items) == 100
    assert len({item[0] for item in items}) == 100
    levels = gb2312_levels()
    for item in items:
        ch, syllable = item[0], item[1:]
        assert levels.get(ch) in (1, 2), ch
        assert ch in index.characters(syllable), item
        # Surnames lead their syllable, in list order.
        same = [i[0] for i in items if i[1:] == syllable]
        assert index.characters(syllable)[: len(same)] == "".join(same), syllable


def test_a_surname_reading_does_not_promote_the_other_readings(index: PinyinIndex) -> None:
    assert index.characters("ye")[0] == "叶"
    assert "叶" not in index.characters("xie")[:5]  # 叶 is also read xie, but not as a surname
    assert index.characters("xie")[0] == "谢"
    assert index.characters("zeng")[0] == "曾"
    assert "层" in index.characters("ceng")[:2]  # 曾 (曾经) may come first by frequency, never by its surname


def test_common_characters_before_level_2_before_rare() -> None:
    # 张 章 level 1, 璋 level 2, 張 traditional (not in GB2312), 䍤 extension A: codepoint order is the opposite.
    chars = {ord("䍤"): "zhāng", ord("張"): "zhāng", ord("璋"): "zhāng", ord("章"): "zhāng", ord("张"): "zhāng"}
    index = PinyinIndex.build(PinyinData(chars, {}), words="", surnames="")
    assert index.characters("zhang") == "张章璋張䍤"  # level 1 in codepoint order (stable), 2, then rare
    surnamed = PinyinIndex.build(PinyinData(chars, {}), words="", surnames="章zhang")
    assert surnamed.characters("zhang") == "章张璋張䍤"


def test_within_a_level_characters_used_in_words_come_first_and_archaic_readings_last() -> None:
    # 丁 gets a made-up extra reading "xian" that no word uses (as pinyin_dict has 肩 "xian"); its codepoint is
    # the lowest, so only that rule puts it last.
    chars = {ord("先"): "xiān", ord("仙"): "xiān", ord("丁"): "dīng,xián", ord("线"): "xiàn", ord("鲜"): "xiān,xiǎn"}
    words = {"先生": [["xiān"], ["shēng"]], "先进": [["xiān"], ["jìn"]], "朝鲜": [["cháo"], ["xiǎn"]]}
    index = PinyinIndex.build(PinyinData(chars, words), words="", surnames="")
    # 先 (2 words), 鲜 (1, as xian: its second reading, but a used one), then unused first readings 仙 线 by
    # codepoint, then 丁.
    assert index.characters("xian") == "先鲜仙线丁"
    assert index.characters("ding") == "丁"


def test_own_words_come_first_and_follow_pypinyin_readings(index: PinyinIndex) -> None:
    assert index.candidates("chongqing")[0] == "重庆"  # 重 is zhong alone
    assert index.candidates("changchun")[0] == "长春"
    assert index.candidates("yuchi")[0] == "尉迟"  # written with its reading in KIOSK_WORDS
    assert index.candidates("zhangsun")[0] == "长孙"


def test_every_own_word_reads_as_pypinyin_reads_it(index: PinyinIndex) -> None:
    from pypinyin import Style, lazy_pinyin

    for entry in KIOSK_WORDS.split():
        word, _, spelled = entry.partition("=")
        key = spelled or "'".join(lazy_pinyin(word, style=Style.NORMAL))
        assert word in index.words(key.split("'")), (word, key)


# -- reading pypinyin's data --------------------------------------------------------------------------------


def test_the_files_read_as_pypinyin_reads_them(pypinyin_data: PinyinData) -> None:
    files = PypinyinFiles.installed()
    assert isinstance(files, PypinyinFiles)  # the JSON files are there: pypinyin is not imported to build
    assert dict(files.characters()) == dict(pypinyin_data.characters())
    mine = list(files.words())
    assert len(mine) > 40_000
    assert mine == [(w, list(r)) for w, r in pypinyin_data.words()]


def test_escaped_files_fall_back_to_json(tmp_path: Path) -> None:
    (tmp_path / "pinyin_dict.json").write_text(json.dumps({str(ord("西")): "xī", str(ord("安")): "ān"}))
    (tmp_path / "phrases_dict.json").write_text(json.dumps({"西安": [["xī"], ["ān"]]}))  # \u escapes
    files = PypinyinFiles(tmp_path)
    assert files.available()
    assert list(files.words()) == [("西安", ["xī", "ān"])]
    index = PinyinIndex.build(files, words="", surnames="")
    assert index.candidates("xi'an") == ["西安", "西"]
    assert not PypinyinFiles(tmp_path / "missing").available()


def test_tone_marks_come_off_as_typed(pypinyin_data: PinyinData) -> None:
    assert toneless("lǜ") == "lv"
    assert toneless("nüè") == "nve"
    assert toneless("Zhāng") == "zhang"
    assert toneless("ê̄") == "e"
    table = tone_table()
    readings = {r for v in pypinyin_data.chars.values() for r in v.split(",")}
    assert all(r.translate(table) == toneless(r) for r in readings)


def test_building_does_not_import_pypinyin_and_importing_does_no_work() -> None:
    code = (
        "import sys, time; t = time.perf_counter(); import kiosk.pinyin as p; took = time.perf_counter() - t\n"
        "assert 'pypinyin' not in sys.modules\n"
        "i = p.PinyinIndex.build(); assert i.candidates('zhang')[0] == '张'\n"
        "assert 'pypinyin' not in sys.modules, 'build imported pypinyin'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# -- properties ---------------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzü' AZ1,张"), max_size=30))
def test_any_input_gives_a_list_and_never_raises(index: PinyinIndex, text: str) -> None:
    found = index.candidates(text, 12)
    assert isinstance(found, list) and len(found) <= 12 and len(set(found)) == len(found)
    for candidate in found[:3]:
        rest = index.consume(text, candidate)
        assert len(rest.replace("'", "")) < len(text.lower().replace("'", "").replace(" ", ""))


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_joined_syllables_segment_back(index: PinyinIndex, data: st.DataObject) -> None:
    syllables = data.draw(st.lists(st.sampled_from(sorted(index.syllables)), min_size=1, max_size=6))
    assert index.segment("'".join(syllables)) == syllables
    joined = "".join(syllables)
    cut = index.segment(joined)
    assert "".join(cut) == joined and all(s in index.syllables for s in cut)
    assert syllables in index.segmentations(joined, limit=10_000)
