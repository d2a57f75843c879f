"""A match component written as one plain function: evaluated once per distinct combination of its fields.

Most rules of a district pack are a few conditions on a few fields. A
:class:`ScalarComponent` declares those fields and writes the rule once, as
:meth:`ScalarComponent.rule`: one seeker's and one vacancy's fields (Python values, as a
renderer sees them) in, a :class:`Verdict` (the value and its reasons) out. Its kernel
evaluates the rule once per pair of distinct combinations of the fields — a few
hundred calls where the batch has millions of pairs — and looks the values up; its
renderer evaluates it once more for the pair explained. So the score and the reason
come from the same lines, on every path.

Keep the fields few: the rule runs for every (seeker combination, vacancy combination)
pair. A rule over a field with many values (a wage, a distance) is better written as a
numpy kernel (:class:`~employkit.matching.base.Kernel`).

>>> import datetime as dt
>>> from employkit.labels import Text
>>> from employkit.packs import RuleMeta
>>> class Weekend(ScalarComponent):
...     meta = RuleMeta(rule_id="gu.matching.weekend", title=Text("주말 근무", "weekend work"),
...                     parameters=("matching.weight.weekend",))
...     key = "weekend"
...     seeker_fields = ("desired_hours",)
...     vacancy_fields = ("weekend",)
...     def rule(self, seeker, vacancy, ctx):
...         if vacancy["weekend"] is None:
...             return Verdict(value=0.0, missing=True, reasons=[Text("주말 근무 미기재", "weekend work not stated")])
...         part_time = seeker["desired_hours"] is not None and seeker["desired_hours"] <= 20
...         fits = part_time or vacancy["weekend"] == "no"
...         why = Text("주말 근무 여부가 맞음", "weekend work fits") if fits else Text("주말 근무", "weekend work")
...         return Verdict(value=1.0 if fits else 0.5, reasons=[why])
>>> from employkit.matching.columns import SeekerTable, VacancyTable
>>> from employkit.testing import make_pack, make_system, parameters_from_toml
>>> weight = parameters_from_toml('''
... [[parameter]]
... id = "matching.weight.weekend"
... [[parameter.value]]
... from = 2015-01-01
... value = 0.5
... source = "district decision"
... ''')
>>> system = make_system(make_pack("gu", match_components=[Weekend()], parameters=weight))
>>> from employkit.matching import BatchScorer, Matcher
>>> seekers = SeekerTable.from_columns({"seeker_id": ["S1", "S2"], "residence_code": ["11140", "11140"],
...     "registered_on": ["2016-01-04", "2016-01-04"], "desired_hours": [15, 40]})
>>> vacancies = VacancyTable.from_columns({"vacancy_id": ["V1"], "employer_id": ["E1"], "occupation": ["5611"],
...     "openings": [1], "employment_type": ["regular"], "region_code": ["11140"],
...     "posted_on": ["2016-01-04"], "weekend": ["yes"]})
>>> batch = BatchScorer(Matcher(system, dt.date(2016, 2, 1), only=["weekend"]), seekers, vacancies)
>>> batch.scores()[0].tolist()
[[1.0], [0.5]]
>>> batch.explain([1], [0])[0].component("weekend").reason("en")
'weekend work'
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from attrs import field, frozen

from employkit.matching.base import ArrayScores, Columns, ComponentScore, Kernel, Pair
from employkit.matching.fields import decode

if TYPE_CHECKING:
    from employkit.labels import Text
    from employkit.packs import RuleMeta
    from employkit.rules import EvalContext

__all__ = ["ScalarComponent", "Verdict"]


def _texts(value: Sequence[Text]) -> tuple[Text, ...]:
    return tuple(value)


@frozen(kw_only=True)
class Verdict:
    """What a scalar rule says of one combination: the value, its reasons and its marks.

    ``value`` in [0, 1]; ``missing`` leaves the component out of the total (its value
    is then 0); ``advisory`` shows it without counting it; ``gate`` makes the pair not
    eligible; ``flags`` are codes for the counsellor; ``inputs`` go into the explanation.
    """

    value: float
    reasons: tuple[Text, ...] = field(converter=_texts)
    inputs: Mapping[str, Any] = field(factory=dict)
    missing: bool = False
    advisory: bool = False
    gate: bool = False
    flags: tuple[str, ...] = ()


def _rows(columns: Columns, fields: Sequence[str]) -> list[dict[str, Any]]:
    n = len(next(iter(columns.values()))) if columns else 1
    return [{f: decode(f, columns[f][i]) for f in fields} for i in range(n)]


class ScalarComponent(ABC):
    """A match component whose rule is one Python function (subclass it; see the module).

    Set ``meta``, ``key``, ``seeker_fields`` and ``vacancy_fields`` and write
    :meth:`rule`; the kernel and the renderer are this class's.
    """

    meta: ClassVar[RuleMeta]
    key: ClassVar[str]
    seeker_fields: ClassVar[tuple[str, ...]] = ()
    vacancy_fields: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def rule(self, seeker: Mapping[str, Any], vacancy: Mapping[str, Any], ctx: EvalContext) -> Verdict:
        """The verdict for one seeker's and one vacancy's fields (only the declared fields are given)."""

    def kernel(self, seekers: Columns, vacancies: Columns, ctx: EvalContext) -> Kernel:
        """The rule evaluated on every pair of distinct combinations, as tables looked up by combination."""
        s_rows, v_rows = _rows(seekers, self.seeker_fields), _rows(vacancies, self.vacancy_fields)
        shape = (len(s_rows), len(v_rows))
        values, counted, gate = np.zeros(shape), np.zeros(shape, dtype=bool), np.zeros(shape, dtype=bool)
        for i, s in enumerate(s_rows):
            for j, v in enumerate(v_rows):
                verdict = self.rule(s, v, ctx)
                values[i, j] = 0.0 if verdict.missing else verdict.value
                counted[i, j] = not (verdict.missing or verdict.advisory)
                gate[i, j] = verdict.gate and not verdict.missing

        def function(s: Columns, v: Columns) -> ArrayScores:
            si, vi = s["combination"], v["combination"]
            return ArrayScores(values=values[si, vi], counted=counted[si, vi], gate=gate[si, vi])

        s_index, v_index = np.arange(shape[0], dtype=np.intp), np.arange(shape[1], dtype=np.intp)
        return Kernel({"combination": s_index}, {"combination": v_index}, function)

    def explain(self, pair: Pair, ctx: EvalContext) -> ComponentScore:
        """The rule's verdict for this pair, as a component score."""
        verdict = self.rule(
            {f: pair.seeker[f] for f in self.seeker_fields}, {f: pair.vacancy[f] for f in self.vacancy_fields}, ctx
        )
        return ComponentScore(
            component=self.key,
            value=0.0 if verdict.missing else verdict.value,
            missing=verdict.missing,
            advisory=verdict.advisory,
            gate=verdict.gate and not verdict.missing,
            flags=verdict.flags,
            explanation=ctx.explain(self.meta.rule_id, reasons=verdict.reasons, inputs=verdict.inputs),
        )
