"""The Vietnamese document-citation parser (antq.directives.symbols): a plain module, tested
without Django or a database.

The seed article is the one in shared/seed (000_1349425d3daec4cc.txt), copied in below so the
tests read nothing outside the repository. The speed checks only make sure megabyte inputs
finish (no timing assertion); speed targets belong in benchmarks."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from antq.directives.symbols import Reference, normalise_symbol, parse_references

from .corpus import CORPUS, Case

ROOT = Path(__file__).resolve().parents[2]

# The seed article as published, with the names of the people in it replaced by "[họ tên]":
# people from the seed appear in antq only by title and body.
SEED_ARTICLE = (
    "Đồng chí [họ tên], Phó Trưởng Ban Nội chính làm việc với Tỉnh ủy Lạng Sơn về kết quả thực hiện Kết luận số 44-KL/TW của Ban Bí thư\n"
    "\n"
    "Thứ Hai, 13/03/2023, 15:11 [GMT+7]\n"
    "\xa0\xa0\xa0\xa0Chiều 10/3, Đoàn kiểm tra của Ban Nội chính Trung ương do đồng chí [họ tên], Phó Trưởng Ban làm Trưởng đoàn làm việc với Tỉnh ủy Lạng Sơn về kết quả thực hiện Kết luận số 44-KL/TW của Ban Bí thư (khóa XII), ngày 22/01/2019 về tiếp tục đẩy mạnh thực hiện Chỉ thị số 09-CT/TW, ngày 01/12/2011 của Ban Bí thư (khoá XI) về tăng cường sự lãnh đạo của Đảng đối với phong trào toàn dân bảo vệ an ninh Tổ quốc trong tình hình mới.\n"
    "\xa0\n"
    "\xa0\xa0\xa0\xa0Làm việc với Đoàn về phía tỉnh ủy Lạng Sơn có các đồng chí: [họ tên], Phó Bí thư Thường trực Tỉnh ủy, Trưởng Đoàn đại biểu Quốc hội tỉnh; [họ tên], Ủy viên Ban Thường vụ Tỉnh ủy, Phó Chủ tịch Ủy ban nhân dân tỉnh; lãnh đạo một số ban, ngành của tỉnh.\n"
    "\xa0\n"
    "Đồng chí [họ tên], Phó Trưởng Ban Nội chính Trung ương phát biểu tại buổi làm việc\n"
    "Đồng chí [họ tên], Phó Trưởng Ban Nội chính Trung ương phát biểu tại buổi làm việc\n"
    "\xa0\xa0\xa0\xa0Theo báo cáo tại buổi làm việc, thực hiện Kết luận số 44-KL/TW, Tỉnh ủy Lạng Sơn đã ban hành Kế hoạch số 100-KH/TU, ngày 22/3/2019 về tiếp tục thực hiện Chỉ thị số 09-CT/TW của Ban Bí thư khóa XI về tăng cường sự lãnh đạo của Đảng đối với phong trào Toàn dân bảo vệ an ninh Tổ quốc trong tình hình mới. Kế hoạch được triển khai đến các ban đảng, ban cán sự đảng, đảng đoàn, các huyện ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy để thực hiện; đồng thời, giao Đảng ủy Công an tỉnh chủ trì, phối hợp với các cơ quan liên quan tham mưu cho Ban Thường vụ Tỉnh ủy thường xuyên theo dõi, đôn đốc, kiểm tra, giám sát việc triển khai, tổ chức thực hiện. Trong giai đoạn 2019-2022, các cấp ủy, chính quyền, Ủy ban Mặt trận Tổ quốc Việt Nam và các ban, ngành, đoàn thể từ tỉnh đến cơ sở đã quan tâm lãnh đạo, chỉ đạo, triển khai thực hiện nghiêm túc, có hiệu quả Kết luận số 44-KL/TW gắn với thực hiện nhiệm vụ chính trị được giao. Phong trào Toàn dân bảo vệ an ninh Tổ quốc được triển khai rộng khắp, gắn với các phong trào thi đua, cuộc vận động của các cấp, các ngành và địa phương; huy động sức mạnh tổng hợp của cả hệ thống chính trị và toàn dân tham gia bảo đảm an ninh trật tự. Nổi bật, trong công tác tuyên truyền, toàn tỉnh có hơn 6.500 tin, bài, ảnh, phóng sự đăng tải trên báo đài Trung ương và địa phương phản ánh về công tác bảo đảm an ninh trật tự; hiện nay xây dựng được 66 mô hình “Tự phòng, tự quản, tự bảo vệ, tự hòa giải về an ninh trật tự”; người dân cung cấp hàng nghìn nguồn tin có giá trị giúp lực lượng chức năng điều tra, làm rõ hơn 900 vụ phạm pháp hình sự, với hơn 1.000 đối tượng, thu hồi tài sản trị giá 4,5 tỷ đồng…\n"
    "\xa0\n"
    "\xa0\xa0\xa0\xa0Phát biểu tại buổi làm việc, đồng chí [họ tên], Phó Trưởng Ban Nội chính Trung ương ghi nhận, biểu dương những kết quả đạt được của tỉnh trong thực hiện Kết luận số 44-KL/TW thời gian qua. Với vị trí của một tỉnh biên giới, công tác đảm bảo an ninh trật tự ở Lạng Sơn lại càng có vai trò đặc biệt quan trọng.\n"
    "\xa0\n"
    "\xa0\xa0\xa0\xa0Về nhiệm vụ thời gian tới, đồng chí Phó Trưởng Ban Nội chính Trung ương đề nghị tỉnh tiếp tục quán triệt, tuyên truyền nâng cao nhận thức của cán bộ, đảng viên và Nhân dân tích cực tham gia phong trào toàn dân bảo vệ an ninh Tổ quốc; quan tâm nhân rộng các mô hình tự quản về an ninh trật tự hoạt động có hiệu quả; chú trọng xây dựng lực lượng nòng cốt trong phong trào toàn dân bảo vệ an ninh Tổ quốc.\n"
    "\xa0\n"
    "\xa0\xa0\xa0\xa0Trước đó, Đoàn công tác cũng đã làm việc với Đảng ủy Công an tỉnh và Huyện ủy Văn Lãng về kết quả thực hiện Kết luận số 44-KL/TW.\n"
    "\xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 P.V\n"
    "."
)

# The citation-bearing sentences of the seed article as the issue quotes them: the first
# paragraph's opening sentence and the sentence announcing the provincial plan.
ISSUE_EXCERPT = (
    "Đoàn kiểm tra của Ban Nội chính Trung ương làm việc với Tỉnh ủy Lạng Sơn về kết quả thực"
    " hiện Kết luận số 44-KL/TW của Ban Bí thư (khóa XII), ngày 22/01/2019 về tiếp tục đẩy mạnh"
    " thực hiện Chỉ thị số 09-CT/TW, ngày 01/12/2011 của Ban Bí thư (khoá XI) về tăng cường sự"
    " lãnh đạo của Đảng đối với phong trào toàn dân bảo vệ an ninh Tổ quốc trong tình hình mới."
    " Tỉnh ủy Lạng Sơn đã ban hành Kế hoạch số 100-KH/TU, ngày 22/3/2019 về tiếp tục thực hiện"
    " Chỉ thị số 09-CT/TW của Ban Bí thư khóa XI về tăng cường sự lãnh đạo của Đảng đối với"
    " phong trào Toàn dân bảo vệ an ninh Tổ quốc trong tình hình mới."
)


def fields(ref: Reference) -> tuple:
    return (ref.symbol, ref.kind, ref.kind_name, ref.number, ref.issuer, ref.date)


def assert_well_formed(text: str, refs: list[Reference]) -> None:
    """Spans lie inside the text, each symbol inside its citation, in increasing order."""
    assert isinstance(refs, list)
    previous_end = 0
    for ref in refs:
        assert isinstance(ref, Reference)
        start, end = ref.span
        sym_start, sym_end = ref.symbol_span
        assert previous_end <= start <= sym_start < sym_end == end <= len(text)
        assert ref.number and ref.number in text[sym_start:sym_end]
        assert normalise_symbol(ref.symbol) == ref.symbol
        previous_end = end


# ---- 1. The seed article -------------------------------------------------------------------


def test_the_issue_excerpt_yields_its_four_citations_in_order_with_their_issue_dates():
    refs = parse_references(ISSUE_EXCERPT)
    assert [fields(r) for r in refs] == [
        ("44-KL/TW", "KL", "Kết luận", "44", "TW", dt.date(2019, 1, 22)),
        ("09-CT/TW", "CT", "Chỉ thị", "09", "TW", dt.date(2011, 12, 1)),
        ("100-KH/TU", "KH", "Kế hoạch", "100", "TU", dt.date(2019, 3, 22)),
        ("09-CT/TW", "CT", "Chỉ thị", "09", "TW", None),
    ]
    assert [ISSUE_EXCERPT[slice(*r.span)] for r in refs] == [
        "Kết luận số 44-KL/TW",
        "Chỉ thị số 09-CT/TW",
        "Kế hoạch số 100-KH/TU",
        "Chỉ thị số 09-CT/TW",
    ]
    assert_well_formed(ISSUE_EXCERPT, refs)


def test_the_whole_seed_article_yields_every_citation_in_order():
    refs = parse_references(SEED_ARTICLE)
    undated_44 = ("44-KL/TW", None)
    assert [(r.symbol, r.date) for r in refs] == [
        undated_44,  # the headline
        ("44-KL/TW", dt.date(2019, 1, 22)),
        ("09-CT/TW", dt.date(2011, 12, 1)),
        undated_44,  # "thực hiện Kết luận số 44-KL/TW, Tỉnh ủy Lạng Sơn đã ban hành ..."
        ("100-KH/TU", dt.date(2019, 3, 22)),
        ("09-CT/TW", None),
        undated_44,
        undated_44,
        undated_44,
    ]
    # The four the issue names come in its order once the headline and the plain mention in
    # between are left out; every citation after them is an undated 44-KL/TW.
    dated_or_first_undated_09 = [r for r in refs if r.date or r.symbol == "09-CT/TW"]
    assert [(r.symbol, r.date) for r in dated_or_first_undated_09] == [
        ("44-KL/TW", dt.date(2019, 1, 22)),
        ("09-CT/TW", dt.date(2011, 12, 1)),
        ("100-KH/TU", dt.date(2019, 3, 22)),
        ("09-CT/TW", None),
    ]
    assert all((r.symbol, r.date) == undated_44 for r in refs[6:])
    assert {r.kind_name for r in refs} == {"Kết luận", "Chỉ thị", "Kế hoạch"}
    assert_well_formed(SEED_ARTICLE, refs)


# ---- 2. A corpus of real citations ---------------------------------------------------------


def test_the_corpus_is_large_and_covers_every_level_and_kind():
    assert len(CORPUS) >= 40
    issuers = {c.issuer for c in CORPUS}
    assert {"TW", "TU", "HU", "QU", "ĐU", "VPTW", "BTGTW", "BNCTW"} <= issuers
    kinds = {c.kind for c in CORPUS}
    assert {"KL", "CT", "KH", "NĐ", "QĐ", "NQ", "TT", "TTLT", "HD", "BC", "TB", "TTr"} <= kinds
    assert {"CTr", "LUAT", "BLUAT", "PL", "CV", "L", "CĐ"} <= kinds


@pytest.mark.parametrize("case", CORPUS, ids=[c.symbol for c in CORPUS])
def test_each_real_citation_is_read_completely(case: Case):
    refs = parse_references(case.text)
    assert [fields(r) for r in refs] == [case[1:]]
    (ref,) = refs
    written = case.text[slice(*ref.span)]
    assert written.lower().startswith(case.kind_name.lower())
    assert case.text[slice(*ref.symbol_span)] == case.symbol
    assert normalise_symbol(case.symbol) == case.symbol


@pytest.mark.parametrize("case", CORPUS, ids=[c.symbol for c in CORPUS])
def test_each_real_citation_is_found_inside_a_sentence(case: Case):
    text = f"Căn cứ {case.text}; Công an tỉnh báo cáo kết quả thực hiện."
    refs = parse_references(text)
    assert [fields(r) for r in refs] == [case[1:]]


def test_citations_in_one_sentence_are_kept_apart():
    text = (
        "Căn cứ Luật Công an nhân dân số 37/2018/QH14, Nghị định số 30/2020/NĐ-CP ngày 05/3/2020"
        " và Thông tư số 124/2021/TT-BCA; thực hiện Chỉ thị 09-CT/TW và số 05-CT/ĐU,"
    )
    refs = parse_references(text)
    assert [(r.symbol, r.kind, r.kind_name, r.date) for r in refs] == [
        ("37/2018/QH14", "LUAT", "Luật", None),
        ("30/2020/NĐ-CP", "NĐ", "Nghị định", dt.date(2020, 3, 5)),
        ("124/2021/TT-BCA", "TT", "Thông tư", None),
        ("09-CT/TW", "CT", "Chỉ thị", None),
        ("05-CT/ĐU", "CT", None, None),
    ]
    assert_well_formed(text, refs)


def test_the_nearest_type_word_names_the_document():
    text = "Luật số 12/2017/QH14 sửa đổi, bổ sung một số điều của Bộ luật Hình sự số 100/2015/QH13"
    refs = parse_references(text)
    assert [(r.symbol, r.kind, r.kind_name) for r in refs] == [
        ("12/2017/QH14", "LUAT", "Luật"),
        ("100/2015/QH13", "BLUAT", "Bộ luật"),
    ]


TITLED = [
    # A type word across a title must be capitalised and agree with the symbol's kind code
    ("Quyết định khen thưởng tập thể, cá nhân theo đề nghị số 102/TTr-UBND", "TTr", None),
    ("Quy định của Bộ Chính trị số 205-QĐ/TW", "QĐ", "Quy định"),
    ("Thông báo kết luận của Bộ Chính trị số 35-TB/TW", "TB", "Thông báo kết luận"),
    ("theo quy định của pháp luật số 12/2017/QH14", None, None),
    ("Quy định của pháp luật số 12/2017/QH14", "QyĐ", "Quy định"),
    # Right before the symbol a type word is taken as written
    ("Kế hoạch số 09-CT/TW", "CT", "Kế hoạch"),
    ("theo quy định số 08-QĐi/TW", "QĐi", "Quy định"),
    # Phrases that only contain a type word ("kỷ luật", "pháp luật") are none
    ("Kết luận về công tác kỷ luật số 12-KL/TW", "KL", "Kết luận"),
    ("Hướng dẫn thi hành pháp luật số 05-HD/BTGTW", "HD", "Hướng dẫn"),
    ("Pháp lệnh số 02/2022/UBTVQH15", "PL", "Pháp lệnh"),
]


@pytest.mark.parametrize(("text", "kind", "kind_name"), TITLED)
def test_a_type_word_is_found_across_a_title_only_when_it_names_the_document(text, kind, kind_name):
    (ref,) = parse_references(text)
    assert (ref.kind, ref.kind_name) == (kind, kind_name)


def test_the_year_is_read_from_state_symbols_only():
    (law,) = parse_references("Luật số 30/2023/QH15")
    (party,) = parse_references("Kết luận số 44-KL/TW ngày 22/01/2019")
    (letter,) = parse_references("Công văn số 1534/CAT-PV05")
    assert (law.year, law.style) == (2023, "state")
    assert (party.year, party.style) == (None, "party")
    assert (letter.year, letter.style) == (None, "state")


# ---- 3. Variants of the same citation ------------------------------------------------------


@pytest.mark.parametrize("case", CORPUS, ids=[c.symbol for c in CORPUS])
def test_decomposed_nfd_text_reads_the_same_with_spans_in_the_original(case: Case):
    text = unicodedata.normalize("NFD", f"Thực hiện {case.text}.")
    assert text != unicodedata.normalize("NFC", text)
    refs = parse_references(text)
    assert [fields(r) for r in refs] == [case[1:]]
    (ref,) = refs
    assert unicodedata.normalize("NFC", text[slice(*ref.symbol_span)]) == case.symbol
    written = unicodedata.normalize("NFC", text[slice(*ref.span)])
    assert written.lower().startswith(case.kind_name.lower())
    assert written.endswith(case.symbol)
    assert_well_formed(text, refs)


VARIANTS = [
    # Look-alike Ð (U+00D0) typed for Đ (U+0110)
    ("Nghị định số 30/2020/N\u00d0-CP", "30/2020/NĐ-CP", "Nghị định"),
    ("Chỉ thị số 05-CT/\u00d0U", "05-CT/ĐU", "Chỉ thị"),
    ("\u00d0ề án số 02-\u00d0A/TU", "02-ĐA/TU", "Đề án"),
    # Dashes and blanks around "-" and "/"
    ("Kết luận số 44–KL/TW", "44-KL/TW", "Kết luận"),  # en dash
    ("Kết luận số 44—KL/TW", "44-KL/TW", "Kết luận"),  # em dash
    ("Kết luận số 44−KL/TW", "44-KL/TW", "Kết luận"),  # minus sign
    ("Kết luận số 44 - KL/TW", "44-KL/TW", "Kết luận"),
    ("Kết luận số 44-KL / TW", "44-KL/TW", "Kết luận"),
    ("Nghị định số 30/2020/NĐ - CP", "30/2020/NĐ-CP", "Nghị định"),
    ("Nghị định số 30 / 2020 / NĐ–CP", "30/2020/NĐ-CP", "Nghị định"),
    ("Nghị định số 30／2020∕NĐ-CP", "30/2020/NĐ-CP", "Nghị định"),  # full-width, division slash
    # "số" absent, "số:", "Số.", other blanks and a line break inside the citation
    ("Chỉ thị 09-CT/TW", "09-CT/TW", "Chỉ thị"),
    ("Quyết định số: 510/QĐ-BCA-V05", "510/QĐ-BCA-V05", "Quyết định"),
    ("Quyết định Số. 510/QĐ-BCA-V05", "510/QĐ-BCA-V05", "Quyết định"),
    ("Quyết định số:510/QĐ-BCA-V05", "510/QĐ-BCA-V05", "Quyết định"),
    ("Kết luận số\n44-KL/TW", "44-KL/TW", "Kết luận"),
    ("Kết luận\nsố 44-KL/TW", "44-KL/TW", "Kết luận"),
    ("Kết luận số\u00a044-KL/TW", "44-KL/TW", "Kết luận"),  # no-break space
    ("Kết luận số 44-\u200bKL/TW", "44-KL/TW", "Kết luận"),  # zero-width space
    ("Bộ luật Tố tụng hình sự\nsố 101/2015/QH13", "101/2015/QH13", "Bộ luật"),
    # Letter case: type words in any case; symbols upper-cased, "đ" read as "Đ"
    ("NGHỊ ĐỊNH SỐ 30/2020/NĐ-CP", "30/2020/NĐ-CP", "Nghị định"),
    ("theo nghị định số 30/2020/Nđ-CP", "30/2020/NĐ-CP", "Nghị định"),
    ("nghị định số 30/2020/nđ-cp", "30/2020/NĐ-CP", "Nghị định"),
    ("Quyết định 2248/qđ-ttg", "2248/QĐ-TTg", "Quyết định"),
    ("Quyết định 2248/QĐ-TTG", "2248/QĐ-TTg", "Quyết định"),
    ("kết luận 44-kl/tw", "44-KL/TW", "Kết luận"),
    ("Quy định số 08-QĐI/TW", "08-QĐi/TW", "Quy định"),
    # Brackets, quotes and trailing punctuation around the symbol
    ("(Kết luận số 44-KL/TW)", "44-KL/TW", "Kết luận"),
    ("“Chỉ thị 09-CT/TW”", "09-CT/TW", "Chỉ thị"),
    ("theo Công văn số 1534/CAT-PV05.", "1534/CAT-PV05", "Công văn"),
    # Prose after the issuer is not part of it
    ("Nghị định 30/2020/NĐ-CP - UBND tỉnh triển khai", "30/2020/NĐ-CP", "Nghị định"),
    ("Luật số 30/2023/QH15 - Ủy ban nhân dân tỉnh", "30/2023/QH15", "Luật"),
    ("Kết luận 44-KL/TW - UBND tỉnh", "44-KL/TW", "Kết luận"),
]


@pytest.mark.parametrize(("text", "symbol", "kind_name"), VARIANTS)
def test_written_variants_read_as_the_canonical_symbol(text, symbol, kind_name):
    refs = parse_references(text)
    assert [(r.symbol, r.kind_name) for r in refs] == [(symbol, kind_name)]
    assert_well_formed(text, refs)


def test_a_symbol_without_type_word_has_no_kind_name_and_kind_only_from_the_symbol():
    refs = parse_references("theo số 1534/CAT-PV05 và số 44-KL/TW, 30/2023/QH15")
    assert [(r.symbol, r.kind, r.kind_name, r.issuer) for r in refs] == [
        ("1534/CAT-PV05", None, None, "CAT-PV05"),
        ("44-KL/TW", "KL", None, "TW"),
        ("30/2023/QH15", None, None, "QH15"),
    ]


def test_under_the_type_word_cong_van_a_state_symbol_has_no_kind_code():
    (ref,) = parse_references("Công văn số 3456/CT-TTHT của Cục Thuế")
    assert (ref.symbol, ref.kind, ref.issuer) == ("3456/CT-TTHT", "CV", "CT-TTHT")


# ---- 4. Things that are not citations ------------------------------------------------------

NOT_CITATIONS = [
    "",
    "đạt tỷ lệ 100/100 xã",
    "tỷ lệ 3/4",
    "1/2",
    "ngày 22/01/2019",
    "Thứ Hai, 13/03/2023, 15:11 [GMT+7]",
    "Chỉ thị 09",
    "Chỉ thị số 09 của Ban Bí thư",
    "Nghị định 30/2020",
    "gọi 0912-345-678",
    "COVID-19",
    "Điều 144 khoản 5",
    "Phường 14/2",
    "phòng 205/A1, nhà 12/B",
    "giai đoạn 2019-2022",
    "tổng 1.000/2.000 hộ",
    "điểm 2,5/10",
    "5 lần/tháng",
    "tỷ lệ 1/3-1/2",
    "Quốc lộ 1A",
    "số 12/QĐ",  # a kind without an issuing body
    "44-KL",
    "KL/TW",
    "44-KL/TWabc",
    "https://example.vn/van-ban/nghi-dinh-30-2020-nd-cp",
]


@pytest.mark.parametrize("text", NOT_CITATIONS)
def test_numbers_dates_fractions_and_bare_words_are_not_citations(text):
    assert parse_references(text) == []


# ---- 5. Issue dates ------------------------------------------------------------------------

DATES = [
    ("Kết luận số 44-KL/TW ngày 22/01/2019", dt.date(2019, 1, 22)),
    ("Kết luận số 44-KL/TW ngày 22-01-2019", dt.date(2019, 1, 22)),
    ("Kết luận số 44-KL/TW ngày 22.01.2019", dt.date(2019, 1, 22)),
    ("Kế hoạch số 100-KH/TU ngày 22/3/2019", dt.date(2019, 3, 22)),
    ("Kế hoạch số 100-KH/TU ngày 22.3.2019", dt.date(2019, 3, 22)),
    ("Kết luận số 44-KL/TW ngày 22 tháng 01 năm 2019", dt.date(2019, 1, 22)),
    ("Kết luận số 44-KL/TW Ngày 22 Tháng 1 Năm 2019", dt.date(2019, 1, 22)),
    ("Kết luận số 44-KL/TW, ngày 22/01/2019", dt.date(2019, 1, 22)),
    ("Kết luận số 44-KL/TW,\nngày 22/01/2019", dt.date(2019, 1, 22)),
    ("Kết luận số 44-KL/TW\nngày 22/01/2019", dt.date(2019, 1, 22)),
    ("Kết luận số 44-KL/TW ngày: 22/01/2019", dt.date(2019, 1, 22)),
    ("Kết luận số 44-KL/TW của Ban Bí thư (khóa XII), ngày 22/01/2019", dt.date(2019, 1, 22)),
    ("Kết luận số 44-KL/TW của Ban Bí thư ngày 22/01/2019", dt.date(2019, 1, 22)),
    ("Nghị quyết số 202/2025/QH15 được ban hành ngày 12/6/2025", dt.date(2025, 6, 12)),
    ("Nghị định 30/2020/NĐ-CP ký ban hành vào ngày 05/3/2020", dt.date(2020, 3, 5)),
    ("Chỉ thị 09-CT/TW (ngày 01/12/2011)", dt.date(2011, 12, 1)),
    # Not the issue date
    ("Nghị định số 30/2020/NĐ-CP có hiệu lực từ ngày 01/7/2024", None),
    ("Luật số 30/2023/QH15, có hiệu lực thi hành kể từ ngày 01/7/2024", None),
    ("Luật số 30/2023/QH15 của Quốc hội có hiệu lực từ ngày 01/7/2024", None),
    ("thực hiện Kết luận số 44-KL/TW từ ngày 22/01/2019", None),
    ("thực hiện Kết luận số 44-KL/TW đến ngày 22/01/2019", None),
    ("Chỉ thị số 09-CT/TW của Ban Bí thư về phong trào, ngày 01/12/2011", None),
    ("Kết luận số 44-KL/TW. Ngày 22/01/2019, Tỉnh ủy họp", None),
    ("Kết luận số 44-KL/TW; ngày 22/01/2019", None),
    ("Kết luận số 44-KL/TW năm 2019", None),
    # Impossible or malformed dates
    ("Kết luận số 44-KL/TW ngày 31/02/2019", None),
    ("Kết luận số 44-KL/TW ngày 22/13/2019", None),
    ("Kết luận số 44-KL/TW ngày 00/01/2019", None),
    ("Kết luận số 44-KL/TW ngày 22/01-2019", None),
    ("Kết luận số 44-KL/TW ngày 22/01/19", None),
    ("Kết luận số 44-KL/TW ngày 22/01/20190", None),
]


@pytest.mark.parametrize(("text", "date"), DATES)
def test_only_a_stated_and_valid_issue_date_is_read(text, date):
    (ref,) = parse_references(text)
    assert ref.date == date


def test_the_date_stays_outside_the_span():
    text = "Kết luận số 44-KL/TW, ngày 22/01/2019 của Ban Bí thư"
    (ref,) = parse_references(text)
    assert text[slice(*ref.span)] == "Kết luận số 44-KL/TW"


# ---- normalise_symbol ----------------------------------------------------------------------

NORMALISED = [
    ("44-KL/TW", "44-KL/TW"),
    (" 44 – KL / TW ", "44-KL/TW"),
    ("44-kl/tw", "44-KL/TW"),
    ("Số: 30 / 2020 / Nđ – CP", "30/2020/NĐ-CP"),
    ("số 30/2020/nđ-cp", "30/2020/NĐ-CP"),
    ("30/2020/N\u00d0-CP", "30/2020/NĐ-CP"),
    (unicodedata.normalize("NFD", "30/2020/NĐ-CP"), "30/2020/NĐ-CP"),
    ("2248/QĐ-TTG", "2248/QĐ-TTg"),
    ("08-qđi/TW", "08-QĐi/TW"),
    ("01/2017/TTLT-BCA-BQP-BTC-BNN&PTNT-VKSNDTC", "01/2017/TTLT-BCA-BQP-BTC-BNN&PTNT-VKSNDTC"),
    ("1534/CAT-PV05", "1534/CAT-PV05"),
    ("34/CP", "34/CP"),
    ("09-CT/TW", "09-CT/TW"),
    ("9-CT/TW", "9-CT/TW"),  # leading zeros are part of the number as written
    ("100/100", None),
    ("22/01/2019", None),
    ("12/QĐ", None),
    ("Kết luận số 44-KL/TW", None),  # more than a symbol
    ("44-KL/TW 09-CT/TW", None),
    ("", None),
    ("   ", None),
]


@pytest.mark.parametrize(("text", "expected"), NORMALISED)
def test_one_symbol_is_normalised_for_duplicate_detection(text, expected):
    assert normalise_symbol(text) == expected


def test_normalise_symbol_refuses_what_is_not_a_string():
    assert normalise_symbol(None) is None  # type: ignore[arg-type]
    assert parse_references(None) == []  # type: ignore[arg-type]


# ---- 6. Property-based: any text -----------------------------------------------------------

ODD_CHARACTERS = (
    "\x00\x01\x07\x0b\x0c\x1b\x7f\x85\u00a0\u00ad\u200b\u200d\u2028\u2029\ufeff\ufffd"
    "\ud800\udfff\u0300\u0301\u0302\u0303\u0309\u0323\u031b\u0306\u1dc0\u20d0\ufe20"
    "\u00d0\u00f0\u0110\u0111\u2010\u2013\u2014\u2212\uff0d\u2044\u2215\uff0f"
    "\u212a\u0130\u0131\u00df\ufb00\u0660\u0966\uff10/-.,:;()\n\r\t "
    "0123456789 KLCTNĐQHUWBsốngàytháng"
)
alphabet = st.one_of(
    st.characters(),
    st.characters(min_codepoint=0, max_codepoint=0x7F),
    st.sampled_from(ODD_CHARACTERS),
)
FRAGMENTS = [
    *{piece for case in CORPUS for piece in case.text.split()},
    "số",
    "số:",
    "ngày",
    "-",
    "/",
    " - ",
    " / ",
    "\n",
    ",",
    ".",
    "của",
    "có hiệu lực từ",
    "tháng",
    "năm",
    "Ð",
    "–",
]
junk = st.text(alphabet, max_size=80)
fragmented = st.lists(st.one_of(st.sampled_from(FRAGMENTS), junk), max_size=30).map(
    lambda parts: "".join(parts)
)
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(st.text(alphabet, max_size=400))
def test_any_text_gives_a_well_formed_list_and_never_raises(text):
    assert_well_formed(text, parse_references(text))
    normalise_symbol(text)


@PROPERTY
@given(fragmented)
def test_text_built_from_fragments_of_citations_gives_a_well_formed_list(text):
    assert_well_formed(text, parse_references(text))
    nfd = unicodedata.normalize("NFD", text)
    assert_well_formed(nfd, parse_references(nfd))


@PROPERTY
@given(st.sampled_from(CORPUS), junk, junk, st.booleans())
def test_a_citation_between_sentences_of_random_text_is_still_found(case, before, after, nfd):
    citation = case.text
    if nfd:  # piecewise: the ". " separators keep NFD from reordering across the joins
        before, citation, after = (
            unicodedata.normalize("NFD", s) for s in (before, citation, after)
        )
    text = f"{before}. {citation}. {after}"
    refs = parse_references(text)
    assert_well_formed(text, refs)
    lo, hi = len(before) + 2, len(text) - len(after) - 2
    inside = [r for r in refs if lo <= r.symbol_span[0] < hi]
    assert [fields(r) for r in inside] == [case[1:]]


# ---- 7. Size and isolation -----------------------------------------------------------------

# About a megabyte each; the test has no timing assertion (speed belongs in benchmarks), the
# parser's patterns are linear so these finish in about a second at most.
MEGABYTE_INPUTS = {
    "hyphen-slash junk": "1-1/1-1/" * 131_072,
    "số repeated": "số " * 350_000,
    "type word and số repeated": "Kết luận số " * 90_000,
    "one symbol then blanks": "44-KL/TW" + " " * 1_000_000,
    "one symbol then a long issuer phrase": "44-KL/TW của " + "a " * 500_000,
    "a long issuing body": "1/" + "A-" * 500_000,
    "many symbols": "44-KL/TW " * 110_000,
}


@pytest.mark.parametrize("text", MEGABYTE_INPUTS.values(), ids=MEGABYTE_INPUTS.keys())
def test_megabyte_inputs_complete(text):
    refs = parse_references(text)
    assert isinstance(refs, list)


def test_many_symbols_are_all_found():
    assert len(parse_references("44-KL/TW " * 110_000)) == 110_000


def test_the_module_imports_and_parses_without_django():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO")}
    code = (
        "import sys, antq.directives.symbols as s\n"
        "print(len(s.parse_references('Kết luận số 44-KL/TW')))\n"
        "print(any(m.startswith('django') for m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert result.stdout.split() == ["1", "False"]


def test_a_city_party_committee_keeps_its_mixed_case_code():
    from antq.directives.symbols import normalise_symbol

    assert normalise_symbol("98-KH/ThU") == "98-KH/ThU"
    assert [r.symbol for r in parse_references("Kế hoạch số 98-KH/ThU ngày 05/4/2019")] == [
        "98-KH/ThU"
    ]
