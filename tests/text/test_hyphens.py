"""Line-end hyphens of a document that hyphenates words AND breaks lines at
its compounds' own hyphens (issue 18, random designs ``hyphen_breaks``):
evidence first (the document's own forms, counted), then the language's
word parts (configs/parse/<lang>.yaml ``hyphen_prefix``), then the rules."""

from __future__ import annotations

from pipeline.config import load_config
from pipeline.text.normalize import Lexicon, join_hyphen

# a document that hyphenates words: "com-" + "munity" is printed whole elsewhere
HYPHENATING = [
    "the com-", "munity of Santiago. The community and the work of the market; a place for",
    "decision and making, over more able people in Spain: Spanish speaking staff",
]


def _lexicon(*extra: str) -> Lexicon:
    return Lexicon.of([*HYPHENATING, *extra], load_config().union_pattern("parse", "hyphen_prefix"))


def test_the_document_decides_by_its_more_frequent_form() -> None:
    lex = _lexicon("the Co-operation and Development office",
                   "cooperation with the region, cooperation in health and cooperation in education")
    assert lex.breaks_words()
    assert join_hyphen("no formal form of co-", "operation yet", lex) is True  # 3 solid, 1 hyphenated
    tie = _lexicon("a well-being plan and the wellbeing of all")
    assert join_hyphen("the well-", "being of migrants", tie) is False  # a tie: the hyphen, as printed


def test_two_lower_case_words_of_a_hyphenating_document_join() -> None:
    lex = _lexicon()
    assert join_hyphen("collaborative work-", "place for", lex) is True  # "workplace" printed once
    assert join_hyphen("of market-", "able food", lex) is True
    assert join_hyphen("It is more-", "over clear", lex) is True


def test_a_proper_word_before_a_word_keeps_the_hyphen_but_not_at_a_sentence_start() -> None:
    lex = _lexicon("Moreover")
    assert join_hyphen("for the Spanish-", "speaking people", lex) is False
    lex.words["more"] += 1
    assert join_hyphen("in Spain. More-", "over the city", lex) is True


def test_configured_particles_and_compound_endings_keep_the_hyphen() -> None:
    lex = _lexicon()
    assert join_hyphen("and complete buy-", "in at both levels.", lex) is False  # "-in" after a word
    assert join_hyphen("of the decision-", "making bodies", lex) is False  # "-making"
    assert join_hyphen("of the follow-", "up visit", lex) is False
    assert join_hyphen("the pro-", "tein intake", lex) is True  # not a particle
    bare = Lexicon.of(HYPHENATING)  # no language word parts configured: a syllable break
    assert join_hyphen("and complete buy-", "in at both levels.", bare) is True


def test_a_suspended_hyphen_keeps_the_space() -> None:
    lex = _lexicon("eight or nine")
    assert join_hyphen("a unique eight-", "or nine-digit number", lex) is None
    assert join_hyphen("short-", "and long-term plans", _lexicon("and", "a short stay")) is None
    assert join_hyphen("the com-", "munity and well-being", lex) is True  # a syllable, then a compound


def test_a_syllable_before_a_compound_is_no_suspended_hyphen() -> None:
    """"individu-" + "al follow-up", "implement-" + "ing migration-related":
    a short tail before a compound, but the head is no word of the document
    or the tail is never printed as a word inside a line: a syllable break."""
    lex = _lexicon("the implement was used, as Smith et al. say and al. again")
    assert join_hyphen("to record individu-", "al follow-up by the services", lex) is True
    assert join_hyphen("agenda and implement-", "ing migration-related policies", lex) is True


def test_the_second_half_of_a_suspended_pair_keeps_its_hyphen() -> None:
    """"eight- or nine-" + "digit": the compound the suspended hyphen announced."""
    lex = _lexicon("eight or nine digits")
    assert join_hyphen("a unique eight- or nine-", "digit number", lex) is False
    assert join_hyphen("short- and long-", "term plans", lex) is False


def test_a_document_that_never_breaks_inside_a_word_keeps_every_hyphen() -> None:
    lex = Lexicon.of(["the tax-", "exempt status of work-", "spaces for migration-", "related action in the well-",
                      "being of the community and a single-", "parent family on the exempt spaces"] * 50)
    assert not lex.breaks_words()
    assert join_hyphen("of work-", "spaces for", lex) is False
    assert join_hyphen("a single-", "parent family", lex) is False


def test_the_unicode_hyphen_is_a_hyphen() -> None:
    # CSS engines (WeasyPrint, browsers) end a hyphenated line with U+2010 HYPHEN
    from pipeline.text.normalize import normalize

    assert normalize("Muni\u2010") == "Muni-"
    assert normalize("well\u2010being") == "well-being"
    lines = [normalize(t) for t in ("the Muni\u2010", "cipal office and the municipal staff of the com\u2010", "munity")]
    lex = _lexicon(*lines)
    assert lines[0].endswith("-") and join_hyphen(lines[0], "cipal office", lex) is True


def test_a_compound_printed_only_in_a_name_is_no_evidence_against_the_solid_word() -> None:
    """The long random profile (d01001): "Economic Co-operation" (a name's
    spelling) once, "cooperation" once in running text: a tie by count, but
    the running text's "co-" + "operation" is the word it prints whole."""
    lex = _lexicon("the Organisation for Economic Co-operation and Development", "close cooperation with the region")
    assert join_hyphen("no formal form of co-", "operation yet", lex) is True
    lower = _lexicon("a co-operation agreement", "close cooperation with the region")
    assert join_hyphen("no formal form of co-", "operation yet", lower) is False  # printed both ways in running text: a tie


def test_a_hyphen_repeated_at_the_line_start_is_printed_once() -> None:
    """ "inter-" / "-institutional round table": the compound's own hyphen
    repeated at the start of the next line (a typesetting convention), one hyphen."""
    assert join_hyphen("it organized an inter-", "-institutional round table", _lexicon()) is True


# a document whose own syllable breaks (halves of words it prints whole) follow English patterns
SYLLABLES = [("com", "munity"), ("infor", "mation"), ("govern", "ment"), ("pro", "gramme"), ("re", "gion"),
             ("munic", "ipality"), ("or", "ganization"), ("migra", "tion"), ("na", "tional"), ("pol", "icy")]


def _syllable_lexicon() -> Lexicon:
    lines = []
    for head, tail in SYLLABLES:
        lines += [f"the {head}-", f"{tail} of the {head}{tail} and more"]
    lines += ["a stop at home with employment"]
    cfg = load_config()
    return Lexicon.of(lines, cfg.union_pattern("parse", "hyphen_prefix"), cfg.union_list("parse", "hyphenation_patterns"))


def test_a_break_the_documents_patterns_do_not_make_is_the_compounds_own_hyphen() -> None:
    """The long random profile: "one-" / "stop shop", "at-" / "home testing",
    "re-" / "employment" with no evidence in the document were glued into
    "onestop", "athome", "reemployment". The document's own syllable breaks
    follow a configured pattern set; a break that set never makes keeps its hyphen."""
    lex = _syllable_lexicon()
    assert lex.breaks_words()
    assert join_hyphen("acts as a one-", "stop shop for", lex) is False
    assert join_hyphen("food, at-", "home testing", lex) is False
    assert join_hyphen("found re-", "employment at a higher rate", lex) is False
    assert join_hyphen("it was com-", "pletely new", lex) is True  # a pattern point: a syllable break
    assert join_hyphen("the de-", "velopment of", lex) is True


def test_no_pattern_set_without_enough_breaks_of_the_document() -> None:
    few = Lexicon.of(["the com-", "munity of the community"], patterns=("en_GB", "en_US"))
    assert few.syllable_point("one", "stop") is None
    assert Lexicon.of(["x"]).syllable_point("one", "stop") is None


def test_a_break_off_the_patterns_whose_tail_is_no_word_is_a_syllable_break() -> None:
    """Another hyphenator than the configured patterns (a Typst design) breaks
    "entre-" / "preneurship" and "telemed-" / "icine" where the patterns do
    not: the part after the break is no word of the document, so it is the
    syllable break of one word, joined (not "entre-preneurship")."""
    lex = _syllable_lexicon()
    assert join_hyphen("labour and entre-", "preneurship. However", lex) is True
    assert join_hyphen("and telemed-", "icine consultations", lex) is True


def test_no_pattern_set_when_one_of_the_documents_own_breaks_is_off_its_patterns() -> None:
    """A document hyphenated by another engine (Typst's patterns, InDesign's
    dictionary) agrees with a configured set on most breaks but not all
    ("acade-" / "mics" where en_US breaks "aca-demics"): no set is taken, so
    its other breaks off the set are not read as compounds' own hyphens."""
    lines = []
    for head, tail in SYLLABLES * 2 + [("acade", "mics")]:  # 20 of 21 breaks on en_US
        lines += [f"the {head}-", f"{tail} of the {head}{tail} and more"]
    lines += ["a stop at home with employment"]
    cfg = load_config()
    lex = Lexicon.of(lines, cfg.union_pattern("parse", "hyphen_prefix"), cfg.union_list("parse", "hyphenation_patterns"))
    assert lex.syllable_point("one", "stop") is None
    assert _syllable_lexicon().syllable_point("one", "stop") is False
