"""Small server-side SVG charts (bars, lines) for the press report: WeasyPrint runs no JavaScript.

Plain strings with every text escaped; values formatted by the caller (Persian digits in Persian);
``rtl`` lays the categories out from right to left, as a Persian reader reads time. The SVG holds
shapes and numbers only: WeasyPrint's SVG text neither shapes nor orders Persian words, so the
category labels and the legend are HTML around the chart (``axis_labels`` gives their slots).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

GREEN = "#0f6e63"
GREY = "#9aa3ab"
FONT = "Vazirmatn"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | int | None]
    color: str = GREEN
    dashed: bool = False


@dataclass(frozen=True)
class Frame:
    """The plotting area inside the SVG and the value scale."""

    width: int
    height: int
    top: float
    bottom: float
    left: float
    right: float
    maximum: float
    minimum: float = 0.0

    def x(self, index: int, count: int, rtl: bool) -> float:
        """The centre of category ``index`` of ``count``."""
        step = (self.right - self.left) / max(count, 1)
        position = count - 1 - index if rtl else index
        return self.left + step * (position + 0.5)

    def y(self, value: float) -> float:
        span = self.maximum - self.minimum
        return self.bottom - (self.bottom - self.top) * ((value - self.minimum) / span if span else 0)


def _nice_maximum(values: Sequence[float | int | None]) -> float:
    top = max((float(value) for value in values if value is not None), default=0.0)
    if top <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(top))) - 1)
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if top <= step * magnitude:
            return step * magnitude
    return top


def _nice_minimum(values: Sequence[float | int | None], maximum: float) -> float:
    """A floor under the lowest value (lines need not start at zero; a flat line tells nothing)."""
    low = min((float(value) for value in values if value is not None), default=0.0)
    if low <= 0:
        return 0.0
    step = _nice_maximum([maximum - low]) / 4 or 1
    return max(0.0, (low // step) * step - step)


def _frame(width: int, height: int, values: Sequence[float | int | None], from_zero: bool = True) -> Frame:
    maximum = _nice_maximum(values)
    return Frame(
        width=width,
        height=height,
        top=14,
        bottom=height - 4,
        left=12,
        right=width - 12,
        maximum=maximum,
        minimum=0.0 if from_zero else _nice_minimum(values, maximum),
    )


def _number(x: float, y: float, text: str, size: int = 9) -> str:
    """A value written on the chart (digits only: see the module docstring)."""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" font-family="{FONT}" text-anchor="middle" '
        f'fill="#333">{escape(text)}</text>'
    )


def _open(width: int, height: int, title: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]


def _axis(frame: Frame) -> str:
    return (
        f'<line x1="{frame.left}" y1="{frame.bottom}" x2="{frame.right}" y2="{frame.bottom}" '
        'stroke="#adb5bd" stroke-width="1"/>'
    )


def margins(width: int = 640) -> float:
    """The share (per cent) of the chart's width left empty on each side of the categories: where the
    HTML row of labels under the chart starts and ends."""
    return round(100 * 12 / width, 3)


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float | int | None],
    *,
    title: str = "",
    width: int = 640,
    height: int = 200,
    rtl: bool = False,
    color: str = GREEN,
    value_format: Callable[[float | int], str] = str,
) -> str:
    """One bar per label, its value written above it; a missing value leaves the slot empty."""
    frame = _frame(width, height, values)
    step = (frame.right - frame.left) / max(len(labels), 1)
    bar = min(step * 0.6, 48)
    parts = _open(width, height, title)
    for index, value in enumerate(values):
        if value is None:
            continue
        x, y = frame.x(index, len(labels), rtl), frame.y(float(value))
        parts.append(
            f'<rect x="{x - bar / 2:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{frame.bottom - y:.1f}" '
            f'rx="2" fill="{color}" data-value="{value}"/>'
        )
        parts.append(_number(x, y - 3, value_format(value), size=10))
    parts.append(_axis(frame))
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str = "",
    width: int = 640,
    height: int = 210,
    rtl: bool = False,
    value_format: Callable[[float | int], str] = str,
) -> str:
    """One polyline per series over the labels (gaps where a value is missing), the last value written."""
    frame = _frame(width, height, [value for each in series for value in each.values], from_zero=False)
    parts = _open(width, height, title)
    for each in series:
        segment: list[str] = []
        segments: list[list[str]] = []
        for index, value in enumerate(each.values):
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            x, y = frame.x(index, len(labels), rtl), frame.y(float(value))
            segment.append(f"{x:.1f},{y:.1f}")
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.2" fill="{each.color}" data-value="{value}"/>'
            )
        if segment:
            segments.append(segment)
        dash = ' stroke-dasharray="4 3"' if each.dashed else ""
        for points in segments:
            parts.append(
                f'<polyline points="{" ".join(points)}" fill="none" stroke="{each.color}" stroke-width="1.6"{dash}/>'
            )
        last = next((value for value in reversed(each.values) if value is not None), None)
        if last is not None and not each.dashed:
            index = max(i for i, value in enumerate(each.values) if value is not None)
            parts.append(
                _number(
                    frame.x(index, len(labels), rtl), frame.y(float(last)) - 5, value_format(last), size=10
                )
            )
    parts.append(_axis(frame))
    parts.append("</svg>")
    return "".join(parts)
