"""Persian/English text normalisation and analysis — the one place the project folds letters, digits and spaces.

The rest of the project imports from here (search keys, sort keys, the matching analyser), so the
matching engine stays a library that imports nothing from Django.

* ``normalize(text)`` — canonical display-safe form: Arabic ي/ك → ی/ک, ۀ/هٔ → ه, Arabic presentation forms
  unfolded, diacritics and tatweel removed, Persian and Arabic-Indic digits → ASCII, ZWNJ variants unified,
  whitespace collapsed. Idempotent.
* ``fold(text)`` — a search key: ``normalize`` + lower case + every space and ZWNJ removed, so that
  «ريخته گري», «ریخته‌گری» and «ریختهگری» share one key.
* ``search_terms(query)`` — the folded terms of a query (each must occur in the folded document).
* ``sort_key(text)`` — orders Persian names in Persian alphabetical order (پ after ب, چ after ج,
  ژ after ز, گ after ک) with plain ASCII characters, so SQLite and PostgreSQL sort it alike.

The analyser (used by the matching index, the capability tagger and anyone who needs index terms):

* ``analyse(text)`` — the index terms of a text. Steps: ``normalize``; hazm 0.12.1's WordTokenizer (one
  shared instance), its token-spacing rule over neighbouring tokens («قطعه ها» → «قطعه‌ها», «ریخته گری» →
  «ریخته‌گری») and a lexicon look-up for compounds typed joined («ریختهگری»); per word (cached): hazm's
  Normalizer (Unicode replacements), «می» separation, the Lemmatizer (never the Stemmer) with the «ات»
  plural rule (قطعات → قطعه, تجهیزات → تجهیز); English words lower-cased and Snowball-stemmed, British
  spellings folded to American (moulds → mold); half-space words indexed whole and by their parts;
  stopwords of both languages removed. «ریخته‌گری», «ریخته گری», «ریختهگری» and «ريخته‌گري» give the
  same terms.
* ``tokens(text)`` / ``pieces(text)`` — the words of a text with offsets, lemma, parts, terms and the
  flags the tagger needs (negated verb, verb); ``pieces`` is the light tuple form for hot loops.
* ``detect_language(text)`` — ``"fa"`` or ``"en"`` by the share of Persian letters.

The hazm objects are built once per process, lazily (about 2 s, ``warm_up()``), and every distinct
word's analysis is cached, so a corpus costs little more than tokenising it.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

ZWNJ = "\u200c"

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_LETTERS = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ك": "ک",
        "ۀ": "ه",
        "ة": "ه",
        "ٱ": "ا",
        "أ": "ا",
        "إ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ؤ": "و",
        "ـ": None,  # tatweel
        "\u200d": None,  # ZWJ
        "\u200e": None,  # LRM
        "\u200f": None,  # RLM
        "\u202a": None,
        "\u202b": None,
        "\u202c": None,
        "\u202d": None,
        "\u202e": None,
        "\u2066": None,
        "\u2067": None,
        "\u2068": None,
        "\u2069": None,
        "\u00ad": None,  # soft hyphen
        "\ufeff": None,  # BOM
        "٬": ",",  # Arabic thousands separator
        "٫": ".",  # Arabic decimal separator
    }
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_ZWNJ_RUN = re.compile(r"\s*\u200c[\s\u200c]*")
# Arabic presentation forms (ligatures, isolated/final shapes) typed from old keyboards and PDFs.
_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]+")


def to_ascii_digits(text: str) -> str:
    """Persian (۰-۹) and Arabic-Indic (٠-٩) digits to ASCII."""
    return text.translate(_DIGITS)


def _unfold_presentation(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", match.group())


def _build_char_map() -> dict[str, str]:
    table = {chr(key): value or "" for key, value in _LETTERS.items()}
    table.update({chr(key): chr(value) for key, value in _DIGITS.items()})
    return table


_CHAR_MAP = _build_char_map()
_CHANGED = re.compile("[" + re.escape("".join(_CHAR_MAP)) + "\u064b-\u065f\u0670\u06d6-\u06ed]")
_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")


def _replace_chars(text: str) -> str:
    # str.replace per character present is far faster than str.translate on long Persian texts.
    for char, replacement in _CHAR_MAP.items():
        if char in text:
            text = text.replace(char, replacement)
    return _DIACRITICS.sub("", text)


def normalize(text: str | None) -> str:
    """Canonical form of Persian/English text (letters, digits, diacritics, spaces); idempotent."""
    if not text:
        return ""
    text = str(text)
    if _PRESENTATION.search(text):
        text = _PRESENTATION.sub(_unfold_presentation, text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "\u0654" in text:
        text = text.replace("هٔ", "ه").replace("ه\u0654", "ه")
    if _CHANGED.search(text):
        text = _replace_chars(text)
        # Removing marks can let two characters compose that could not before; settle the form again.
        if not unicodedata.is_normalized("NFC", text):
            text = _replace_chars(unicodedata.normalize("NFC", text))
    if ZWNJ in text:
        text = _ZWNJ_RUN.sub(ZWNJ, text)
    text = _SPACES.sub(" ", text)
    return text.strip(" " + ZWNJ)


_FOLD_EXTRA = str.maketrans({"ئ": "ی", "آ": "ا", ZWNJ: None, " ": None, "-": None, "_": None})


def fold(text: str | None) -> str:
    """A search key: normalised, lower-cased, without spaces, ZWNJ, hyphens or hamza variants."""
    return normalize(text).lower().translate(_FOLD_EXTRA)


def search_terms(query: str | None) -> list[str]:
    """Folded terms of a free-text query; a document matches when it contains every term."""
    terms = [fold(part) for part in re.split(r"[\s\u200c,،;؛]+", normalize(query))]
    return [term for term in terms if term]


# Persian alphabet in dictionary order. Each letter gets a two-character ASCII code so the key sorts
# the same under any database collation.
_PERSIAN_ORDER = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"


@lru_cache(maxsize=1)
def _sort_table() -> dict[str, str]:
    table: dict[str, str] = {" ": "00"}
    for index, char in enumerate("0123456789"):
        table[char] = f"0{index + 1:d}" if index < 9 else "0a"
    alphabet = _PERSIAN_ORDER + "abcdefghijklmnopqrstuvwxyz"
    for index, char in enumerate(alphabet):
        table[char] = _base36_pair(index + 20)
    table["ئ"] = table["ی"]
    table["ء"] = table["ا"]
    return table


def _base36_pair(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    return digits[number // 36] + digits[number % 36]


def sort_key(text: str | None) -> str:
    """ASCII key that orders Persian (then Latin) names alphabetically, ignoring ZWNJ and punctuation."""
    table = _sort_table()
    normal = normalize(text).lower().replace(ZWNJ, " ")
    parts = [table[char] for char in normal if char in table]
    return "".join(parts)[:200]


# --------------------------------------------------------------------------------------------------
# Analyser
# --------------------------------------------------------------------------------------------------

TokenKind = Literal["fa", "en", "num", "punct"]

_PERSIAN_LETTER = re.compile("[\u0600-\u06ff]")
_LATIN_LETTER = re.compile("[A-Za-z]")
_WORD_PIECE = re.compile(r"[^\W_]+(?:[\u200c][^\W_]+)*|[^\w\s]|_", re.UNICODE)
_LATIN_SPLIT = re.compile(r"[a-z]+|[0-9]+(?:\.[0-9]+)?")
_FOLD_KEY = str.maketrans({"ئ": "ی", "آ": "ا", "ء": None})

# Words that end a clause for the tagger: negation and purpose scopes stop here.
CLAUSE_BREAKS = frozenset(".,;:!?()[]{}«»\"'،؛؟…•–—/|")

STOPWORDS_EN = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each either etc few for from
    further had has have having he her here hers him his how i if in into is it its itself just let me
    more most my no nor not now of off on once only or other our ours out over own per same she should
    so some such than that the their theirs them then there these they this those through to too under
    until up upon us very via was we were what when where which while who whom why will with within
    without would you your yours
    """.split()  # noqa: SIM905
)
# hazm's list plus particles that hazm keeps as separate tokens.
_EXTRA_STOPWORDS_FA = frozenset(
    [
        "ها",
        "های",
        "هایی",
        "ای",
        "ی",
        "تر",
        "ترین",
        "می",
        "نمی",
        "همراه",
        "هستیم",
        "هست",
        "بوده",
        "شده",
        "شود",
        "کنیم",
        "کنند",
        "دهیم",
        "داریم",
        "دارند",
        "نیز",
    ]
)
# Plural and ezafe endings written after a half-space; dropped when hazm did not lemmatise the word.
_INFLECTIONS = frozenset({"ها", "های", "هایی", "ای", "ی"})
# Suffix-like parts that say nothing once split from their word (they stay inside the joined term).
_BARE_SUFFIXES = frozenset(
    ["ها", "های", "هایی", "ای", "ی", "گر", "گری", "تر", "ترین", "ات", "ان", "مان", "تان", "شان"]
)

# British spellings and a few irregular forms folded before stemming, so both spellings meet.
_EN_SPELLING = {
    "aluminium": "aluminum",
    "mould": "mold",
    "moulds": "molds",
    "moulded": "molded",
    "moulding": "molding",
    "mouldings": "moldings",
    "colour": "color",
    "colours": "colors",
    "coloured": "colored",
    "fibre": "fiber",
    "fibres": "fibers",
    "litre": "liter",
    "litres": "liters",
    "metre": "meter",
    "metres": "meters",
    "centre": "center",
    "centres": "centers",
    "tyre": "tire",
    "tyres": "tires",
    "grey": "gray",
    "sulphur": "sulfur",
    "sulphate": "sulfate",
    "jewellery": "jewelry",
    "programme": "program",
    "storey": "story",
    "kerb": "curb",
    "kerbs": "curbs",
    "cheque": "check",
    "draught": "draft",
    "plough": "plow",
    "ploughs": "plows",
    "analyse": "analyze",
    "catalogue": "catalog",
    "catalogues": "catalogs",
    "yoghurt": "yogurt",
    "yoghurts": "yogurts",
    "licence": "license",
    "defence": "defense",
    "gauge": "gage",
    "gauges": "gages",
}
# Words whose Snowball stem collides with a common word of another meaning (machining/machine,
# fabrication/fabric, plating/plate, ups/up, generator/generate, transformer/transform).
_EN_STEMS = {
    "machining": "machining",
    "machined": "machining",
    "machinist": "machining",
    "machinists": "machining",
    "fabrication": "fabrication",
    "fabricated": "fabrication",
    "fabricator": "fabrication",
    "fabricators": "fabrication",
    "plating": "plating",
    "plated": "plating",
    "ups": "ups",
    "generator": "generator",
    "generators": "generator",
    "transformer": "transformer",
    "transformers": "transformer",
    "uniforms": "uniforms",
    "molding": "molding",
    "moldings": "molding",
    "molded": "molding",
}
_BRITISH_ISE = re.compile(r"(?<=[a-z]{3})is(e|es|ed|ing|er|ers|ation|ations)$")


@dataclass(frozen=True, slots=True)
class Token:
    """One word (or punctuation mark) of a normalised text.

    ``surface`` is the word as written in ``normalize(text)``, between ``start`` and ``end``. ``lemma``
    is the Persian lemma (verbs as ``past#present``) or the English stem. ``parts`` are the folded pieces of the lemma split at half-spaces and hyphens (one piece for a simple
    word); ``terms`` are the index terms it contributes (parts and the joined word, no stopwords).
    """

    surface: str
    lemma: str
    parts: tuple[str, ...]
    terms: tuple[str, ...]
    kind: TokenKind
    start: int
    end: int
    is_verb: bool = False
    is_negative: bool = False


@dataclass(frozen=True, slots=True)
class WordInfo:
    """What the analyser knows about one written word (cached per distinct word); see ``Token``."""

    lemma: str
    parts: tuple[str, ...]
    terms: tuple[str, ...]
    kind: TokenKind
    is_verb: bool
    is_negative: bool
    match_key: str | None = None  # what the capability tagger compares (None: not a matchable word)
    match_alt: str | None = None  # the same without an adjectival «ی» (فولادی → فولاد)


class _Hazm:
    """The process-wide hazm objects (built once, lazily) and the word lists derived from them."""

    def __init__(self) -> None:
        from hazm import Lemmatizer, Normalizer, WordTokenizer, stopwords_list
        from hazm.constants import SUFFIXES
        from nltk.stem.snowball import EnglishStemmer

        self.tokenizer = WordTokenizer(join_verb_parts=False)
        self.lemmatizer = Lemmatizer()
        # Light configuration, applied word by word (cached): our ``normalize`` already did letters,
        # digits and spaces; hazm adds its Unicode replacements. Its token-spacing rule is applied to
        # neighbouring tokens in ``_push`` and its «می» separation in ``separate_mi`` — both with the
        # shared lexicon, since hazm's own would build a second Lemmatizer (+1 s, +100 MB).
        self.normalizer = Normalizer(
            correct_spacing=False,
            remove_diacritics=False,
            remove_specials_chars=False,
            decrease_repeated_chars=False,
            persian_style=False,
            persian_numbers=False,
            unicodes_replacement=True,
            seperate_mi=False,
        )
        self.words: dict[str, Any] = self.tokenizer.words
        self.lexicon: set[str] = set(self.lemmatizer.words)
        self.verbs: set[str] = set(self.lemmatizer.verbs)
        self.suffixes: frozenset[str] = frozenset(SUFFIXES)
        self.stopwords_fa: frozenset[str] = frozenset(stopwords_list()) | _EXTRA_STOPWORDS_FA
        self.stemmer = EnglishStemmer()
        # Half-space compounds of the lexicon, keyed by their form without the half-space, so that a
        # word typed joined («ریختهگری») is read as the compound («ریخته‌گری»).
        self.compounds: dict[str, str] = {}
        for word in self.words:
            if ZWNJ in word:
                joined = word.replace(ZWNJ, "")
                if joined not in self.words:
                    self.compounds.setdefault(joined, word)

    def separate_mi(self, word: str) -> str:
        """hazm's «می» separation for one word: «میشود» → «می‌شود» when that is a known verb form."""
        for prefix in ("نمی", "می"):
            if word.startswith(prefix) and len(word) > len(prefix) and word[len(prefix)] != ZWNJ:
                candidate = prefix + ZWNJ + word[len(prefix) :]
                if candidate in self.verbs:
                    return candidate
        return word

    def joins(self, previous: str, token: str) -> bool:
        """hazm Normalizer's token-spacing rule, widened to every compound of its lexicon: glue «قطعه» +
        «ها», «ریخته» + «گری», «بسته» + «بندی», «می» + «شود»."""
        pair = previous + ZWNJ + token
        if pair in self.verbs or pair in self.words:
            return True
        return token in self.suffixes and previous in self.words


@lru_cache(maxsize=1)
def _hazm() -> _Hazm:
    return _Hazm()


def warm_up() -> None:
    """Build the hazm objects now (about 2 s) instead of on the first analysed text."""
    _hazm()


def stopwords_fa() -> frozenset[str]:
    """Persian stopwords (hazm's list plus detached suffixes)."""
    return _hazm().stopwords_fa


@lru_cache(maxsize=200_000)
def lemmatize(word: str) -> str:
    """hazm lemma of a normalised Persian word, with the «ات» plural rule (قطعات → قطعه, تجهیزات → تجهیز)."""
    hazm = _hazm()
    lemma = hazm.lemmatizer.lemmatize(word)
    if lemma == word and word.endswith("ات") and len(word) > 3:
        stem = word[:-2]
        for candidate in (stem + "ه", stem):
            if candidate in hazm.lexicon:
                return candidate
    return lemma


@lru_cache(maxsize=100_000)
def stem_english(word: str) -> str:
    """Snowball stem of a lower-case English word, British spellings folded first (moulds → mold)."""
    word = _EN_SPELLING.get(word, word)
    if word in _EN_STEMS:
        return _EN_STEMS[word]
    if len(word) > 5:
        word = _BRITISH_ISE.sub(lambda m: "iz" + m.group(1), word)
    return _hazm().stemmer.stem(word)


def _is_negative_fa(word: str) -> bool:
    """A negated Persian verb or copula: نداریم، نمی‌کنیم، نشده، نیست، نکرده‌ایم."""
    if word in {"نیست", "نیستیم", "نیستند", "نه"} or word.startswith("نمی"):
        return True
    verbs = _hazm().verbs
    return word.startswith("ن") and word in verbs and word[1:] in verbs


_NEGATIVE_EN = frozenset(
    [
        "no",
        "not",
        "without",
        "never",
        "nor",
        "don't",
        "doesn't",
        "didn't",
        "cannot",
        "can't",
        "isn't",
        "aren't",
        "lack",
        "lacks",
    ]
)
_NEGATIVE_FA_WORDS = frozenset({"بدون", "فاقد", "غیر"})


@lru_cache(maxsize=300_000)
def _analyse_word(surface: str) -> WordInfo:
    """Lemma, parts, index terms and match keys of one normalised word; cached (the vocabulary is Zipfian)."""
    info = _analyse_word_uncached(surface)
    if info.kind == "punct" or not info.parts or info.lemma == "و":
        return info
    # A verb keeps its lemma as match key: its stem would glue onto neighbours («نداریم» + «و» → «دارو»).
    key = info.lemma if info.is_verb else "".join(info.parts)
    alt = key[:-1] if info.kind == "fa" and len(key) >= 4 and key.endswith("ی") else None
    return dataclasses.replace(info, match_key=key, match_alt=alt)


def _analyse_word_uncached(surface: str) -> WordInfo:
    if not surface or (len(surface) == 1 and not surface.isalnum()):
        return WordInfo(surface, (), (), "punct", False, False)
    lower = surface.lower()
    if _PERSIAN_LETTER.search(lower):
        return _analyse_persian(lower)
    if _LATIN_LETTER.search(lower):
        pieces = _LATIN_SPLIT.findall(lower)
        stems = tuple(stem_english(piece) if piece.isalpha() else piece for piece in pieces)
        content = [stem for piece, stem in zip(pieces, stems, strict=True) if piece not in STOPWORDS_EN]
        terms = list(dict.fromkeys(content))
        if len(stems) > 1:
            terms.append("".join(stems))
        negative = lower in _NEGATIVE_EN
        return WordInfo("".join(stems), stems, tuple(terms), "en", False, negative)
    if any(char.isdigit() for char in lower):
        number = lower.replace(",", "")
        return WordInfo(number, (number,), (number,) if len(number) > 1 else (), "num", False, False)
    return WordInfo(lower, (), (), "punct", False, False)


def _analyse_persian(word: str) -> WordInfo:
    hazm = _hazm()
    word = hazm.separate_mi(normalize(hazm.normalizer.normalize(word)).replace(" ", ZWNJ))
    if ZWNJ not in word and word not in hazm.words and word in hazm.compounds:
        word = hazm.compounds[word]
    negative = word in _NEGATIVE_FA_WORDS or _is_negative_fa(word)
    lemma = lemmatize(word)
    is_verb = "#" in lemma
    if is_verb:
        present = lemma.split("#")[-1] or lemma.split("#")[0]
        return WordInfo(lemma, (present.translate(_FOLD_KEY),), (), "fa", True, negative)
    parts = [part.translate(_FOLD_KEY) for part in lemma.split(ZWNJ) if part]
    while len(parts) > 1 and parts[-1] in _INFLECTIONS:  # «اورینگ‌های»: plural of a word hazm does not know
        parts.pop()
        lemma = ZWNJ.join(lemma.split(ZWNJ)[:-1])
    stop = hazm.stopwords_fa
    if word in stop or lemma in stop:
        return WordInfo(lemma, tuple(parts), (), "fa", False, negative)
    terms = [part for part in parts if len(part) > 1 and part not in stop and part not in _BARE_SUFFIXES]
    if len(parts) > 1:
        terms.append("".join(parts))
    return WordInfo(lemma, tuple(parts), tuple(dict.fromkeys(terms)), "fa", False, negative)


_SIMPLE_PIECE = re.compile(r"[^\W_]+(?:\u200c[^\W_]+)*|[^\w\s]", re.UNICODE)


# Latin letters spelt in Persian, as registries write acronyms: «ام دی اف» (MDF), «پی وی سی» (PVC),
# «ال ای دی» (LED). Two of them (ام, ای) are also suffixes hazm's spacing rule glues to the word before
# («تخته ام» → «تخته‌ام», "I am a board"), which hid the acronym: «تولید تخته ام دی اف» tagged nothing.
LETTER_NAMES = frozenset(
    [
        "ای",
        "بی",
        "سی",
        "دی",
        "اف",
        "جی",
        "اچ",
        "آی",
        "کی",
        "ال",
        "ام",
        "ان",
        "او",
        "پی",
        "کیو",
        "آر",
        "اس",
        "تی",
        "یو",
        "وی",
        "دبلیو",
        "ایکس",
        "وای",
        "زد",
        "زی",
    ]
)


def _pieces(text: str) -> list[tuple[str, int, int]]:
    """hazm's WordTokenizer tokens located in ``text``, re-cut at inner punctuation and re-glued where
    the writer wrote them together (PE100, M12) or hazm's spacing rule joins them («قطعه ها»), except a
    letter name that begins a spelt acronym («تخته ام دی اف»)."""
    hazm = _hazm()
    cut: list[tuple[str, int, int]] = []
    position = 0
    for token in hazm.tokenizer.tokenize(text):
        start = text.find(token, position)
        if start < 0:  # the tokenizer rewrote the token; our own cut of the rest follows below
            continue
        position = start + len(token)
        if token.isalnum() or _SIMPLE_PIECE.fullmatch(token):
            cut.append((token, start, position))
        else:
            cut.extend(
                (match.group(), start + match.start(), start + match.end())
                for match in _WORD_PIECE.finditer(token)
            )
    if position < len(text):
        cut.extend(
            (match.group(), match.start(), match.end()) for match in _WORD_PIECE.finditer(text, position)
        )
    located: list[tuple[str, int, int]] = []
    for number, (piece, start, end) in enumerate(cut):
        spelt = piece in LETTER_NAMES and number + 1 < len(cut) and cut[number + 1][0] in LETTER_NAMES
        _push(located, piece, start, end, hazm, glue_suffix=not spelt)
    return located


def _push(
    located: list[tuple[str, int, int]],
    piece: str,
    start: int,
    end: int,
    hazm: _Hazm,
    glue_suffix: bool = True,
) -> None:
    if located:
        previous, p_start, p_end = located[-1]
        first, last = piece[0], previous[-1]
        if p_end == start and first.isascii() and last.isascii() and first.isalnum() and last.isalnum():
            located[-1] = (previous + piece, p_start, end)
            return
        if (
            glue_suffix
            and start - p_end <= 1
            and "\u0600" <= first <= "\u06ff"
            and "\u0600" <= last <= "\u06ff"
            and hazm.joins(previous, piece)
        ):
            located[-1] = (previous + ZWNJ + piece, p_start, end)
            return
    located.append((piece, start, end))


Piece = tuple[str, int, int, WordInfo]


def pieces(text: str | None, normalized: bool = False) -> list[Piece]:
    """``tokens`` in a lighter form for hot loops: (surface, start, end, WordInfo) tuples.

    ``normalized=True`` skips ``normalize`` for a text that already went through it.
    """
    analyse_word = _analyse_word
    normal = (text or "") if normalized else normalize(text)
    return [(surface, start, end, analyse_word(surface)) for surface, start, end in _pieces(normal)]


def tokens(text: str | None) -> list[Token]:
    """The tokens of a text (words and punctuation) with lemmas, parts, index terms and offsets.

    Offsets refer to ``normalize(text)``; ``surface`` is that slice (a word the analyser glued, such as
    «ریخته گری», keeps its space there but is analysed as «ریخته‌گری»).
    """
    normal = normalize(text)
    return [
        Token(
            surface=normal[start:end],
            lemma=info.lemma,
            parts=info.parts,
            terms=info.terms,
            kind=info.kind,
            start=start,
            end=end,
            is_verb=info.is_verb,
            is_negative=info.is_negative,
        )
        for _, start, end, info in pieces(normal)
    ]


def analyse(text: str | None) -> list[str]:
    """Index terms of a text, in order: lemmas/stems, half-space parts and joined words, no stopwords."""
    terms: list[str] = []
    extend = terms.extend
    for surface, _start, _end in _pieces(normalize(text)):
        extend(_analyse_word(surface).terms)
    return terms


def detect_language(text: str | None) -> Literal["fa", "en"]:
    """``"fa"`` when at least a third of the letters are Persian, else ``"en"``."""
    normal = normalize(text)
    persian = len(_PERSIAN_LETTER.findall(normal))
    latin = len(_LATIN_LETTER.findall(normal))
    return "fa" if persian and persian * 2 >= latin else "en"
