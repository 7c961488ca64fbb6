"""pipeline.text.numbers: digit strings and spelled-out numbers, per language."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.config import load_config
from pipeline.text.numbers import (
    NumberFormat,
    NumberWords,
    apply_scale,
    has_grouping,
    parse_number,
    parse_number_words,
)

CONFIG = load_config()


def fmt(lang: str) -> NumberFormat:
    return NumberFormat.from_config(CONFIG.wording("statistics", lang))


def words(lang: str) -> NumberWords:
    return NumberWords.from_config(CONFIG.wording("statistics", lang))


@pytest.mark.parametrize(
    "lang,text,value",
    [
        ("en", "1,450,333", 1450333.0),
        ("en", "30.7", 30.7),
        ("en", "1,450,333.25", 1450333.25),
        ("en", "1,000", 1000.0),
        ("en", "1\u202f450\u202f333", 1450333.0),
        ("en", "1\u00a0450", 1450.0),
        ("en", "30,7", 30.7),  # not a thousands group: one digit after the comma
        ("en", "1.450.333", 1450333.0),  # repeated separator = thousands
        ("es", "1.450.333", 1450333.0),
        ("es", "30,7", 30.7),
        ("es", "21.325", 21325.0),  # group-of-three rule
        ("es", "15.1", 15.1),  # one digit after "." cannot be a thousands group
        ("es", "99.247.661", 99247661.0),
        ("es", "1.450.333,5", 1450333.5),
        ("es", "1,450", 1.45),  # "," is the Spanish decimal mark
        ("pt", "1.450.333", 1450333.0),
        ("pt", "12,5", 12.5),
        ("fr", "1 450 333", 1450333.0),
        ("fr", "1\u202f450\u202f333", 1450333.0),
        ("fr", "1\u00a0450\u00a0333,75", 1450333.75),
        ("fr", "1.450.333", 1450333.0),
        ("fr", "30,7", 30.7),
        ("en", "2017", 2017.0),
    ],
)
def test_parse_number(lang: str, text: str, value: float) -> None:
    assert parse_number(text, fmt(lang)) == pytest.approx(value)


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "1.1.2"),  # section number
        ("en", "978.92.92"),  # identifier, not groups of three
        ("en", "1,45,333"),
        ("es", "1.2.3"),
        ("fr", "12 34"),
        ("en", ""),
        ("en", "abc"),
        ("en", "1,450.333,5"),
        ("en", "1.5,3.2"),
    ],
)
def test_parse_number_rejects_malformed(lang: str, text: str) -> None:
    assert parse_number(text, fmt(lang)) is None


def test_language_conventions_come_from_config() -> None:
    assert fmt("en").decimal == "." and "," in fmt("en").thousands
    assert fmt("es").decimal == "," and "." in fmt("es").thousands
    assert " " in fmt("fr").thousands and " " not in fmt("en").thousands
    assert fmt("fr").space_separators.startswith(" ")


def test_has_grouping() -> None:
    assert has_grouping("4,193,973", fmt("en"))
    assert not has_grouping("4193973", fmt("en"))
    assert not has_grouping("30.7", fmt("en"))


@settings(max_examples=200, deadline=None)
@given(n=st.integers(min_value=0, max_value=10**12), lang=st.sampled_from(["en", "es", "fr", "pt"]))
def test_grouped_integers_round_trip(n: int, lang: str) -> None:
    sep = {"en": ",", "es": ".", "pt": ".", "fr": "\u202f"}[lang]
    text = f"{n:,}".replace(",", sep)
    assert parse_number(text, fmt(lang)) == float(n)


@settings(max_examples=200, deadline=None)
@given(whole=st.integers(min_value=0, max_value=999), frac=st.integers(min_value=0, max_value=99))
def test_percent_like_decimals_round_trip(whole: int, frac: int) -> None:
    # one or two decimals after the mark are always decimals, in every language
    for lang, mark in (("en", "."), ("es", ","), ("fr", ","), ("pt", ",")):
        text = f"{whole}{mark}{frac}"
        assert parse_number(text, fmt(lang)) == pytest.approx(float(f"{whole}.{frac}"))


@pytest.mark.parametrize(
    "lang,text,value",
    [
        ("en", "three", 3),
        ("en", "twenty - five", 25),
        ("en", "one hundred and twenty", 120),
        ("en", "a dozen", 12),
        ("en", "two thousand five hundred", 2500),
        ("en", "a million", 1e6),
        ("en", "ninety nine", 99),
        ("es", "veinticinco", 25),
        ("es", "treinta y dos", 32),
        ("es", "ciento veinte", 120),
        ("es", "doscientos mil", 200000),
        ("es", "mil quinientos", 1500),
        ("es", "un millón", 1e6),
        ("es", "mil millones", 1e9),
        ("fr", "trois", 3),
        ("fr", "vingt et un", 21),
        ("fr", "deux cents", 200),
        ("fr", "quatre-vingt-dix - sept", 97),
        ("fr", "mille", 1000),
        ("pt", "três", 3),
        ("pt", "vinte e cinco", 25),
        ("pt", "duzentos", 200),
        ("pt", "dois mil", 2000),
    ],
)
def test_parse_number_words(lang: str, text: str, value: float) -> None:
    tokens = text.replace("-", " - ").split() if lang != "fr" else text.split()
    got, used = parse_number_words(tokens, words(lang))
    assert got == pytest.approx(value)
    assert used == len(tokens)


def test_number_words_stop_at_first_non_composing_word() -> None:
    got, used = parse_number_words(["three", "four"], words("en"))
    assert (got, used) == (3, 1)
    got, used = parse_number_words(["three", "and", "four"], words("en"))
    assert (got, used) == (3, 1)  # the joiner is not consumed
    got, used = parse_number_words(["twenty", "poles"], words("en"))
    assert (got, used) == (20, 1)
    assert parse_number_words(["poles"], words("en")) == (None, 0)
    assert parse_number_words(["a", "pole"], words("en")) == (None, 0)


def test_weak_words_and_scales() -> None:
    assert "one" in words("en").weak and "un" in words("es").weak
    assert apply_scale(1.2, "million", fmt("en")) == pytest.approx(1.2e6)
    assert apply_scale(1.2, "millones", fmt("es")) == pytest.approx(1.2e6)
    assert apply_scale(2.5, "milliards", fmt("fr")) == pytest.approx(2.5e9)
    assert apply_scale(7.0, None, fmt("en")) == 7.0


def test_first_char_guard_keeps_every_ignorecase_match() -> None:
    """The lookahead before an alternation never rejects what it would match,
    case folds included ("ſeven" is "seven" under IGNORECASE)."""
    import re

    from pipeline.text.numbers import first_char_guard, phrase_alternation

    phrases = ["seven", "one", "Kilo", "two words"]
    guard = first_char_guard(phrases)
    assert guard == "(?=[Kost])"
    plain = re.compile(rf"(?:{phrase_alternation(phrases)})", re.I)
    guarded = re.compile(rf"{guard}(?:{phrase_alternation(phrases)})", re.I)
    text = "ſeven ONE \u212ailo two  words Seven twelve"
    assert [m.span() for m in guarded.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert len(plain.findall(text)) == 5
    assert first_char_guard([" lead", "one"]) == ""
    assert first_char_guard([]) == ""


def test_finder_digits_and_words_with_and_without_ascii_digits() -> None:
    from pipeline.extract.statistic_rules import rules_for

    finder = rules_for("en", CONFIG).finder
    assert [(n.value, n.digits) for n in finder.find("three people, no digit")] == [(3.0, False)]
    assert [(n.value, n.digits) for n in finder.find("12 and ٣ and seven")] == [(12.0, True), (7.0, False)]
