"""A product description as the suggester reads it: the title, the category path and the attributes.

Marketplace items arrive in many shapes — "title | Category: A > B > C", the path on its own line, the
path in an attribute, attributes as an object, a list of name/value pairs or a string. ``read_product``
turns any of them into weighted text segments:

* ``title`` — what the seller wrote (weight 1);
* ``category`` — one segment per path level, the leaf counting most ("Cookware" says more than
  "Home & Garden");
* ``material`` — the values of material-like attributes (Material, Upper Material, جنس);
* ``attribute`` — other informative attribute values (Type, Power Source), weaker.

Brand names, model numbers, origin and certification attributes are left out: they name the seller,
not the goods.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from peyvand.matching.text import normalize

SegmentKind = Literal["title", "category", "material", "attribute"]

# Weights of the category levels, leaf first; deeper ancestors keep the last value.
CATEGORY_WEIGHTS = (1.0, 0.65, 0.35)
ATTRIBUTE_WEIGHT = 0.5
MAX_TEXT = 2000  # characters of a title read; the rest is marketing

_CATEGORY_KEYS = {
    "category",
    "category path",
    "categories",
    "category_path",
    "product category",
    "دسته",
    "دسته‌بندی",
}
_MATERIAL_WORDS = ("material", "fabric", "metal", "جنس", "filling", "lining", "شیشه")
# Attributes that describe the seller, the size or the look, never what the goods are; a key is left out
# when one of its words is here ("Sleeve Length(cm): Short" must not read as shorts).
_NOISE_KEY_WORDS = frozenset(
    [
        "brand",
        "model",
        "origin",
        "place",
        "certification",
        "sku",
        "barcode",
        "ean",
        "upc",
        "size",
        "length",
        "width",
        "height",
        "depth",
        "weight",
        "color",
        "colour",
        "sleeve",
        "collar",
        "neckline",
        "neck",
        "pattern",
        "style",
        "closure",
        "season",
        "decoration",
        "occasion",
        "fit",
        "waist",
        "age",
        "quantity",
        "package",
        "packing",
        "voltage",
        "wattage",
        "capacity",
        "density",
        "speed",
        "standard",
        "finish",
        "compatible",
        "compatibility",
        "release",
        "warranty",
        "choice",
        "customized",
        "chemical",
        "plug",
        "hooded",
        "battery",
        "base",
        "is",
        "number",
        "برند",
        "مدل",
        "رنگ",
        "سایز",
        "اندازه",
        "وزن",
        "کشور",
    ]
)
# Attributes that name the goods themselves ("Item Type: Earrings").
_PRODUCT_KEYS = frozenset(
    {"item type", "product type", "type", "product name", "item name", "نوع", "نوع کالا"}
)
PRODUCT_KEY_WEIGHT = 0.9
_PATH_SPLIT = re.compile(r"\s*(?:>|›|»|→|/)\s*")
_CATEGORY_LABEL = re.compile(
    r"^\s*(?:category|categories|category path|دسته(?:\u200cبندی)?)\s*[:：]\s*", re.I
)
_PIECE_SPLIT = re.compile(r"\s*(?:\n|\||\t)\s*")


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of the product's text with its role and weight."""

    text: str
    kind: SegmentKind
    weight: float


@dataclass(frozen=True, slots=True)
class Product:
    """The segments of one product description, and the category path as read."""

    segments: tuple[Segment, ...]
    category_path: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return " ".join(segment.text for segment in self.segments if segment.kind == "title")

    def text_of(self, *kinds: SegmentKind) -> str:
        """The segments of the given kinds joined (for the lexical query)."""
        return " . ".join(segment.text for segment in self.segments if segment.kind in kinds)

    @property
    def is_empty(self) -> bool:
        return not any(segment.text.strip() for segment in self.segments)


def read_product(text: Any, attributes: Any = None) -> Product:
    """Segments of a product description (any of the shapes in the module docstring)."""
    segments: list[Segment] = []
    path: list[str] = []
    title_parts: list[str] = []
    for piece in _PIECE_SPLIT.split(normalize(_as_text(text))[:MAX_TEXT]):
        if not piece:
            continue
        labelled = bool(_CATEGORY_LABEL.match(piece))
        piece = _CATEGORY_LABEL.sub("", piece)
        if labelled or ((">" in piece or "›" in piece) and not path):
            path = [level for level in _PATH_SPLIT.split(piece) if level.strip()]
        else:
            title_parts.append(piece)
    for key, value in _attribute_pairs(attributes):
        lowered = key.lower()
        if lowered in _CATEGORY_KEYS:
            if not path:
                path = [level for level in _PATH_SPLIT.split(value) if level.strip()]
        elif any(word in lowered for word in _MATERIAL_WORDS):
            segments.append(Segment(value, "material", 1.0))
        elif lowered in _PRODUCT_KEYS:
            segments.append(Segment(value, "attribute", PRODUCT_KEY_WEIGHT))
        elif not set(re.findall(r"[^\W\d_]+", lowered)) & _NOISE_KEY_WORDS and not _is_code_like(value):
            segments.append(Segment(value, "attribute", ATTRIBUTE_WEIGHT))
    if title_parts:
        segments.insert(0, Segment(" | ".join(title_parts), "title", 1.0))
    for depth, level in enumerate(reversed(path)):
        weight = CATEGORY_WEIGHTS[min(depth, len(CATEGORY_WEIGHTS) - 1)]
        segments.append(Segment(level.strip(), "category", weight))
    return Product(tuple(segments), tuple(level.strip() for level in path))


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return " | ".join(_as_text(item) for item in value)
    return str(value)


def _attribute_pairs(attributes: Any) -> list[tuple[str, str]]:
    """(name, value) pairs from an object, a list of pairs or {name, value} objects, or a string."""
    pairs: list[tuple[str, str]] = []
    if attributes is None:
        return pairs
    if isinstance(attributes, Mapping):
        items = list(attributes.items())
    elif isinstance(attributes, list | tuple):
        items = []
        for item in attributes:
            if isinstance(item, Mapping):
                name = item.get("name", item.get("key", item.get("attr_name", "")))
                value = item.get("value", item.get("attr_value", ""))
                items.append((name, value))
            elif isinstance(item, list | tuple) and len(item) == 2:
                items.append((item[0], item[1]))
            elif isinstance(item, str):
                items.append(("", item))
    elif isinstance(attributes, str):
        items = [
            tuple(part.split(":", 1)) if ":" in part else ("", part)
            for part in re.split(r"[;\n]", attributes)
            if part.strip()
        ]
    else:
        items = [("", str(attributes))]
    for name, value in items:
        key = normalize(_as_text(name)).strip()
        text = normalize(_as_text(value)).strip()[:300]
        if text:
            pairs.append((key, text))
    return pairs


def _is_code_like(value: str) -> bool:
    """A model number or SKU ("XR-2209B", "04465-33450"): letters and digits with no word in it."""
    return bool(re.fullmatch(r"[\w.\-/]*\d[\w.\-/]*", value)) and not re.search(r"[A-Za-z]{4,}", value)
