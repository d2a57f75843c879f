"""Personal data: the centre's pseudonym key, keyed pseudonyms, refusing resident numbers.

Identifiers that leave the centre — in a published report, a decision log, a shared
table — are replaced by a *pseudonym*: a keyed hash (HMAC-SHA256) of the identifier
under a secret only the centre holds. The same identifier always gives the same
pseudonym under the same key, so published rows can still be joined with each other;
without the key nobody can compute a pseudonym from an identifier, nor test a guessed
identifier against a published pseudonym (seeker ids are short and easy to guess, so a
plain unkeyed hash would not protect them).

The key is the centre's own: ``[privacy] pseudonym_key_file`` in its configuration (a
file holding the key, so ``employkit.toml`` itself holds no secret) or ``[privacy]
pseudonym_key``; only a centre that configures neither falls back to the environment
variable ``EMPLOYKIT_PSEUDONYM_KEY``, so a process serving several centres never
pseudonymises one centre's identifiers with another's key.
employkit has no built-in key: asking for one when none is set is a
:class:`~employkit.errors.ConfigError`. Changing the key changes every pseudonym.

>>> pseudonymise("S0000001", "centre-secret")
'P9839150898588e41'
>>> refuse_rrn("통화 완료", where="note")
>>> try:
...     refuse_rrn("주민번호 900101-1234567", where="note")
... except DataError as exc:
...     print(exc.problems[0])
column 'note': looks like a resident registration number (주민등록번호); refused (value '주민번호 ******-*******')
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from employkit.errors import ConfigError, DataError, Problem

__all__ = [
    "IDENTIFYING_COLUMNS",
    "KEY_ENV",
    "MIN_KEY_LENGTH",
    "PSEUDONYM_DIGITS",
    "fold_identifier",
    "is_identifying",
    "pseudonym_key",
    "pseudonymise",
    "pseudonymiser",
    "refuse_identifying",
    "refuse_rrn",
]


#: Columns that identify a person, a placement, a vacancy or an employer: a published
#: table broken down by one of them would list every id (or name) as a row label.
IDENTIFYING_COLUMNS = frozenset(
    {
        "seeker_id",
        "placement_id",
        "vacancy_id",
        "employer_id",
        "counsellor",
        "name",
        "names",
        "full_name",
        "phone",
        "mobile",
        "telephone",
        "email",
        "address",
        "birth_date",
        "rrn",
        "성명",
        "이름",
        "연락처",
        "전화",
        "전화번호",
        "휴대폰",
        "휴대전화",
        "이메일",
        "주소",
        "생년월일",
        "주민등록번호",
        "주민번호",
        "구직자번호",
        "구직번호",
        "취업번호",
        "구인번호",
        "사업장번호",
        "사업자등록번호",
        "상담사",
    }
)
_IDENTIFYING_PARTS = ("_id", "name", "phone", "mail", "address", "이름", "성명", "연락처", "전화", "주소", "번호")


def fold_identifier(text: str) -> str:
    """An identifier as employkit compares it: NFKC, invisible characters dropped, spaces trimmed.

    Look-alikes typed or pasted from other systems (full-width letters, a zero-width
    space) become the same identifier; a letter of another script that only looks
    Latin (Cyrillic ``Ѕ``) does not: the readers refuse identifiers mixing Latin with
    Cyrillic or Greek letters (:func:`employkit.sources.cells.parse_id`).

    >>> fold_identifier("Ｓ000\u200b0001 "), fold_identifier("S0000001")
    ('S0000001', 'S0000001')
    """
    from employkit.sources.cells import fold_text

    return fold_text(text).strip()


def is_identifying(column: str) -> bool:
    """Whether a column identifies someone (its values must not label rows of a published table).

    >>> is_identifying("seeker_id"), is_identifying("고객 연락처"), is_identifying("age_band")
    (True, True, False)
    """
    name = fold_identifier(column).casefold().replace(" ", "_")
    return name in IDENTIFYING_COLUMNS or any(part in name for part in _IDENTIFYING_PARTS)


def refuse_identifying(column: str, option: str = "breakdown") -> None:
    """Raise :class:`~employkit.errors.ConfigError` for a breakdown by an identifying column."""
    if is_identifying(column):
        raise ConfigError(
            f"{option} {column!r}: a column that identifies people cannot break down a published table "
            "(every id or name would become a row label); choose a grouping such as age_band, gender or occupation"
        )


#: The environment variable holding the pseudonym key of centres that configure none.
KEY_ENV = "EMPLOYKIT_PSEUDONYM_KEY"
#: The shortest key accepted, in characters.
MIN_KEY_LENGTH = 16
#: Hexadecimal digits kept of the HMAC-SHA256 digest (64 bits).
PSEUDONYM_DIGITS = 16


def pseudonymise(identifier: str, key: str) -> str:
    """The pseudonym of ``identifier`` under ``key``: ``"P"`` and 16 hexadecimal digits.

    The digits are the first :data:`PSEUDONYM_DIGITS` of HMAC-SHA256(key, identifier),
    both encoded as UTF-8: 64 bits, so two of a million identifiers share a pseudonym
    with a probability below 3 in 100 million. The ``P`` keeps a pseudonym from being
    read as a number by spreadsheet programs.

    >>> pseudonymise("S0000001", "centre-secret") == pseudonymise("S0000001", "centre-secret")
    True
    >>> pseudonymise("S0000001", "centre-secret") != pseudonymise("S0000001", "another-secret")
    True
    """
    digest = hmac.new(key.encode("utf-8"), identifier.encode("utf-8"), hashlib.sha256).hexdigest()
    return "P" + digest[:PSEUDONYM_DIGITS]


def pseudonymiser(key: str) -> Callable[[str], str]:
    """A function giving the pseudonym of an identifier under ``key`` (remembering each one)."""
    cache: dict[str, str] = {}

    def apply(identifier: str) -> str:
        found = cache.get(identifier)
        if found is None:
            found = cache[identifier] = pseudonymise(identifier, key)
        return found

    return apply


def _settings(source: Any) -> tuple[Mapping[str, Any], str | None]:
    """The ``[privacy]`` settings and the configuration path of a system or a configuration."""
    config = getattr(source, "config", source)  # a RuleSystem has .config; a CentreConfig is one
    settings = getattr(config, "settings", None) or {}
    privacy = settings.get("privacy", {}) if isinstance(settings, Mapping) else {}
    return privacy, getattr(config, "path", None)


def _key_file(given: str, config_path: str | None) -> Path:
    """The key file: an absolute path as given, or a relative one inside the configuration's folder.

    The file must be a regular file that other users cannot read or write (``chmod 400``
    or ``600``). Raises :class:`~employkit.errors.ConfigError`.
    """
    import stat

    where = "[privacy] pseudonym_key_file"
    file = Path(given)
    if not file.is_absolute():
        base = Path(config_path).parent if config_path else Path.cwd()
        file = base / file
        try:
            file.resolve().relative_to(base.resolve())
        except ValueError:
            raise ConfigError(
                f"{where} {given!r}: a relative path must stay inside the configuration's folder {base}; "
                "give an absolute path to use a key elsewhere"
            ) from None
    try:
        info = file.stat()
    except OSError as exc:
        raise ConfigError(f"{where} {file}: cannot read the key: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise ConfigError(f"{where} {file}: not a regular file")
    if os.name == "posix" and info.st_mode & 0o077 & ~0o040:
        raise ConfigError(
            f"{where} {file}: other users can read or write it (mode {stat.S_IMODE(info.st_mode):o}); "
            f"make it private: chmod 600 {file}"
        )
    return file


def pseudonym_key(source: Any = None, environ: Mapping[str, str] | None = None) -> str:
    """The centre's secret pseudonym key.

    ``source`` is a :class:`~employkit.rules.RuleSystem` or a
    :class:`~employkit.config.CentreConfig` (or ``None``: the environment only). The key
    is the content of ``[privacy] pseudonym_key_file`` (relative to the configuration
    file), else ``[privacy] pseudonym_key``, else ``EMPLOYKIT_PSEUDONYM_KEY``; surrounding
    spaces are ignored.

    Raises :class:`~employkit.errors.ConfigError` when none is set, when the key file
    cannot be read, or when the key is shorter than :data:`MIN_KEY_LENGTH` characters.
    The message never shows the key.
    """
    env = os.environ if environ is None else environ
    privacy, path = _settings(source)
    found = ""
    origin = KEY_ENV
    if privacy.get("pseudonym_key_file"):
        file = _key_file(str(privacy["pseudonym_key_file"]), path)
        try:
            found = file.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
            raise ConfigError(f"[privacy] pseudonym_key_file {file}: cannot read the key: {reason}") from None
        origin = f"[privacy] pseudonym_key_file {file}"
    if not found and isinstance(privacy.get("pseudonym_key"), str):
        found = privacy["pseudonym_key"].strip()
        origin = f"[privacy] pseudonym_key in {path or 'the configuration'}"
    if not found:
        found = env.get(KEY_ENV, "").strip()
        origin = KEY_ENV
    if not found:
        raise ConfigError(
            f"no pseudonym key: set {KEY_ENV}, or [privacy] pseudonym_key_file (or pseudonym_key) in "
            "employkit.toml — a secret the centre keeps; identifiers are published only as keyed pseudonyms "
            "and employkit has no built-in key"
        )
    if len(found) < MIN_KEY_LENGTH:
        raise ConfigError(
            f"the pseudonym key from {origin} is too short: use at least {MIN_KEY_LENGTH} random characters "
            '(for example the output of: python -c "import secrets; print(secrets.token_urlsafe(32))")'
        )
    return found


def refuse_rrn(text: str | None, *, where: str, file: str | None = None, row: int | None = None) -> None:
    """Raise :class:`~employkit.errors.DataError` if ``text`` holds a resident registration number.

    For free text that does not come through a data source (a note typed at the
    command line, a value a program passes): ``where`` names the field. The error shows
    the text with the number masked, never the number.
    """
    from employkit.sources.cells import RRN_REASON, find_rrn, mask_rrn

    if text is not None and find_rrn(text):
        raise DataError([Problem(RRN_REASON, file, None, row, where, mask_rrn(text))], "refused")
