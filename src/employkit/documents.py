"""The source documents rules cite, by title: 「2016년 중구일자리플러스센터 운영활성화 추진계획」 L11.

Rules and parameters cite where they come from as ``document#locator``; the bundled
packs cite the public documents kept in ``seeds/`` by file name and line
(``seeds/000_743a0a447e219bca.txt#L11``). A reader cannot trace a file name, so reports
show the document's title instead (:func:`cite`) and list the documents they cite with
their Korean and English titles (:func:`documents_cited`).

>>> cite("seeds/000_743a0a447e219bca.txt#L11 (취업률 35%)")
'「2016년 중구일자리플러스센터 운영활성화 추진계획」 L11 (취업률 35%)'
>>> cite("employkit default: one decimal (seeds/001_9743a8cda015755e.txt#L63)", "en")
'employkit default: one decimal («Plan to strengthen public employment services» L63)'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from attrs import frozen

from employkit.labels import Lang, Text

__all__ = ["DOCUMENTS", "Document", "cite", "documents_cited"]


@frozen
class Document:
    """A source document: its file name, title in Korean and English, author, year and length.

    ``lines`` is the number of lines of the file, so a citation of a line past the end
    (``#L9999``) is found without the document at hand.
    """

    file: str
    title: Text
    author: Text
    year: int
    lines: int


#: The documents the bundled packs cite, by file name (``seeds/<file>``).
DOCUMENTS: Sequence[Document] = (
    Document(
        "000_743a0a447e219bca.txt",
        Text(
            "2016년 중구일자리플러스센터 운영활성화 추진계획",
            "Jung-gu Job Plus Centre: 2016 operating plan (with 2015 results)",
        ),
        Text("서울특별시 중구", "Jung-gu, Seoul"),
        2016,
        670,
    ),
    Document(
        "001_9743a8cda015755e.txt",
        Text("공공 고용서비스 강화 방안", "Plan to strengthen public employment services"),
        Text("고용노동부", "Ministry of Employment and Labor"),
        2021,
        1368,
    ),
    Document(
        "002_62de1f3d4f953fee.txt",
        Text(
            "충남도 업무협약 후속조치 추진계획 (경력단절여성 시간선택제 일자리)",
            "Chungnam MOU follow-up plan: time-selective jobs for career-break women",
        ),
        Text("충청남도 유관기관", "Chungcheongnam-do partner agencies"),
        2015,
        176,
    ),
    Document(
        "003_cafe3b9757853c08.txt",
        Text("구로구 일자리 창출 추진계획", "Guro-gu job-creation plan"),
        Text("서울특별시 구로구", "Guro-gu, Seoul"),
        2010,
        189,
    ),
    Document(
        "004_169ebb75f2837f78.txt",
        Text(
            "완주군일자리지원센터 2023년 성과 (특집 기사)",
            "Wanju County Job Support Centre: 2023 results (news feature)",
        ),
        Text("완주군 지역 언론", "Wanju local press"),
        2024,
        101,
    ),
)

_BY_FILE = {d.file: d for d in DOCUMENTS}

# ``seeds/<file>.txt`` with an optional ``#L11`` or ``#L11-L12`` locator.
_CITATION = re.compile(r"(?:seeds/)?(?P<file>\d{3}_[0-9a-f]{16}\.txt)(?:#(?P<where>L\d+(?:-L?\d+)?))?")


def _quote(title: str, lang: Lang) -> str:
    return f"「{title}」" if lang == "ko" else f"«{title}»"


def cite(text: str, lang: Lang = "ko") -> str:
    """``text`` with every known document file name replaced by its title and line."""

    def title(match: re.Match[str]) -> str:
        doc = _BY_FILE.get(match["file"])
        if doc is None:
            return match[0]
        where = f" {match['where']}" if match["where"] else ""
        return _quote(doc.title.get(lang), lang) + where

    return _CITATION.sub(title, text)


def documents_cited(texts: Iterable[str]) -> list[Document]:
    """The known documents named in ``texts``, in the order of :data:`DOCUMENTS`."""
    files = {m["file"] for t in texts for m in _CITATION.finditer(t)}
    return [d for d in DOCUMENTS if d.file in files]
