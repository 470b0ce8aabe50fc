"""Regenerate the shell's translations: ``python -m ui.i18n.build [--check]``.

1. ``pyside6-lupdate`` collects every ``translate("Context", "...")`` string of ui/ into both .ts files
   (obsolete strings dropped, no line numbers so the files only change when the strings do).
2. In ``kiosk_en.ts`` every string is its own translation (the source strings are English).
3. In ``kiosk_mn.ts`` a string without a translation gets its machine-made draft (``ui/i18n/mn_drafts.py``),
   marked ``type="unfinished"`` for a native reviewer; lrelease still compiles unfinished strings.
4. ``pyside6-lrelease`` compiles every .ts into the .qm file the shell loads.

``--check`` changes nothing: it fails when a string in the code is missing from a .ts file, when a .ts file
has an empty translation, an unfinished one (except, explicitly, in a REVIEW_PENDING language such as ``mn``,
whose drafts await review), or when a .qm file is older than its .ts file.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from ui.i18n import HERE, LANGUAGES, REVIEW_PENDING, ts_path
from ui.i18n.mn_drafts import draft

log = logging.getLogger(__name__)

UI_DIR = HERE.parent
TS_LANGUAGE = {"zh": "zh_CN", "en": "en", "mn": "mn_CN"}


def _tool(name: str) -> str:
    """The PySide6 tool ``name`` next to this interpreter, else on PATH."""
    beside = Path(sys.executable).with_name(name)
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found (pip install PySide6-Essentials)")
    return found


def sources() -> list[Path]:
    """Every Python file of the shell that may hold translatable strings."""
    return sorted(p for p in UI_DIR.rglob("*.py") if "i18n" not in p.parts)


def run_lupdate(ts_files: list[Path]) -> None:
    """Update ``ts_files`` from the sources."""
    cmd = [_tool("pyside6-lupdate"), *map(str, sources()), "-no-obsolete", "-locations", "none", "-ts"]
    subprocess.run([*cmd, *map(str, ts_files)], check=True, capture_output=True, text=True)


def messages(ts: Path) -> dict[tuple[str, str], tuple[str, bool]]:
    """(context, source) -> (translation, finished) of a .ts file; plural forms joined with '|'."""
    out: dict[tuple[str, str], tuple[str, bool]] = {}
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            if tr is None:
                continue
            forms = [f.text or "" for f in tr.findall("numerusform")]
            text = "|".join(forms) if forms else (tr.text or "")
            finished = tr.get("type") not in ("unfinished", "vanished", "obsolete")
            out[(name, msg.findtext("source") or "")] = (text, finished and all(forms or [text]))
    return out


def fill_english(ts: Path) -> int:
    """Make every source string its own English translation; returns how many were filled."""
    tree = ET.parse(ts)
    root = tree.getroot()
    root.set("language", "en")
    filled = 0
    for msg in root.iter("message"):
        tr = msg.find("translation")
        if tr is None:
            continue
        source = msg.findtext("source") or ""
        forms = tr.findall("numerusform")
        if tr.get("type") == "unfinished" or not (tr.text or forms):
            filled += 1
        if msg.get("numerus") == "yes":
            for f in forms:
                tr.remove(f)
            tr.text = None
            for _ in range(2):  # English has two plural forms (one, other); both read as the source
                ET.SubElement(tr, "numerusform").text = source
        else:
            tr.text = source
        tr.attrib.pop("type", None)
    _write(tree, ts)
    return filled


def fill_mongolian(ts: Path) -> int:
    """Give every untranslated string of ``ts`` its machine-made draft, marked unfinished; returns how many.

    A translation already there (a reviewer's, finished or not) is kept: drafts only fill gaps.
    """
    tree = ET.parse(ts)
    root = tree.getroot()
    root.set("language", TS_LANGUAGE["mn"])
    filled = 0
    for msg in root.iter("message"):
        tr = msg.find("translation")
        if tr is None or (tr.text or "").strip():
            continue
        text = draft(msg.findtext("source") or "")
        if text:
            tr.text = text
            tr.set("type", "unfinished")
            filled += 1
    _write(tree, ts)
    return filled


def awaiting_review(lang: str) -> int:
    """How many translations of ``lang`` are marked unfinished (drafts a native speaker has not yet passed)."""
    return sum(1 for _text, finished in messages(ts_path(lang)).values() if not finished)


def _write(tree: ET.ElementTree, ts: Path) -> None:
    ET.indent(tree, space="    ")
    body = ET.tostring(tree.getroot(), encoding="unicode")
    ts.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


def run_lrelease(ts: Path) -> None:
    """Compile ``ts`` into the .qm beside it."""
    qm = ts.with_suffix(".qm")
    subprocess.run([_tool("pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True, capture_output=True)


def problems() -> list[str]:
    """What is out of date or untranslated, as readable lines (empty: all good)."""
    found: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh.ts"
        run_lupdate([fresh])
        wanted = set(messages(fresh))
    for lang in LANGUAGES:
        ts = ts_path(lang)
        have = messages(ts) if ts.exists() else {}
        for ctx, src in sorted(wanted - set(have)):
            found.append(f"{ts.name}: missing [{ctx}] {src!r}")
        for (ctx, src), (text, finished) in sorted(have.items()):
            if (ctx, src) in wanted and (not text.strip() or (not finished and lang not in REVIEW_PENDING)):
                found.append(f"{ts.name}: untranslated [{ctx}] {src!r}")
        for ctx, src in sorted(set(have) - wanted):
            found.append(f"{ts.name}: obsolete [{ctx}] {src!r}")
        qm = ts.with_suffix(".qm")
        if not qm.exists() or (ts.exists() and qm.stat().st_mtime < ts.stat().st_mtime - 1):
            found.append(f"{qm.name}: missing or older than {ts.name}")
    return found


def build() -> list[str]:
    """Update every .ts file, fill the English one and the Mongolian drafts, compile all; returns the problems."""
    ts_files = [ts_path(lang) for lang in LANGUAGES]
    run_lupdate(ts_files)
    fill_english(ts_path("en"))
    fill_mongolian(ts_path("mn"))
    tree = ET.parse(ts_path("zh"))
    tree.getroot().set("language", TS_LANGUAGE["zh"])
    _write(tree, ts_path("zh"))
    for ts in ts_files:
        run_lrelease(ts)
    return problems()


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m ui.i18n.build", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report problems; change nothing")
    args = parser.parse_args(argv)
    found = problems() if args.check else build()
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} translation problem(s): fill kiosk_zh_CN.ts (pyside6-linguist) and re-run")
        return 1
    for lang in sorted(REVIEW_PENDING):
        print(f"{ts_path(lang).name}: {awaiting_review(lang)} machine-made translation(s) await a native reviewer")
    print("translations complete")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
