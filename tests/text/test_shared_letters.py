"""``shared_letters``: difflib's quick_ratio matches, packed for folded text, exact for any text."""

import difflib
import random

from pipeline.text.phrases import shared_letters


def _reference(a: str, b: str) -> int:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return round(matcher.quick_ratio() * (len(a) + len(b)) / 2) if a or b else 0


def test_shared_letters_equal_difflib_quick_ratio():
    rng = random.Random(3)
    folded = " 0123456789abcdefghijklmnopqrstuvwxyz"
    for alphabet in (folded, "aab ", folded + "éÁ’-", "ab"):
        for _ in range(3000):
            a = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 60)))
            b = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 60)))
            assert shared_letters(a, b) == _reference(a, b), (a, b)


def test_long_and_one_letter_texts():
    # counts near a field's limit (1023), and past it (the plain count)
    for n, m in ((1023, 1000), (1000, 1023), (1023, 1023), (1024, 5), (5, 2000), (700, 700)):
        a, b = "a" * n, "a" * m + "b" * 3
        assert shared_letters(a, b) == min(n, m)
    assert shared_letters(" " * 600 + "z" * 400, " " * 500 + "z" * 500) == 900
