"""Reading the official files: wrinkles are reported, damage is located and changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from antq.areas.loader import AreasFileError, build_plan, default_files
from antq.areas.models import Area, AreaTreePath, Succession

OLD, CONVERSION = default_files()


def copy_with(tmp_path: Path, source: Path, transform) -> Path:
    target = tmp_path / source.name
    target.write_bytes(transform(source.read_bytes()))
    return target


def problems_of(old: Path = OLD, conversion: Path = CONVERSION) -> list[str]:
    with pytest.raises(AreasFileError) as caught:
        build_plan(old, conversion)
    return [str(p) for p in caught.value.problems]


def test_it_reports_the_real_data_wrinkles(national_plan):
    topics = {n.topic for n in national_plan.notices}
    assert {
        "district_without_communes",
        "renumbered",
        "created_after_snapshot",
        "no_successor",
        "note_variant",
        "whole_merge_into_several",
        "split_equal_shares",
        "spelling_variant",
        "name_typo",
    } <= topics
    renumbered = [n for n in national_plan.notices if n.topic == "renumbered"]
    assert len(renumbered) == 7
    assert all(n.line > 0 and n.file for n in national_plan.notices if n.topic != "province_split")


def test_lang_son_has_no_wrinkle_but_two_equal_splits(national_plan):
    parent_of = {
        link.child: link.parent for link in national_plan.links if link.valid_from.year < 2025
    }
    lang_son_codes = {
        key[0]
        for key, parent in parent_of.items()
        if key[1] == "commune" and parent_of.get(parent, ("",))[0] == "20"
    }
    assert len(lang_son_codes) == 194
    touching = [
        n for n in national_plan.notices if any(f"({c})" in n.detail for c in lang_son_codes)
    ]
    assert sorted((n.topic, n.detail.split(" is split")[0]) for n in touching) == [
        ("split_equal_shares", "Xã Bính Xá (06622)"),
        ("split_equal_shares", "Xã Kiên Mộc (06625)"),
    ]


def test_it_reports_untidy_notes(national_plan):
    variants = [n.detail for n in national_plan.notices if n.topic == "note_variant"]
    assert any("'Nhập một  phần'" in v for v in variants)  # double space
    assert any("Nhâp" in v for v in variants)  # typo


def test_a_truncated_file_is_refused_with_its_line(tmp_path):
    broken = copy_with(tmp_path, OLD, lambda data: data[: len(data) // 2])
    problems = problems_of(old=broken)
    assert any("wards-2025-01-04.csv:" in p and "truncated" in p for p in problems), problems


def test_a_row_with_missing_columns_is_located(tmp_path):
    def cut(data: bytes) -> bytes:
        lines = data.split(b"\n")
        lines[10] = (
            b"Th\xc3\xa0nh ph\xe1\xbb\x91 H\xc3\xa0 N\xe1\xbb\x99i,01,Qu\xe1\xba\xadn Ba \xc4\x90\xc3\xacnh"
        )
        return b"\n".join(lines)

    problems = problems_of(old=copy_with(tmp_path, OLD, cut))
    assert problems == ["wards-2025-01-04.csv:11: expected 7 columns or more, found 3"]


def test_a_bad_code_and_a_wrong_header_are_located(tmp_path):
    conv = copy_with(tmp_path, CONVERSION, lambda d: d.replace(b",06157,", b",6157x,", 1))
    assert any(
        p.startswith("ward-conversion-2025-07-01.csv:") and "'6157x' is not 5 digits" in p
        for p in problems_of(conversion=conv)
    )
    old = copy_with(tmp_path, OLD, lambda d: d.replace("Mã PX".encode(), b"Ma", 1))
    assert problems_of(old=old)[0].startswith("wards-2025-01-04.csv:1: unexpected header")


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    old = copy_with(tmp_path, OLD, lambda d: "Tỉnh".encode("utf-16") + d)
    assert "not valid UTF-8" in problems_of(old=old)[0]


def test_a_missing_file_is_refused(tmp_path):
    assert "cannot read the file" in problems_of(old=tmp_path / "nope.csv")[0]


@pytest.mark.django_db
def test_a_bad_file_leaves_the_database_as_it_was(tmp_path):
    counts = (Area.objects.count(), Succession.objects.count(), AreaTreePath.objects.count())
    broken = tmp_path / "ward-conversion-2025-07-01.csv"
    shutil.copy(CONVERSION, broken)
    with broken.open("ab") as fh:
        fh.write(b'Th\xc3\xa0nh ph\xe1\xbb\x91 H\xc3\xa0 N\xe1\xbb\x99i (01),"unterminated')
    with pytest.raises(CommandError) as caught:
        call_command("load_areas", conversion=broken)
    message = str(caught.value)
    assert "cơ sở dữ liệu giữ nguyên" in message
    assert "ward-conversion-2025-07-01.csv:" in message
    assert (
        Area.objects.count(),
        Succession.objects.count(),
        AreaTreePath.objects.count(),
    ) == counts
