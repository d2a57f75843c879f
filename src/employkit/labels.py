"""Bilingual text and coded enumerations.

Every code a counsellor sees has a stable English code (what files and the API use),
a Korean label and an English label. :class:`CodedEnum` members are also ``str``, so a
member compares equal to its code and serialises as it.
"""

from __future__ import annotations

from enum import Enum
from typing import Literal, Self

from attrs import frozen

from .errors import InvalidValue

Lang = Literal["ko", "en"]


@frozen
class Text:
    """A short text in Korean and English.

    >>> Text("정규직", "regular").get("en")
    'regular'
    """

    ko: str
    en: str

    def get(self, lang: Lang = "ko") -> str:
        """The text in ``lang`` (``"ko"`` or ``"en"``)."""
        return self.ko if lang == "ko" else self.en

    def __str__(self) -> str:
        return f"{self.ko} ({self.en})" if self.ko != self.en else self.ko


class CodedEnum(str, Enum):
    """An enumeration whose members carry a code and Korean and English labels.

    Members are declared as ``NAME = ("code", "한국어", "English")``.
    """

    _ko: str
    _en: str

    def __new__(cls, code: str, ko: str, en: str) -> Self:
        obj = str.__new__(cls, code)
        obj._value_ = code
        obj._ko = ko
        obj._en = en
        return obj

    @property
    def code(self) -> str:
        """The stable English code."""
        return str(self.value)

    @property
    def label(self) -> Text:
        """The Korean and English labels."""
        return Text(self._ko, self._en)

    def __str__(self) -> str:
        return self.code

    @classmethod
    def parse(cls, text: str) -> Self:
        """The member whose code, Korean label or English label is ``text``.

        Matching ignores case and surrounding spaces, so exports that write labels
        instead of codes still load. Raises :class:`ValueError` naming the allowed codes.
        """
        wanted = text.strip()
        folded = wanted.casefold()
        for member in cls:
            if folded in (member.code.casefold(), member._en.casefold()) or wanted == member._ko:
                return member
        allowed = ", ".join(m.code for m in cls)
        raise InvalidValue(f"unknown {cls.__name__} {text!r}; expected one of: {allowed}")
