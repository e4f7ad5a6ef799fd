"""The units that performance tables print, as data (docs/rules.md §4).

Each measured unit has a dimension and a factor to the dimension's base unit (元, %, 米, 平方米,
千克, 立方米, 天, 倍), so "8.62万元" equals "86200元" and "1.2公里" equals "1200米". Each count unit
(人, 个, 台 …) is a dimension of its own: "3人" and "3台" do not compare. Spellings that tables
use for a unit ("百分比", "%(百分比)") are aliases. :mod:`selfeval_lib.core.quantity` reads values
with these tables (:func:`unit_reading` reads a unit as written against them); changing a unit
is a change here, not in the parser.
"""

from __future__ import annotations

from functools import lru_cache

#: Currency units → factor to 元.
CURRENCY: dict[str, int] = {"元": 1, "千元": 1_000, "万元": 10_000, "百万元": 1_000_000, "亿元": 100_000_000}

#: Measured units → (dimension, factor to the dimension's base unit).
MEASURES: dict[str, tuple[str, float]] = {
    # percent (base %)
    "%": ("percent", 1.0), "％": ("percent", 1.0), "‰": ("percent", 0.1), "百分比": ("percent", 1.0),
    # length (base 米)
    "毫米": ("length", 0.001), "mm": ("length", 0.001), "厘米": ("length", 0.01), "cm": ("length", 0.01),
    "米": ("length", 1.0), "m": ("length", 1.0), "延米": ("length", 1.0), "千米": ("length", 1000.0),
    "公里": ("length", 1000.0), "km": ("length", 1000.0),
    # area (base 平方米)
    "平方米": ("area", 1.0), "㎡": ("area", 1.0), "m²": ("area", 1.0), "m2": ("area", 1.0),
    "亩": ("area", 666.6667), "公顷": ("area", 10_000.0), "平方公里": ("area", 1_000_000.0),
    "平方千米": ("area", 1_000_000.0), "km²": ("area", 1_000_000.0),
    # mass (base 千克)
    "克": ("mass", 0.001), "g": ("mass", 0.001), "千克": ("mass", 1.0),
    "公斤": ("mass", 1.0), "kg": ("mass", 1.0), "吨": ("mass", 1000.0),
    # volume (base 立方米)
    "立方米": ("volume", 1.0), "m³": ("volume", 1.0), "m3": ("volume", 1.0), "方": ("volume", 1.0),
    "立方": ("volume", 1.0), "升": ("volume", 0.001), "L": ("volume", 0.001),
    # duration (base 天)
    "分钟": ("duration", 1 / 1440), "小时": ("duration", 1 / 24), "天": ("duration", 1.0),
    "日": ("duration", 1.0), "个工作日": ("duration", 1.0), "工作日": ("duration", 1.0),
    "周": ("duration", 7.0), "个月": ("duration", 30.0), "月": ("duration", 30.0), "年": ("duration", 365.0),
    # a multiple of something ("提高1.5倍")
    "倍": ("multiple", 1.0),
    # a difference of two percentages ("提高8个百分点"): a unit of its own, never read as %
    "个百分点": ("points", 1.0), "百分点": ("points", 1.0),
    # data volumes (base GB, binary multiples as storage is sold)
    "KB": ("data", 1 / 1024 ** 2), "MB": ("data", 1 / 1024), "GB": ("data", 1.0),
    "TB": ("data", 1024.0), "PB": ("data", 1024.0 ** 2),
}

#: Count units: each is its own dimension ("3部" and "3人" do not compare).
COUNT_UNITS: tuple[str, ...] = (
    "人次", "人", "部", "个", "次", "件", "台", "套", "户", "项", "家", "所", "场", "篇", "份",
    "条", "批", "辆", "座", "处", "名", "本", "册", "张", "期", "棵", "株", "只", "头", "间",
    "栋", "块", "类", "组", "支", "队", "村", "镇", "网", "路", "个点", "点", "处次", "单", "分", "起",
    "例", "宗", "台次", "户次", "场次", "批次", "课时", "学时", "门", "孔", "口", "颗", "辆次", "架次",
    "人日", "人·次", "艘", "羽", "尾", "匹", "箱", "袋", "盏", "根", "把", "盒", "幅", "面", "首", "集",
)

#: Magnitude prefixes written before a count or measure unit ("1.2万人").
MAGNITUDE: dict[str, int] = {"千": 1_000, "万": 10_000, "亿": 100_000_000}

#: Spelled-out units as split cells join them (">= 90 %(百分比)") → the unit they name.
UNIT_ALIASES: dict[str, str] = {"%(百分比)": "%", "%（百分比）": "%", "百分比(%)": "%", "百分比（%）": "%",
                                "(%)": "%", "（%）": "%", "百分率": "%"}

#: Words before a number that make it approximate and are read as the number itself ("约3部",
#: "近2000人"; docs/rules.md §4). 余/多 after the number mean at least (the parser's rule).
ABOUT_WORDS: tuple[str, ...] = ("约", "大约", "约为", "近", "将近", "接近")

#: Words that only introduce the figure and are dropped ("完成3部", "达到95%", "累计1.2万人").
LEAD_WORDS: tuple[str, ...] = ("完成", "达到", "达", "实现", "共", "共计", "累计", "合计", "总计", "已完成")

#: Signs between the bounds of a range ("3-5次", "3～5次", "3至5次", "3到5次", "3—5次").
RANGE_SEPARATORS: tuple[str, ...] = ("-", "~", "～", "〜", "至", "到", "—", "–")

#: Words after a figure that say what it measures and leave its value as is ("100%覆盖").
TRAILING_WORDS: tuple[str, ...] = ("全覆盖", "覆盖", "完成", "达标", "合格", "到位")

#: The word that puts the "per" unit before the number: "每亩500元" is "500元/亩".
PER_PREFIX = "每"

#: Dimensions and their names in Chinese (for the readings a review lists).
DIMENSION_ZH: dict[str, str] = {
    "currency": "金额", "percent": "百分比", "length": "长度", "area": "面积", "mass": "质量",
    "volume": "体积", "duration": "时长", "multiple": "倍数", "number": "无单位数值",
    "points": "百分点", "data": "数据量",
}


def all_units() -> tuple[str, ...]:
    """Every unit name the tables know, longest first (for the parser's alternation)."""
    return tuple(sorted({*CURRENCY, *MEASURES, *COUNT_UNITS}, key=len, reverse=True))


def unit_dimension(unit: str) -> tuple[str, float]:
    """(dimension, factor to base unit) of a unit; "" is dimensionless."""
    if unit == "":
        return ("number", 1.0)
    if unit in CURRENCY:
        return ("currency", float(CURRENCY[unit]))
    if unit in MEASURES:
        return MEASURES[unit]
    return (f"count:{unit}", 1.0)


@lru_cache(maxsize=4096)
def unit_reading(unit: str) -> tuple[str, float] | str:
    """(dimension, factor to the base unit) of a unit as written, possibly prefixed by 千/万/亿
    ("万人", "万") or per something ("元/人", "次/年": a rate, comparable only with the same
    "per"); for a unit that cannot be read, the part of it that is no unit. Read once per unit."""
    if "/" in unit:
        head, per = unit.split("/", 1)
        reading = unit_reading(head)
        if isinstance(reading, str):
            return reading
        dimension, factor = reading
        per_reading = unit_reading(per)
        if isinstance(per_reading, str):
            return f"{dimension}/{per}", factor
        per_dimension, per_factor = per_reading
        if per_dimension in ("duration", "number"):  # "次/年", "次/月": kept as written
            return f"{dimension}/{per}", factor
        return f"{dimension}/{per_dimension}", factor / per_factor
    if unit in CURRENCY or unit in MEASURES or unit in COUNT_UNITS or unit == "":
        return unit_dimension(unit)
    prefix, rest = unit[0], unit[1:]
    if prefix in MAGNITUDE:
        dimension, factor = unit_dimension(rest)
        return dimension, factor * MAGNITUDE[prefix]
    return unit
