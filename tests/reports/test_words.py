"""Figures in official Vietnamese prose."""

from __future__ import annotations

import pytest

from antq.reports import words


@pytest.mark.parametrize(
    "n, text",
    [
        (6512, "hơn 6.500"),
        (912, "hơn 900"),
        (1047, "hơn 1.000"),
        (3468, "hơn 3.400"),
        (66, "66"),
        (199, "199"),
        (6500, "6.500"),
        (45_678, "hơn 45.000"),
        (1_234_567, "hơn 1.200.000"),
        (0, "0"),
    ],
)
def test_counts_are_rounded_down_and_say_so(n, text):
    assert words.about(n) == text


def test_counts_with_their_units_money_and_shares():
    assert words.count(912, "vụ") == "hơn 900 vụ"
    assert words.count(912, "vụ", exact=True) == "912 vụ"
    assert words.money(4_500_000_000) == "4,5 tỷ đồng"
    assert words.money(450_000_000) == "450 triệu đồng"
    assert words.money_in_words(4_500_000_000) == "Bốn tỷ năm trăm triệu đồng"
    assert words.money_in_words(1_047) == "Một nghìn lẻ bốn mươi bảy đồng"
    assert words.share(2156, 3468) == "62,2%"
    assert words.share(1, 0) == "—"


def test_a_documents_subject_reads_on_after_its_number():
    from antq.reports.results import _about

    assert _about("Về tiếp tục đẩy mạnh thực hiện Chỉ thị 09-CT/TW.") == (
        "về tiếp tục đẩy mạnh thực hiện Chỉ thị 09-CT/TW"
    )
    assert _about("Tăng cường sự lãnh đạo") == "về tăng cường sự lãnh đạo"
    assert _about("") == ""
