"""The translation catalogues: Vietnamese is complete, well-formed, compiled and in step with
the source; pages speak Vietnamese unless the user chose English."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "antq"
LOCALE_DIR = PACKAGE_DIR / "locale"
VI_PO = LOCALE_DIR / "vi" / "LC_MESSAGES" / "django.po"

# %(name)s, %(name)d, %s, %d … (but not the escaped %%), and {name}-style braces.
PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0+]*\d*(?:\.\d+)?[sdifeEgGxXoucr]")
BRACES = re.compile(r"\{[^{}]*\}")


def placeholders(text: str) -> set[str]:
    text = text.replace("%%", "")
    return set(PRINTF.findall(text)) | set(BRACES.findall(text))


def live_entries(po: polib.POFile) -> list[polib.POEntry]:
    return [e for e in po if not e.obsolete and e.msgid]


def key(entry: polib.POEntry | polib.MOEntry) -> tuple[str | None, str]:
    return (entry.msgctxt or None, entry.msgid)


def forms(entry: polib.POEntry | polib.MOEntry) -> tuple[str, ...]:
    """The translation: one string, or every plural form in order."""
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
    return (entry.msgstr,)


@pytest.fixture(scope="module")
def vi_po() -> polib.POFile:
    return polib.pofile(str(VI_PO))


def test_the_vietnamese_header_is_complete_and_not_fuzzy(vi_po):
    assert not vi_po.metadata_is_fuzzy
    assert vi_po.metadata["Language"] == "vi"
    assert vi_po.metadata["Project-Id-Version"] == "antq"
    assert "charset=UTF-8" in vi_po.metadata["Content-Type"]
    assert vi_po.metadata["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"


def test_the_english_header_is_fixed_and_its_entries_stay_empty():
    en = polib.pofile(str(LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"))
    assert not en.metadata_is_fuzzy
    assert en.metadata["Language"] == "en"
    assert "charset=UTF-8" in en.metadata["Content-Type"]
    filled = [e.msgid for e in live_entries(en) if e.translated()]
    assert not filled, f"English is the source language; leave these empty: {filled}"


def test_every_vietnamese_entry_is_translated_and_not_fuzzy(vi_po):
    entries = live_entries(vi_po)
    assert len(entries) > 100, "the Vietnamese catalogue looks truncated"
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    empty = [e.msgid for e in entries if not forms(e) or not all(s.strip() for s in forms(e))]
    assert not fuzzy, f"fuzzy entries in {VI_PO.name}: {fuzzy}"
    assert not empty, f"untranslated entries in {VI_PO.name}: {empty}"


def test_placeholders_match_between_source_and_vietnamese(vi_po):
    wrong = []
    for e in live_entries(vi_po):
        expected = placeholders(e.msgid) | placeholders(e.msgid_plural or "")
        for msgstr in forms(e):
            if placeholders(msgstr) != expected:
                wrong.append((e.msgid, sorted(expected), sorted(placeholders(msgstr))))
    assert not wrong, "placeholders differ (msgid, expected, found):\n" + "\n".join(map(str, wrong))


def test_html_tags_are_kept_in_the_vietnamese_translation(vi_po):
    tag = re.compile(r"</?[a-zA-Z][^>]*>")
    wrong = [
        e.msgid
        for e in live_entries(vi_po)
        if any(sorted(tag.findall(e.msgid)) != sorted(tag.findall(s)) for s in forms(e))
    ]
    assert not wrong, f"HTML tags differ: {wrong}"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_committed_mo_file_is_compiled_from_the_final_po(language):
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    mo_path = folder / "django.mo"
    assert mo_path.exists(), f"{mo_path} is missing: run `antq compilemessages` and commit it"
    po = polib.pofile(str(folder / "django.po"))
    mo = polib.mofile(str(mo_path))
    expected = {
        key(e): forms(e) for e in live_entries(po) if e.translated() and "fuzzy" not in e.flags
    }
    compiled = {key(e): forms(e) for e in mo if e.msgid}
    stale = sorted(
        k[1] for k in expected.keys() | compiled.keys() if expected.get(k) != compiled.get(k)
    )
    assert not stale, (
        f"{mo_path} does not match its .po for {stale}: run `antq compilemessages` and commit it"
    )


def test_the_vietnamese_catalogue_holds_every_message_of_the_source(tmp_path, vi_po):
    assert shutil.which("msguniq") and shutil.which("msgmerge"), (
        "makemessages needs GNU gettext (apt-get install gettext)"
    )
    copy = tmp_path / "antq"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "antq.settings",
        "PYTHONPATH": str(tmp_path),
        "ANTQ_DATA_DIR": str(tmp_path / "var"),
        "ANTQ_MODE": "development",
    }
    command = [sys.executable, "-m", "django", "makemessages", "-l", "vi", "--no-obsolete"]
    command += ["--ignore", "*/migrations/*"]
    result = subprocess.run(
        command, cwd=copy, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"

    regenerated = polib.pofile(str(copy / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    in_source = {key(e) for e in live_entries(regenerated)}
    committed = {key(e) for e in live_entries(vi_po)}
    assert in_source, "makemessages found no message at all; the scan itself is broken"
    missing = sorted(msgid for _ctx, msgid in in_source - committed)
    assert not missing, (
        f"{len(missing)} message(s) in the source are missing from antq/locale/vi/"
        "LC_MESSAGES/django.po; run makemessages and translate:\n" + "\n".join(missing)
    )


@pytest.mark.django_db
def test_pages_speak_vietnamese_even_when_the_browser_asks_for_english(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đăng nhập" in page
    assert "Log in" not in page
    assert response.headers["Content-Language"] == "vi"


@pytest.mark.django_db
def test_pages_speak_english_when_the_user_chose_it_by_cookie(client):
    client.cookies["antq_language"] = "en"
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Log in" in page
    assert "Đăng nhập" not in page
    assert response.headers["Content-Language"] == "en"
