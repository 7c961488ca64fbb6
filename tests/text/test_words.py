"""A document's words: letters only, two or more, lower-cased as printed."""

import random
import re
import string

from pipeline.text.normalize import words_in

_REFERENCE = re.compile(r"[^\W\d_]{2,}")


def test_words_are_the_letter_runs_lower_cased_one_by_one():
    # "İ" lower-cases to two code points: lower-casing the whole text first would split the word
    assert words_in("İstanbul and COVID-19 a 2021 well_being") == ["i̇stanbul", "and", "covid", "well", "being"]
    rng = random.Random(1)
    alphabet = string.ascii_letters + string.digits + "_- .,()'’" + "ÁÉÍÓÚáéíóúçÇñÑİıẞß"
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30)))
        assert words_in(text) == [m.group(0).lower() for m in _REFERENCE.finditer(text)], text


def test_normalize_leaves_ascii_text_as_it_is():
    """The marker pass skips ``normalize`` for ASCII words (markers.build_text):
    every rule of ``normalize`` (ligatures, soft hyphens, U+2010, NFC) is about
    characters outside ASCII. A rule for ASCII text would have to drop that skip."""
    from pipeline.text.normalize import normalize

    rng = random.Random(2)
    printable = [chr(i) for i in range(32, 127)] + ["\t"]
    for _ in range(20000):
        text = "".join(rng.choice(printable) for _ in range(rng.randrange(0, 20)))
        assert normalize(text) == text
