"""antq import-values: all or nothing, errors located by file and line."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from antq.indicators.models import DataValue
from antq.indicators.services import catalogue_install

pytestmark = pytest.mark.django_db


def test_it_imports_a_csv_and_replaces_existing_keys(tmp_path):
    catalogue_install()
    path = tmp_path / "values.csv"
    path.write_text(
        "indicator,area,period,value\nMEDIA_ITEMS,06157,201903,5\nMEDIA_ITEMS,05977,202507,2\n"
    )
    out = io.StringIO()
    call_command("import_values", str(path), stdout=out)
    assert "2 giá trị mới" in out.getvalue()
    # 05977 in July 2025 is Phường Đông Kinh, not Phường Vĩnh Trại
    assert DataValue.objects.get(period="202507").area.name == "Phường Đông Kinh"
    path.write_text("indicator,area,period,value\nMEDIA_ITEMS,06157,201903,6\n")
    call_command("import_values", str(path), stdout=io.StringIO())
    assert DataValue.objects.get(period="201903").value == 6


def test_a_bad_file_changes_nothing_and_names_each_line(tmp_path):
    catalogue_install()
    path = tmp_path / "values.csv"
    path.write_text(
        "indicator,area,period,value\nMEDIA_ITEMS,06157,201903,5\nMEDIA_ITEMS,06157,2019-03,5\nNOPE,06157,201903,1\n"
    )
    with pytest.raises(CommandError) as caught:
        call_command("import_values", str(path))
    message = str(caught.value)
    assert "2 lỗi" in message and "values.csv:3:" in message and "values.csv:4:" in message
    assert not DataValue.objects.exists()


def test_a_file_without_the_header_is_refused(tmp_path):
    path = tmp_path / "values.csv"
    path.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(CommandError, match="thiếu cột"):
        call_command("import_values", str(path))
    with pytest.raises(CommandError, match="Không tìm thấy"):
        call_command("import_values", str(tmp_path / "none.csv"))
