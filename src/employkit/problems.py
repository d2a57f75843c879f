"""The catalogue of problem codes: what each :class:`~employkit.errors.Problem` code means.

Every problem an input edge reports (a file reader, :func:`employkit.converter.structure`,
:func:`employkit.frames.from_frames`) carries one of these codes, so a program can act on
the kind of problem without reading its English text, and a counsellor reads the Korean
message. The documentation page *Problem codes* is generated from :data:`CODES`.

>>> CODES["not_whole"].ko
'정수가 아닙니다 (소수점이 있는 값)'
>>> render_path(("seekers", 0, "intake", "motivation"))
'$.seekers[0].intake.motivation'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from attrs import frozen

__all__ = ["CODES", "ProblemCode", "describe", "render_path"]


@frozen
class ProblemCode:
    """One code: its English and Korean messages, and when it is reported."""

    code: str
    en: str
    ko: str
    when: str


_ALL = (
    # values
    ProblemCode(
        "required",
        "a required value is missing",
        "필수 값이 없습니다",
        "A required field, column or value is absent or empty.",
    ),
    ProblemCode(
        "wrong_type",
        "the value has the wrong type",
        "값의 종류가 맞지 않습니다",
        "A value of the wrong kind: true (or a yes/no word in a file) where a number belongs, a number where "
        "a text identifier or code belongs, a list where an object belongs or the reverse.",
    ),
    ProblemCode("not_a_number", "not a number", "숫자가 아닙니다", "A number was expected."),
    ProblemCode(
        "not_whole",
        "not a whole number",
        "정수가 아닙니다 (소수점이 있는 값)",
        "A whole number (a count, KRW, a year) has a fractional part, such as 1800000.5.",
    ),
    ProblemCode(
        "out_of_range",
        "the value is out of range",
        "허용 범위를 벗어난 값입니다",
        "A number or date outside its range: openings below 1, a negative wage, a wage above "
        "1,000,000,000 KRW, a birth year outside 1900-2100, an age preference outside 15-100, "
        "hours outside 0-168, a date outside 1900-2100, too many digits.",
    ),
    ProblemCode(
        "bad_date", "not a valid date", "올바른 날짜가 아닙니다", "Not a date (use YYYY-MM-DD), or no such day."
    ),
    ProblemCode(
        "future_date",
        "a date in the future where only the past is possible",
        "아직 오지 않은 날짜입니다 (미래의 생년)",
        "A birth year or date after today.",
    ),
    ProblemCode(
        "date_order",
        "dates in the wrong order",
        "날짜의 앞뒤가 맞지 않습니다",
        "Born after registration, a vacancy closing before it was posted, a contract ending or a "
        "job ending before it started, a follow-up contact before the placement's start.",
    ),
    ProblemCode(
        "inconsistent",
        "values of the record disagree",
        "기록의 값들이 서로 맞지 않습니다",
        "Two fields contradict each other: birth_year and birth_date, min_age above max_age.",
    ),
    ProblemCode(
        "unknown_value",
        "not one of the accepted values",
        "허용되지 않는 값입니다",
        "A yes/no, level, gender, employment type, target group or outcome not in the list "
        "(codes, Korean and English labels are accepted: 예/아니오, 하/중/상, 여성/남성, 정규직 …).",
    ),
    ProblemCode(
        "unknown_code",
        "unknown code",
        "알 수 없는 코드입니다",
        "A region code (시군구) or a KECO occupation code not in employkit's tables, or not made of digits.",
    ),
    ProblemCode(
        "expired_code",
        "the code was not in force on the record's date",
        "기록 날짜에 유효하지 않은 코드입니다",
        "A region code not yet or no longer in force on the record's date; the message names its "
        "successor. A code replaced before the record's date is a warning: the record keeps it and "
        "the engines use the successor.",
    ),
    ProblemCode(
        "too_long", "the value is too long", "값이 너무 깁니다", "A cell or text longer than 32,767 characters."
    ),
    ProblemCode(
        "control_character",
        "holds a control character",
        "제어 문자가 들어 있습니다",
        "A value or header holding a NUL byte or another control character.",
    ),
    ProblemCode(
        "lookalike",
        "mixes look-alike letters of different scripts",
        "모양이 비슷한 다른 문자(그리스·키릴 문자)가 섞여 있습니다",
        "An identifier mixing Latin letters or digits with Greek or Cyrillic letters that look alike.",
    ),
    ProblemCode(
        "rrn",
        "looks like a resident registration number; refused",
        "주민등록번호로 보이는 값은 받지 않습니다",
        "A resident registration number (주민등록번호) in any value, key, header or name; the value is shown masked.",
    ),
    # structure
    ProblemCode(
        "unknown_field",
        "unknown field",
        "알 수 없는 항목입니다",
        "A JSON key the record does not have (files keep unknown columns as extra columns instead).",
    ),
    ProblemCode(
        "duplicate_field",
        "the field or column is given twice",
        "같은 항목이 두 번 있습니다",
        "A column named twice (by its English and Korean names?), or a key twice in a JSON object.",
    ),
    ProblemCode("duplicate_id", "duplicate identifier", "식별번호가 중복됩니다", "An id given to two rows of a table."),
    ProblemCode(
        "unknown_reference",
        "refers to a row that does not exist",
        "참조하는 기록이 없습니다",
        "An employer_id, seeker_id, vacancy_id or placement_id naming no row of its table, or a "
        "table the data refers to missing.",
    ),
    ProblemCode(
        "missing_table",
        "a required table is missing",
        "필수 표가 없습니다",
        "The seekers table (구직자) was not found.",
    ),
    ProblemCode(
        "unknown_table",
        "unknown table or sheet",
        "알 수 없는 표입니다",
        "A table, file or sheet name not in the schema.",
    ),
    ProblemCode(
        "bad_header",
        "the header row is missing or damaged",
        "머리글 행이 없거나 손상되었습니다",
        "An empty file or sheet, a header in another separator, a value under no header.",
    ),
    ProblemCode(
        "bad_row",
        "the row cannot be read",
        "행을 읽을 수 없습니다",
        "A row with more cells than the header, or unreadable.",
    ),
    ProblemCode(
        "bad_syntax",
        "not valid JSON or TOML",
        "JSON 또는 TOML 형식이 올바르지 않습니다",
        "Text that does not parse as JSON (a JSON Lines line, a request body) or TOML (centre.toml).",
    ),
    ProblemCode(
        "bad_encoding",
        "cannot decode the text",
        "문자 인코딩을 읽을 수 없습니다",
        "A file neither UTF-8 nor CP949/EUC-KR, or mixing encodings.",
    ),
    ProblemCode(
        "unreadable",
        "the file cannot be read",
        "파일을 읽을 수 없습니다",
        "A missing, locked or damaged file, folder, database or workbook, or a format not known.",
    ),
    ProblemCode(
        "too_large",
        "the input is larger than the configured limit",
        "입력이 설정된 한도보다 큽니다",
        "More rows, columns or bytes than ``[data]`` limits allow.",
    ),
    ProblemCode(
        "not_writable",
        "the value cannot be written in the chosen format",
        "선택한 형식으로 쓸 수 없는 값입니다",
        "Text a CP949 file cannot hold, or a table too large for an Excel sheet.",
    ),
    ProblemCode(
        "bad_setting",
        "invalid setting",
        "설정 값이 올바르지 않습니다",
        "A value in centre.toml or employkit.toml that is not valid.",
    ),
    ProblemCode(
        "missing_extra",
        "an optional dependency is not installed",
        "필요한 선택 패키지가 설치되어 있지 않습니다",
        "pandas, pyarrow or openpyxl is needed for this input; the message names the extra to install.",
    ),
    ProblemCode("invalid", "invalid value", "올바르지 않은 값입니다", "Any other problem; the message says what."),
)

#: Every problem code by name.
CODES: Mapping[str, ProblemCode] = MappingProxyType({c.code: c for c in _ALL})

_NAME = re.compile(r"^[^\W\d][\w]*$")


def describe(code: str) -> ProblemCode:
    """The catalogue entry of ``code``; raises :class:`KeyError` naming the known codes."""
    try:
        return CODES[code]
    except KeyError:
        raise KeyError(f"unknown problem code {code!r}; known: {', '.join(CODES)}") from None


def render_path(path: tuple[str | int, ...]) -> str:
    """A JSON path as text: ``$``, then ``.key`` (``["a key"]`` when not a plain name) or ``[index]``.

    >>> render_path(()), render_path(("extra", "비고 1", 2))
    ('$', '$.extra["비고 1"][2]')
    """
    parts = ["$"]
    for step in path:
        if isinstance(step, int):
            parts.append(f"[{step}]")
        elif _NAME.match(step):
            parts.append(f".{step}")
        else:
            escaped = step.replace("\\", "\\\\").replace('"', '\\"')
            parts.append(f'["{escaped}"]')
    return "".join(parts)
