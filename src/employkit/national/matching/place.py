"""Place of work: km between home and workplace, else the region level; and the commute-reach gate."""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from employkit.codes import current_region, region_ancestors, region_centroid
from employkit.errors import ParameterError
from employkit.explain import SourceRef
from employkit.labels import Text
from employkit.matching.base import ArrayScores, Columns, ComponentScore, Kernel, Pair
from employkit.national.matching.common import FLAG_LABELS, memo, meta, number, region_text, table
from employkit.packs import RuleMeta

if TYPE_CHECKING:
    from employkit.rules import EvalContext

__all__ = ["PLACE_META", "REACH_GATES", "PlaceComponent", "haversine_km"]

_EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees.

    >>> round(haversine_km(37.5636, 126.9976, 37.5704, 126.9920), 2)  # 중구청 to 종로구청
    0.9
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi = p2 - p1
    dlam = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlam / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


def _haversine_np(
    lat1: NDArray[np.float64], lon1: NDArray[np.float64], lat2: NDArray[np.float64], lon2: NDArray[np.float64]
) -> NDArray[np.float64]:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlam = np.radians(lon2 - lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlam / 2) ** 2
    result: NDArray[np.float64] = 2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(1.0, a)))
    return result


_LEVELS = ("same_district", "same_province", "other")


@cache
def _current(code: str) -> str:
    """The code in force now for ``code``'s area: records keep theirs, places compare by this."""
    try:
        return current_region(code)
    except ValueError:
        return code


@cache
def _district_chain(code: str) -> tuple[str, ...]:
    """The current district of ``code`` and its city (for a 일반구); empty for a 시도."""
    current = _current(code)
    if len(current) < 5:
        return ()
    try:
        return tuple(c for c in region_ancestors(current) if len(c) == 5)
    except ValueError:
        return (current[:5],)


@cache
def _centroid(code: str) -> tuple[float, float] | None:
    """The centroid of the district in force now for ``code`` (``None`` for a 시도 or unknown code)."""
    try:
        return region_centroid(code)
    except ValueError:
        return None


#: Commute reaches of the gate ``matching.gate.reach``, narrowest first.
REACH_GATES = ("district", "province", "national")

_REACH_TEXT = {
    "district": Text("같은 시군구", "the same district"),
    "province": Text("같은 시도", "the same province"),
    "national": Text("전국", "anywhere"),
}


@frozen
class _Reach:
    """The commute-reach gate for one kind of seeker: a region reach and a km limit (0: none)."""

    reach: str
    km: float

    @property
    def active(self) -> bool:
        return self.reach != "national" or self.km > 0

    def text(self) -> Text:
        where = _REACH_TEXT[self.reach]
        if self.km > 0 and self.reach != "national":
            return Text(f"{where.ko} 안, 통근 {self.km:g} km 이내", f"within {where.en} and {self.km:g} km of home")
        if self.km > 0:
            return Text(f"통근 {self.km:g} km 이내", f"within {self.km:g} km of home")
        return Text(f"{where.ko} 안", f"within {where.en}")


@frozen
class _PlaceParams:
    local: Mapping[str, float]
    mobile: Mapping[str, float]
    full: float
    zero: float
    zero_mobile: float
    reach_local: _Reach
    reach_mobile: _Reach


def _reach_params(ctx: EvalContext) -> tuple[_Reach, _Reach]:
    pid = "matching.gate.reach"
    raw = ctx.param(pid)
    keys = ("local", "mobile", "local_km", "mobile_km")
    if not isinstance(raw, Mapping) or set(raw) != set(keys):
        raise ParameterError(f"parameter {pid}: expected a table with exactly the keys {', '.join(keys)}")
    out = []
    for kind in ("local", "mobile"):
        reach = raw[kind]
        if reach not in REACH_GATES:
            raise ParameterError(f"parameter {pid}.{kind}: expected one of {', '.join(REACH_GATES)}, got {reach!r}")
        out.append(_Reach(str(reach), number(raw[f"{kind}_km"], f"{pid}.{kind}_km", 0.0, 20_000.0)))
    return out[0], out[1]


@memo("matching.place.by_region", "matching.place.by_region_mobile", "matching.place.km", "matching.gate.reach")
def _place_params(ctx: EvalContext) -> _PlaceParams:
    local = table(ctx, "matching.place.by_region", _LEVELS)
    mobile = table(ctx, "matching.place.by_region_mobile", _LEVELS)
    for name, levels in (("matching.place.by_region", local), ("matching.place.by_region_mobile", mobile)):
        if not levels["same_district"] >= levels["same_province"] >= levels["other"]:
            raise ParameterError(f"parameter {name}: values must not increase from same_district to other")
    if any(mobile[k] < local[k] for k in _LEVELS):
        raise ParameterError("parameter matching.place.by_region_mobile: each value must be at least by_region's")
    km = table(ctx, "matching.place.km", ("full", "zero", "zero_mobile"), high=None)
    if not km["full"] < km["zero"] <= km["zero_mobile"]:
        raise ParameterError("parameter matching.place.km: expected full < zero <= zero_mobile")
    reach_local, reach_mobile = _reach_params(ctx)
    return _PlaceParams(local, mobile, km["full"], km["zero"], km["zero_mobile"], reach_local, reach_mobile)


def _district_number(code: str, missing: int) -> int:
    return int(code[:5]) if len(code) >= 5 else missing


def _city_number(code: str, missing: int) -> int:
    """The city of a 일반구 (the district itself otherwise)."""
    chain = _district_chain(code)
    return int(chain[-1]) if chain else missing


PLACE_META = meta(
    "place",
    "근무지 적합도",
    "place of work fit",
    [
        "matching.weight.place",
        "matching.place.by_region",
        "matching.place.by_region_mobile",
        "matching.place.km",
        "matching.gate.reach",
    ],
    SourceRef("seeds/001_9743a8cda015755e.txt", "L483-486", "광역 알선 / 지역 내 알선"),
    Text("거주지와 근무지: 같은 시군구, 같은 시도, 통근 거리", "home and workplace: district, province, commute km"),
)

_LEVEL_TEXT = (
    Text("같은 시군구", "same district"),
    Text("같은 시도, 다른 시군구", "same province, another district"),
    Text("다른 시도", "another province"),
)
_DISTANCE_FROM = ("district centroids", "coordinates and a district centroid", "coordinates")
#: The widest region level a reach allows (0 district, 1 province, 2 national).
_WIDEST = {"district": 0, "province": 1, "national": 2}


def _points(
    codes: list[str], lat: NDArray[np.float64], lon: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """Coordinates where given (and valid), else the district centroid; and whether they were given."""
    given = ~(np.isnan(lat) | np.isnan(lon)) & (np.abs(lat) <= 90.0) & (np.abs(lon) <= 180.0)
    out_lat, out_lon = np.where(given, lat, np.nan), np.where(given, lon, np.nan)
    for i in np.flatnonzero(~given).tolist():
        centre = _centroid(codes[i])
        if centre is not None:
            out_lat[i], out_lon[i] = centre
    return out_lat, out_lon, given


def _region_columns(codes: list[str], missing: int) -> dict[str, NDArray[Any]]:
    return {
        "district": np.array([_district_number(c, missing) for c in codes], dtype=np.int64),
        "city": np.array([_city_number(c, missing) for c in codes], dtype=np.int64),
        "province": np.array([int(c[:2]) for c in codes], dtype=np.int64),
    }


@frozen
class PlaceComponent:
    """Place of work: km between home and workplace (their coordinates, else their district centroids).

    Within ``matching.place.km.full`` km the value is 1, falling linearly to 0 at
    ``zero`` km (``zero_mobile`` for a mobile seeker); where no distance can be computed,
    the value is by region level (same district, same province, elsewhere; wide-area
    values for a mobile seeker). Where a centroid stands in for coordinates, the same
    district keeps at least its by-region value.

    It also holds the **commute-reach gate** ``matching.gate.reach``, a policy limit a
    centre may set (nationally off): seekers who cannot move (or whose mobility is not
    recorded) and mobile seekers each get a reach — ``district``, ``province`` or
    ``national`` — and a km limit (0: none). A vacancy outside the seeker's reach fails
    the gate: the pair is not eligible on every path, and the explanation says so. A km
    limit needs a distance (coordinates or district centroids); where none can be
    computed only the region reach applies.
    """

    meta: RuleMeta = PLACE_META
    key: str = "place"
    seeker_fields: tuple[str, ...] = ("residence_code", "mobile", "latitude", "longitude")
    vacancy_fields: tuple[str, ...] = ("region_code", "latitude", "longitude")
    flag_labels: Mapping[str, Text] = FLAG_LABELS

    def kernel(self, seekers: Columns, vacancies: Columns, ctx: EvalContext) -> Kernel:
        """Columns: district, city and province numbers, mobility, coordinates (centroids when not given)."""
        p = _place_params(ctx)
        s_codes = [_current(str(c)) for c in seekers["residence_code"].tolist()]
        v_codes = [_current(str(c)) for c in vacancies["region_code"].tolist()]
        s_lat, s_lon, s_given = _points(s_codes, seekers["latitude"], seekers["longitude"])
        v_lat, v_lon, v_given = _points(v_codes, vacancies["latitude"], vacancies["longitude"])
        s_cols = {
            **_region_columns(s_codes, -1),
            "given": s_given,
            "mobile": np.asarray(seekers["mobile"]) == 1,
            "lat": s_lat,
            "lon": s_lon,
        }
        v_cols = {**_region_columns(v_codes, -2), "given": v_given, "lat": v_lat, "lon": v_lon}
        local = np.array([p.local[k] for k in _LEVELS])
        mobile_values = np.array([p.mobile[k] for k in _LEVELS])
        gated = p.reach_local.active or p.reach_mobile.active

        def reach_gate(
            level: NDArray[np.intp], mobile: NDArray[np.bool_], km: NDArray[np.float64] | None
        ) -> NDArray[np.bool_] | np.bool_:
            if not gated:
                return np.False_
            allowed = np.where(mobile, _WIDEST[p.reach_mobile.reach], _WIDEST[p.reach_local.reach])
            gate = level > allowed
            if km is not None:
                limit = np.where(mobile, p.reach_mobile.km, p.reach_local.km)
                gate = gate | ((limit > 0) & (km > limit))
            return gate

        def function(s: Columns, v: Columns) -> ArrayScores:
            same = (s["district"] == v["district"]) | (s["district"] == v["city"]) | (s["city"] == v["district"])
            level = np.where(same, 0, np.where(s["province"] == v["province"], 1, 2)).astype(np.intp)
            mobile = s["mobile"]
            by_region = np.where(mobile, mobile_values[level], local[level])
            has = ~(np.isnan(s["lat"]) | np.isnan(v["lat"]))
            given = s["given"].astype(np.int8) + v["given"]
            if not np.any(has):
                details = {"level": level, "km": np.full(level.shape, np.nan), "given": given}
                gate = reach_gate(level, mobile, None)
                return ArrayScores(values=by_region, counted=np.True_, gate=gate, details=details)
            km = _haversine_np(
                np.where(has, s["lat"], 0.0),
                np.where(has, s["lon"], 0.0),
                np.where(has, v["lat"], 0.0),
                np.where(has, v["lon"], 0.0),
            )
            zero = np.where(mobile, p.zero_mobile, p.zero)
            by_km = np.where(km <= p.full, 1.0, np.maximum(0.0, (zero - km) / (zero - p.full)))
            # where a centroid stands in for coordinates, the same district keeps its by-region value
            floor = (level == 0) & ~(s["given"] & v["given"])
            by_km = np.where(floor, np.maximum(by_km, by_region), by_km)
            gate = reach_gate(level, mobile, np.where(has, km, -1.0))
            details = {"level": level, "km": np.where(has, km, np.nan), "given": given}
            return ArrayScores(values=np.where(has, by_km, by_region), counted=np.True_, gate=gate, details=details)

        return Kernel(s_cols, v_cols, function)

    def explain(self, pair: Pair, ctx: EvalContext) -> ComponentScore:
        """The commute distance or the region level, and the reach gate when a centre sets one."""
        p = _place_params(ctx)
        mobility = pair.seeker["mobile"]
        mobile = mobility is True
        home, work = pair.seeker["residence_code"], pair.vacancy["region_code"]
        inputs: dict[str, Any] = {"residence_code": home, "region_code": work, "mobile": mobility}
        reasons: list[Text] = []
        if mobile:
            reasons.append(Text("지역이동 가능: 광역 알선 기준 적용", "mobile seeker: wide-area values"))
        elif mobility is None:
            reasons.append(
                Text("지역이동 가능 여부 미기록: 지역 내 기준 적용", "mobility not recorded: local values used")
            )
        km: float | None = pair.detail("km")
        given = int(pair.detail("given"))
        if km is not None:
            zero = p.zero_mobile if mobile else p.zero
            beyond = km - p.full
            if beyond <= 0:
                lead = Text(
                    f"통근 거리 {km:.1f} km: 만점 반경 {p.full:g} km 이내 ({-beyond:.1f} km 여유)",
                    f"{km:.1f} km from home: within the {p.full:g} km full-value radius ({-beyond:.1f} km to spare)",
                )
            else:
                lead = Text(
                    f"통근 거리 {km:.1f} km: 만점 반경 {p.full:g} km보다 {beyond:.1f} km 멂 ({zero:g} km에서 0점)",
                    f"{km:.1f} km from home: {beyond:.1f} km beyond the {p.full:g} km full-value radius "
                    f"(0 at {zero:g} km)",
                )
            inputs["distance_km"] = round(km, 3)
            inputs["distance_from"] = _DISTANCE_FROM[given]
            if given < 2:
                reasons.append(
                    Text(
                        f"좌표 없는 쪽은 시군구 중심점 기준 ({region_text(home).ko} → {region_text(work).ko})",
                        f"district centroid where no coordinates are given ({region_text(home).en} → "
                        f"{region_text(work).en})",
                    )
                )
        else:
            level = _LEVELS[int(pair.detail("level"))]
            what = _LEVEL_TEXT[int(pair.detail("level"))]
            lead = Text(
                f"거주 {region_text(home).ko}, 근무지 {region_text(work).ko}: {what.ko}",
                f"lives in {region_text(home).en}, works in {region_text(work).en}: {what.en}",
            )
            inputs["region_level"] = level
        reach = p.reach_mobile if mobile else p.reach_local
        if reach.active:
            reasons.extend(_reach_reasons(reach, mobile, pair.gate, km))
            inputs["reach"] = reach.reach
            inputs["reach_km"] = reach.km
        return pair.result(self, ctx, [lead, *reasons], inputs)


def _reach_reasons(reach: _Reach, mobile: bool, gate: bool, km: float | None) -> list[Text]:
    kind = (
        Text("지역이동 가능 구직자", "mobile seekers")
        if mobile
        else Text("지역이동이 어려운 구직자", "seekers who cannot move")
    )
    limit = reach.text()
    if gate:
        out = [
            Text(
                f"통근 범위 관문(matching.gate.reach): {kind.ko}는 {limit.ko}의 구인만 — 범위 밖, "
                "관문 불통과(추천 제외)",
                f"commute-reach gate (matching.gate.reach): {kind.en} are offered vacancies {limit.en} only "
                "— out of reach, gate failed (not recommended)",
            )
        ]
    else:
        out = [
            Text(
                f"통근 범위 관문(matching.gate.reach): {kind.ko}는 {limit.ko}의 구인만 — 통과",
                f"commute-reach gate (matching.gate.reach): {kind.en} are offered vacancies {limit.en} only — passed",
            )
        ]
    if reach.km > 0 and km is None:
        out.append(
            Text(
                "거리를 계산할 수 없어 km 제한은 적용하지 않음",
                "no distance can be computed: the km limit is not applied",
            )
        )
    return out
