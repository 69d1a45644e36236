"""Read the official lists of administrative units into a plan of areas, links and successions.

Two files (see data/README.md): the pre-reform list (4/1/2025) and the conversion table of
the 1/7/2025 reform. Reading is all-or-nothing: a malformed or truncated file raises
AreasFileError with every problem located by file and line, before anything is written.
The real data's known wrinkles are not errors: they are handled by stated rules and
reported as notices, so nothing is dropped silently.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path

from antq.areas.models import Kind, Level, SuccessionKind

OLD_LIST_SOURCE = "gso-2025-01-04"
CONVERSION_SOURCE = "reform-2025-07-01"
REFORM_DATE = dt.date(2025, 7, 1)
LAST_DAY_BEFORE_REFORM = dt.date(2025, 6, 30)
SNAPSHOT_DATE = dt.date(2025, 1, 4)
NATION_CODE = "VN"
NATION_FROM = dt.date(1945, 9, 2)

OLD_HEADER = ["Tỉnh Thành Phố", "Mã TP", "Quận Huyện", "Mã QH", "Phường Xã", "Mã PX", "Cấp"]
CONVERSION_HEADER = ["Tỉnh, thành phố", "Tên Xã mới", "Mã Xã mới", "Tên Xã cũ", "Mã Xã cũ"]

AreaKey = tuple[str, str, dt.date]  # (code, level, valid_from)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


class AreasFileError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:20])
        more = f"\n… and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} problem(s) in the areas files:\n{shown}{more}")


@dataclass
class Notice:
    """A wrinkle in the real data, with the rule applied to it."""

    topic: str
    file: str
    line: int
    detail: str


@dataclass
class PlannedArea:
    code: str
    level: str
    valid_from: dt.date
    name: str
    kind: str
    valid_to: dt.date | None
    source: str
    note: str = ""

    @property
    def key(self) -> AreaKey:
        return (self.code, self.level, self.valid_from)


@dataclass
class PlannedLink:
    child: AreaKey
    parent: AreaKey
    valid_from: dt.date
    valid_to: dt.date | None
    source: str


@dataclass
class PlannedSuccession:
    predecessor: AreaKey
    successor: AreaKey
    effective_date: dt.date
    kind: str
    share: Decimal
    note: str
    source: str


@dataclass
class Plan:
    areas: dict[AreaKey, PlannedArea] = field(default_factory=dict)
    links: list[PlannedLink] = field(default_factory=list)
    successions: list[PlannedSuccession] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    def add_area(self, area: PlannedArea) -> PlannedArea:
        self.areas.setdefault(area.key, area)
        return self.areas[area.key]

    def count(self, level: str, on: dt.date) -> int:
        return sum(
            1
            for a in self.areas.values()
            if a.level == level and a.valid_from <= on and (a.valid_to is None or on <= a.valid_to)
        )


def clean(text: str) -> str:
    """NFC, single spaces, no line breaks or stray spaces (the files have all of these)."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip()


# The same name is written with the tone mark on either vowel ("Thuỵ" / "Thụy"); both
# spellings occur in the official files.
_TONE_PLACEMENT = {
    old: new
    for pair in (
        "oà òa",
        "oá óa",
        "oả ỏa",
        "oã õa",
        "oạ ọa",
        "oè òe",
        "oé óe",
        "oẻ ỏe",
        "oẽ õe",
        "oẹ ọe",
        "uỳ ùy",
        "uý úy",
        "uỷ ủy",
        "uỹ ũy",
        "uỵ ụy",
    )
    for old, new in [pair.split()]
}
_TONE_RE = re.compile("|".join(_TONE_PLACEMENT))


def name_key(name: str) -> str:
    """A key under which two spellings of one name compare equal."""
    text = clean(name).casefold()
    return _TONE_RE.sub(lambda m: _TONE_PLACEMENT[m.group(0)], text)


_CODE_IN_PARENS = re.compile(r"^(?P<name>.*?)\s*\((?P<code>\d+)\)$")


def default_files() -> tuple[Path, Path]:
    data = resources.files("antq.areas") / "data"
    return (
        Path(str(data / "wards-2025-01-04.csv")),
        Path(str(data / "ward-conversion-2025-07-01.csv")),
    )


def _read_rows(path: Path, problems: list[Problem]) -> list[tuple[int, list[str]]]:
    """Rows with the line number each starts on; structural damage becomes a Problem."""
    label = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(label, 0, f"cannot read the file: {exc.strerror or exc}"))
        return []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(label, line, "not valid UTF-8 text"))
        return []
    if not text.strip():
        problems.append(Problem(label, 1, "the file is empty"))
        return []
    if not text.endswith("\n"):
        last = text.count("\n") + 1
        problems.append(
            Problem(label, last, "the last line has no line break: the file looks truncated")
        )
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(text.splitlines(keepends=True))
    try:
        start = 1
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(label, reader.line_num, f"broken CSV: {exc}"))
    return rows


def _province_kind(name: str) -> str:
    return Kind.CENTRAL_CITY if name.startswith("Thành phố") else Kind.PROVINCE


def _district_kind(name: str, province_name: str) -> str | None:
    lowered = name.casefold()
    if lowered.startswith("huyện"):
        return Kind.RURAL_DISTRICT
    if lowered.startswith("quận"):
        return Kind.URBAN_DISTRICT
    if lowered.startswith("thị xã"):
        return Kind.DISTRICT_TOWN
    if lowered.startswith("thành phố"):
        if province_name.startswith("Thành phố"):
            return Kind.MUNICIPAL_CITY
        return Kind.PROVINCIAL_CITY
    return None


_OLD_COMMUNE_KINDS = {"xã": Kind.COMMUNE, "phường": Kind.WARD, "thị trấn": Kind.TOWNSHIP}
_NEW_COMMUNE_PREFIXES = (
    ("đặc khu", Kind.SPECIAL_ZONE),
    ("phường", Kind.WARD),
    ("xã", Kind.COMMUNE),
)


@dataclass
class _OldCommune:
    code: str
    name: str
    kind: str
    district: str
    line: int


@dataclass
class _OldDistrict:
    code: str
    name: str
    kind: str
    province: str
    line: int


def read_old_list(path: Path, problems: list[Problem], notices: list[Notice]):
    label = path.name
    rows = _read_rows(path, problems)
    provinces: dict[str, tuple[str, int]] = {}
    districts: dict[str, _OldDistrict] = {}
    communes: dict[str, _OldCommune] = {}
    if not rows:
        return provinces, districts, communes
    header = [clean(c) for c in rows[0][1]]
    if header[: len(OLD_HEADER)] != OLD_HEADER:
        problems.append(
            Problem(
                label, 1, f"unexpected header; the first columns must be {', '.join(OLD_HEADER)}"
            )
        )
        return provinces, districts, communes
    for line, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(OLD_HEADER):
            problems.append(
                Problem(
                    label, line, f"expected {len(OLD_HEADER)} columns or more, found {len(row)}"
                )
            )
            continue
        pname, pcode, dname, dcode, cname, ccode, level = (clean(c) for c in row[:7])
        if not re.fullmatch(r"\d{2}", pcode):
            problems.append(Problem(label, line, f"province code {pcode!r} is not 2 digits"))
            continue
        if not re.fullmatch(r"\d{3}", dcode):
            problems.append(Problem(label, line, f"district code {dcode!r} is not 3 digits"))
            continue
        if not pname or not dname:
            problems.append(Problem(label, line, "province or district name is empty"))
            continue
        known = provinces.setdefault(pcode, (pname, line))
        if known[0] != pname:
            problems.append(
                Problem(
                    label,
                    line,
                    f"province {pcode} is named {pname!r} here, {known[0]!r} on line {known[1]}",
                )
            )
            continue
        dkind = _district_kind(dname, pname)
        if dkind is None:
            problems.append(Problem(label, line, f"cannot tell the kind of district {dname!r}"))
            continue
        district = districts.setdefault(dcode, _OldDistrict(dcode, dname, dkind, pcode, line))
        if district.name != dname or district.province != pcode:
            problems.append(
                Problem(label, line, f"district {dcode} disagrees with line {district.line}")
            )
            continue
        if ccode == "":
            notices.append(
                Notice(
                    "district_without_communes",
                    label,
                    line,
                    f"{dname} ({dcode}) has no communes (island district); loaded as a district only",
                )
            )
            continue
        if not re.fullmatch(r"\d{5}", ccode):
            problems.append(Problem(label, line, f"commune code {ccode!r} is not 5 digits"))
            continue
        kind = _OLD_COMMUNE_KINDS.get(level.casefold())
        if kind is None:
            problems.append(Problem(label, line, f"unknown commune level {level!r}"))
            continue
        if ccode in communes:
            problems.append(
                Problem(label, line, f"commune code {ccode} repeats line {communes[ccode].line}")
            )
            continue
        communes[ccode] = _OldCommune(ccode, cname, kind, dcode, line)
    return provinces, districts, communes


@dataclass
class _ConversionRow:
    line: int
    new_province_name: str
    new_province_code: str
    new_name: str
    new_code: str
    new_kind: str
    old_name: str
    old_code: str
    note: str
    raw_note: str
    old_district_name: str
    old_district_code: str
    old_province_code: str


def _split_code(text: str, digits: int) -> tuple[str, str] | None:
    match = _CODE_IN_PARENS.match(clean(text))
    if not match or len(match.group("code")) != digits:
        return None
    return clean(match.group("name")), match.group("code")


def read_conversion(
    path: Path, problems: list[Problem], notices: list[Notice]
) -> list[_ConversionRow]:
    label = path.name
    rows = _read_rows(path, problems)
    out: list[_ConversionRow] = []
    if len(rows) < 2:
        if rows:
            problems.append(Problem(label, 2, "the column header row is missing"))
        return out
    header = [clean(c) for c in rows[1][1]]
    if header[: len(CONVERSION_HEADER)] != CONVERSION_HEADER:
        problems.append(
            Problem(
                label, rows[1][0], f"unexpected header; expected {', '.join(CONVERSION_HEADER)}, …"
            )
        )
        return out
    for line, row in rows[2:]:
        if not any(cell.strip() for cell in row[1:]):
            continue  # a province separator row, or blank
        if len(row) < 8:
            problems.append(Problem(label, line, f"expected 8 columns, found {len(row)}"))
            continue
        cells = [clean(c) for c in row[:8]]
        new_province = _split_code(cells[0], 2)
        if new_province is None:
            problems.append(Problem(label, line, f"new province {cells[0]!r} is not 'Name (NN)'"))
            continue
        new_name, new_code, old_name, old_code, note = (
            cells[1],
            cells[2],
            cells[3],
            cells[4],
            cells[5],
        )
        if not re.fullmatch(r"\d{5}", new_code):
            problems.append(Problem(label, line, f"new commune code {new_code!r} is not 5 digits"))
            continue
        if old_code and not re.fullmatch(r"\d{5}", old_code):
            problems.append(Problem(label, line, f"old commune code {old_code!r} is not 5 digits"))
            continue
        district = _split_code(cells[6], 3)
        if district is None:
            problems.append(Problem(label, line, f"old district {cells[6]!r} is not 'Name (NNN)'"))
            continue
        old_province = _split_code(cells[7], 2)
        if old_province is None:
            problems.append(Problem(label, line, f"old province {cells[7]!r} is not 'Name (NN)'"))
            continue
        fixed_name = re.sub(r"^Xa ", "Xã ", new_name)
        if fixed_name != new_name:
            notices.append(Notice("name_typo", label, line, f"{new_name!r} read as {fixed_name!r}"))
            new_name = fixed_name
        new_kind = next(
            (k for prefix, k in _NEW_COMMUNE_PREFIXES if new_name.casefold().startswith(prefix)),
            None,
        )
        if new_kind is None:
            problems.append(Problem(label, line, f"cannot tell the kind of new unit {new_name!r}"))
            continue
        out.append(
            _ConversionRow(
                line=line,
                new_province_name=new_province[0],
                new_province_code=new_province[1],
                new_name=new_name,
                new_code=new_code,
                new_kind=new_kind,
                old_name=old_name,
                old_code=old_code,
                note=note,
                raw_note=row[5],
                old_district_name=district[0],
                old_district_code=district[1],
                old_province_code=old_province[1],
            )
        )
    return out


def normalise_note(note: str) -> str:
    text = clean(note).casefold().replace("nhâp", "nhập")
    return text


def succession_kind(note: str) -> str | None:
    text = normalise_note(note)
    if "thành đặc khu" in text:
        return SuccessionKind.TO_SPECIAL_ZONE
    if "một phần" in text or text.startswith("phần còn lại"):
        return SuccessionKind.MERGE_PART
    if text.startswith("nhập toàn bộ") or text == "giữ nguyên":
        return SuccessionKind.MERGE_WHOLE
    if "đổi tên" in text:
        return SuccessionKind.RENAME
    if "đổi loại hình" in text:
        return SuccessionKind.TYPE_CHANGE
    return None


def _equal_shares(n: int) -> list[Decimal]:
    """n shares of 8 decimals adding up to exactly 1 (the last takes the remainder)."""
    part = (Decimal(1) / n).quantize(Decimal("0.00000001"), rounding="ROUND_DOWN")
    return [part] * (n - 1) + [Decimal(1) - part * (n - 1)]


def build_plan(
    old_path: Path | None = None,
    conversion_path: Path | None = None,
    *,
    base_date: dt.date = dt.date(2019, 1, 1),
) -> Plan:
    default_old, default_conv = default_files()
    old_path = old_path or default_old
    conversion_path = conversion_path or default_conv
    problems: list[Problem] = []
    plan = Plan()
    provinces, districts, communes = read_old_list(old_path, problems, plan.notices)
    rows = read_conversion(conversion_path, problems, plan.notices)
    if problems:
        raise AreasFileError(problems)
    old_label, conv_label = old_path.name, conversion_path.name

    nation = plan.add_area(
        PlannedArea(
            NATION_CODE, Level.NATION, NATION_FROM, "Việt Nam", Kind.COUNTRY, None, OLD_LIST_SOURCE
        )
    )

    # --- which old units live on past the reform -------------------------------------------
    new_provinces: dict[str, str] = {}
    for row in rows:
        known = new_provinces.setdefault(row.new_province_code, row.new_province_name)
        if known != row.new_province_name:
            problems.append(
                Problem(conv_label, row.line, f"new province {row.new_province_code} has two names")
            )
    by_new: dict[str, list[_ConversionRow]] = defaultdict(list)
    by_old: dict[str, list[_ConversionRow]] = defaultdict(list)
    for row in rows:
        by_new[row.new_code].append(row)
        if row.old_code:
            by_old[row.old_code].append(row)
    for code, group in by_new.items():
        names = Counter(r.new_name for r in group)
        if len({name_key(n) for n in names}) > 1:
            problems.append(
                Problem(
                    conv_label,
                    group[0].line,
                    f"new commune {code} has several names: {sorted(names)}",
                )
            )
        elif len(names) > 1:
            chosen = names.most_common(1)[0][0]
            plan.notices.append(
                Notice(
                    "spelling_variant",
                    conv_label,
                    group[0].line,
                    f"new commune {code} is spelt {sorted(names)}; using {chosen!r}",
                )
            )
            for r in group:
                r.new_name = chosen
    if problems:
        raise AreasFileError(problems)

    continuing_provinces = {
        code for code, name in new_provinces.items() if provinces.get(code, ("",))[0] == name
    }

    # Old codes in the conversion table but not in the old list: renumbered between January
    # and July 2025 (matched by name within their district) or created in that time.
    unused_old = {code for code in communes if code not in by_old}
    old_by_district_name: dict[tuple[str, str], list[str]] = defaultdict(list)
    for code in unused_old:
        c = communes[code]
        old_by_district_name[(c.district, name_key(c.name))].append(code)
    resolved_old: dict[str, str] = {}  # conversion old code -> old list code
    late_communes: dict[str, _ConversionRow] = {}
    for code, group in by_old.items():
        if code in communes:
            resolved_old[code] = code
            continue
        row = group[0]
        matches = old_by_district_name.get((row.old_district_code, name_key(row.old_name)), [])
        if len(matches) == 1:
            resolved_old[code] = matches[0]
            unused_old.discard(matches[0])
            plan.notices.append(
                Notice(
                    "renumbered",
                    conv_label,
                    row.line,
                    f"{row.old_name} is {code} here and {matches[0]} in the January list "
                    f"(same name, same district): taken as the same commune",
                )
            )
        elif row.old_district_code in districts:
            resolved_old[code] = code
            late_communes[code] = row
            plan.notices.append(
                Notice(
                    "created_after_snapshot",
                    conv_label,
                    row.line,
                    f"{row.old_name} ({code}) is not in the January list: loaded as a commune of "
                    f"{row.old_district_name} valid from {SNAPSHOT_DATE + dt.timedelta(days=1):%d/%m/%Y}",
                )
            )
        else:
            problems.append(
                Problem(conv_label, row.line, f"old commune {code} and its district are unknown")
            )
    for row in rows:
        if not row.old_code and row.old_district_code not in districts:
            problems.append(
                Problem(conv_label, row.line, f"old district {row.old_district_code} is unknown")
            )
    if problems:
        raise AreasFileError(problems)

    for code in sorted(unused_old):
        c = communes[code]
        plan.notices.append(
            Notice(
                "no_successor",
                old_label,
                c.line,
                f"{c.name} ({code}), {districts[c.district].name}: not in the conversion table; it "
                f"ends on 30/06/2025 with no successor until an administrator records one",
            )
        )

    def continues(new_code: str) -> str | None:
        """The old commune code that carries on as this new unit, if it does."""
        group = by_new[new_code]
        if len(group) != 1:
            return None
        row = group[0]
        if normalise_note(row.note) != "giữ nguyên" or not row.old_code:
            return None
        old = communes.get(resolved_old.get(row.old_code, ""))
        if old is None or len(by_old[row.old_code]) != 1:
            return None
        if (
            old.code != new_code
            or name_key(old.name) != name_key(row.new_name)
            or old.kind != row.new_kind
        ):
            return None
        return old.code

    continuing_communes = {code: old for code in by_new if (old := continues(code))}

    # --- old units ------------------------------------------------------------------------
    province_keys: dict[str, AreaKey] = {}
    for code, (name, _line) in sorted(provinces.items()):
        lives_on = code in continuing_provinces
        area = plan.add_area(
            PlannedArea(
                code,
                Level.PROVINCE,
                base_date,
                name,
                _province_kind(name),
                None if lives_on else LAST_DAY_BEFORE_REFORM,
                OLD_LIST_SOURCE,
            )
        )
        province_keys[code] = area.key
        plan.links.append(
            PlannedLink(
                area.key,
                nation.key,
                base_date,
                None if lives_on else LAST_DAY_BEFORE_REFORM,
                OLD_LIST_SOURCE,
            )
        )
    district_keys: dict[str, AreaKey] = {}
    for code, d in sorted(districts.items()):
        area = plan.add_area(
            PlannedArea(
                code,
                Level.DISTRICT,
                base_date,
                d.name,
                d.kind,
                LAST_DAY_BEFORE_REFORM,
                OLD_LIST_SOURCE,
            )
        )
        district_keys[code] = area.key
        plan.links.append(
            PlannedLink(
                area.key,
                province_keys[d.province],
                base_date,
                LAST_DAY_BEFORE_REFORM,
                OLD_LIST_SOURCE,
            )
        )
    continuing_old = set(continuing_communes.values())
    old_keys: dict[str, AreaKey] = {}
    for code, c in sorted(communes.items()):
        lives_on = code in continuing_old
        area = plan.add_area(
            PlannedArea(
                code,
                Level.COMMUNE,
                base_date,
                c.name,
                c.kind,
                None if lives_on else LAST_DAY_BEFORE_REFORM,
                OLD_LIST_SOURCE,
            )
        )
        old_keys[code] = area.key
        plan.links.append(
            PlannedLink(
                area.key,
                district_keys[c.district],
                base_date,
                LAST_DAY_BEFORE_REFORM,
                OLD_LIST_SOURCE,
            )
        )
    late_from = SNAPSHOT_DATE + dt.timedelta(days=1)
    for code, row in sorted(late_communes.items()):
        kind = _OLD_COMMUNE_KINDS.get(row.old_name.split(" ")[0].casefold(), Kind.COMMUNE)
        if row.old_name.casefold().startswith("thị trấn"):
            kind = Kind.TOWNSHIP
        area = plan.add_area(
            PlannedArea(
                code,
                Level.COMMUNE,
                late_from,
                row.old_name,
                kind,
                LAST_DAY_BEFORE_REFORM,
                CONVERSION_SOURCE,
                note="Created between the January 2025 list and the reform; exact date unknown.",
            )
        )
        old_keys[code] = area.key
        plan.links.append(
            PlannedLink(
                area.key,
                district_keys[row.old_district_code],
                late_from,
                LAST_DAY_BEFORE_REFORM,
                CONVERSION_SOURCE,
            )
        )

    # --- new units ------------------------------------------------------------------------
    new_province_keys: dict[str, AreaKey] = {}
    for code, name in sorted(new_provinces.items()):
        if code in continuing_provinces:
            new_province_keys[code] = province_keys[code]
            continue
        area = plan.add_area(
            PlannedArea(
                code,
                Level.PROVINCE,
                REFORM_DATE,
                name,
                _province_kind(name),
                None,
                CONVERSION_SOURCE,
            )
        )
        new_province_keys[code] = area.key
        plan.links.append(PlannedLink(area.key, nation.key, REFORM_DATE, None, CONVERSION_SOURCE))
    new_keys: dict[str, AreaKey] = {}
    for code, group in sorted(by_new.items()):
        row = group[0]
        parent = new_province_keys[row.new_province_code]
        if code in continuing_communes:
            key = old_keys[continuing_communes[code]]
        else:
            key = plan.add_area(
                PlannedArea(
                    code,
                    Level.COMMUNE,
                    REFORM_DATE,
                    row.new_name,
                    row.new_kind,
                    None,
                    CONVERSION_SOURCE,
                )
            ).key
        new_keys[code] = key
        plan.links.append(PlannedLink(key, parent, REFORM_DATE, None, CONVERSION_SOURCE))

    # --- successions ----------------------------------------------------------------------
    # Group rows by what they take from: an old commune, or (for island districts) a district.
    by_predecessor: dict[AreaKey, list[_ConversionRow]] = defaultdict(list)
    for row in rows:
        if row.old_code:
            pred = old_keys[resolved_old[row.old_code]]
        else:
            pred = district_keys[row.old_district_code]
        if new_keys[row.new_code] == pred:
            continue  # the unit carries on unchanged: no succession needed
        by_predecessor[pred].append(row)
    for pred, group in by_predecessor.items():
        kinds = []
        for row in group:
            kind = succession_kind(row.note)
            if kind is None:
                plan.notices.append(
                    Notice(
                        "unknown_note",
                        conv_label,
                        row.line,
                        f"note {row.note!r} not understood; recorded as 'other'",
                    )
                )
                kind = SuccessionKind.OTHER
            if row.raw_note != row.note or normalise_note(row.note) != row.note.casefold():
                plan.notices.append(
                    Notice(
                        "note_variant",
                        conv_label,
                        row.line,
                        f"note {row.raw_note!r} read as {normalise_note(row.note)!r}",
                    )
                )
            kinds.append(kind)
        if len(group) > 1 and SuccessionKind.MERGE_WHOLE in kinds:
            plan.notices.append(
                Notice(
                    "whole_merge_into_several",
                    conv_label,
                    group[0].line,
                    f"{group[0].old_name} ({group[0].old_code}) is 'merged whole' into {len(group)} "
                    f"units: treated as a split",
                )
            )
            kinds = [
                SuccessionKind.MERGE_PART if k == SuccessionKind.MERGE_WHOLE else k for k in kinds
            ]
        whole_population = [
            i for i, r in enumerate(group) if "toàn bộ dân số" in normalise_note(r.note)
        ]
        if len(group) == 1:
            shares = [Decimal(1)]
        elif whole_population:
            # "part of the area, all of the population": the people (whom the movement's
            # figures count) all went to these successors.
            portion = _equal_shares(len(whole_population))
            shares = [Decimal(0)] * len(group)
            for i, share in zip(whole_population, portion, strict=True):
                shares[i] = share
        else:
            shares = _equal_shares(len(group))
            plan.notices.append(
                Notice(
                    "split_equal_shares",
                    conv_label,
                    group[0].line,
                    f"{plan.areas[pred].name} ({pred[0]}) is split into {len(group)} units; no shares "
                    f"are given, so each gets 1/{len(group)} until an administrator sets them",
                )
            )
        for row, kind, share in zip(group, kinds, shares, strict=True):
            plan.successions.append(
                PlannedSuccession(
                    pred,
                    new_keys[row.new_code],
                    REFORM_DATE,
                    kind,
                    share,
                    clean(row.note)[:300],
                    CONVERSION_SOURCE,
                )
            )

    # Provinces that do not live on, and the abolished district level, pass their values to
    # the new province that took their communes.
    province_targets: dict[str, Counter[str]] = defaultdict(Counter)
    district_targets: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        if row.old_code:
            old = communes.get(resolved_old[row.old_code])
            district_code = old.district if old else row.old_district_code
        else:
            district_code = row.old_district_code
        district_targets[district_code][row.new_province_code] += 1
        province_targets[districts[district_code].province][row.new_province_code] += 1
    for code, targets in sorted(province_targets.items()):
        if code in continuing_provinces:
            continue
        shares = _equal_shares(len(targets))
        if len(targets) > 1:
            plan.notices.append(
                Notice(
                    "province_split",
                    old_label,
                    0,
                    f"province {code} went to {sorted(targets)}: equal shares",
                )
            )
        for (target, _n), share in zip(sorted(targets.items()), shares, strict=True):
            plan.successions.append(
                PlannedSuccession(
                    province_keys[code],
                    new_province_keys[target],
                    REFORM_DATE,
                    SuccessionKind.MERGE_WHOLE if len(targets) == 1 else SuccessionKind.MERGE_PART,
                    share,
                    "",
                    CONVERSION_SOURCE,
                )
            )
    special_zone_districts = {row.old_district_code for row in rows if not row.old_code}
    for code, targets in sorted(district_targets.items()):
        if code in special_zone_districts:
            continue
        shares = _equal_shares(len(targets))
        for (target, _n), share in zip(sorted(targets.items()), shares, strict=True):
            plan.successions.append(
                PlannedSuccession(
                    district_keys[code],
                    new_province_keys[target],
                    REFORM_DATE,
                    SuccessionKind.DISTRICT_ABOLISHED,
                    share,
                    "",
                    CONVERSION_SOURCE,
                )
            )
    return plan


def summarise_notices(notices: Iterable[Notice], examples: int = 3) -> list[str]:
    by_topic: dict[str, list[Notice]] = defaultdict(list)
    for notice in notices:
        by_topic[notice.topic].append(notice)
    lines = []
    for topic, items in sorted(by_topic.items()):
        lines.append(f"{topic}: {len(items)}")
        for item in items[:examples]:
            where = f"{item.file}:{item.line}" if item.line else item.file
            lines.append(f"  {where}: {item.detail}")
    return lines
