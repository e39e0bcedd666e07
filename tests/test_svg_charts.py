"""The press report's server-side SVG charts: bars and points where the values say, labels escaped,
right-to-left order for Persian, no division by zero."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from peyvand.insights import svg

NS = "{http://www.w3.org/2000/svg}"


def _bars(markup: str) -> list[tuple[float, float, str]]:
    root = ET.fromstring(markup)  # noqa: S314 — markup we just generated
    return [
        (float(rect.get("x")), float(rect.get("height")), rect.get("data-value"))
        for rect in root.iter(f"{NS}rect")
    ]


def test_bar_heights_are_proportional_to_the_values() -> None:
    bars = _bars(svg.bar_chart(["a", "b", "c"], [10, 20, 40]))
    heights = [height for _x, height, _value in bars]
    assert heights[1] == 2 * heights[0]
    assert heights[2] == 4 * heights[0]


def test_right_to_left_charts_put_the_first_category_on_the_right() -> None:
    ltr = [x for x, _h, _v in _bars(svg.bar_chart(["a", "b"], [1, 2]))]
    rtl = [x for x, _h, _v in _bars(svg.bar_chart(["a", "b"], [1, 2], rtl=True))]
    assert ltr[0] < ltr[1]
    assert rtl[0] > rtl[1]


def test_a_missing_value_leaves_its_slot_empty_and_zeros_draw_flat() -> None:
    bars = _bars(svg.bar_chart(["a", "b", "c"], [0, None, 0]))
    assert [value for _x, _h, value in bars] == ["0", "0"]
    assert all(height == 0 for _x, height, _v in bars)
    line = svg.line_chart(["a", "b", "c"], [svg.Series("s", [5, None, 7])])
    assert line.count("<polyline") == 2  # the gap splits the line


def test_values_are_written_as_given_and_titles_escaped() -> None:
    markup = svg.bar_chart(["x"], [1234], title="<script>alert(1)</script>", value_format=lambda v: "۱٬۲۳۴")
    ET.fromstring(markup)  # noqa: S314 — well-formed (markup we just generated)
    assert "<script>" not in markup
    assert "۱٬۲۳۴" in markup


def test_lines_need_not_start_at_zero_so_that_change_shows() -> None:
    markup = svg.line_chart(["a", "b"], [svg.Series("s", [700, 740])], height=210)
    ys = [float(y) for y in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', markup)]
    assert ys[0] - ys[1] > 20  # a 6% rise is visible, not a flat line near the top
