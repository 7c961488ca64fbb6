"""Words from character records (``upright_words``): pdfplumber's WordExtractor
words for our settings, upright and not blank, in the same order."""

from __future__ import annotations

import random

from pdfplumber.utils.text import WordExtractor

from pipeline.parse.chars import count_undecodable, is_undecodable, upright_words


def _char(text, x0, top, size=10.0, font="F", upright=True, width=None):
    width = size * 0.5 if width is None else width
    return {"text": text, "fontname": font, "size": size, "upright": upright, "forward": True, "x0": x0,
            "x1": x0 + width, "top": top, "bottom": top + size, "doctop": top, "width": width, "height": size}


def _reference(chars, ratio):
    words = WordExtractor(x_tolerance=1.5, x_tolerance_ratio=ratio, keep_blank_chars=False, use_text_flow=False,
                          extra_attrs=["fontname", "size"], expand_ligatures=False).extract_words(chars)
    return [(w["text"], w["x0"], w["top"], w["x1"], w["bottom"], w["fontname"], w["size"])
            for w in words if w.get("upright", True) and w["text"].strip()]


def test_edge_cases_as_pdfplumber():
    chars = [
        _char("H", 10, 100), _char("i", 15, 100), _char(" ", 20, 100), _char("t", 25, 100),
        _char("h", 30, 101.5),  # within the y tolerance: same line, same word
        _char("e", 35.5, 100),
        _char("r", 45, 100),  # beyond x1 + 0.15 * size: a new word
        _char("x", 20, 100),  # starts left of the previous x0 (after sorting: reordered)
        _char("", 50, 100),  # an empty text: a word of its own, blank (dropped)
        _char("e", 55, 100),
        _char("\u00a0", 60, 100), _char("\t", 61, 100),
        _char("s", 65, 100, size=6.0),  # another size: another run
        _char("U", 70, 200, upright=False), _char("p", 70, 205, upright=False),  # sideways: dropped
        _char("2", 75, 200, font="G"), _char("0", 80, 204, font="G"),  # 4 apart: another line
        _char("a", 90, 300), _char("b", 95, 300), _char("c", 92, 303.5),  # lines chained within 3
        _char("z", 0, 400), _char("y", 0, 400),  # same x0: stable order
        _char("m", 120, 500), _char("n", 126.6, 500),  # 1.6 after m's x1: over 0.15 * 10, a new word
        _char("o", 131.6, 502.5),  # 2.5 lower, touching n: the same line and word (y tolerance 3)
    ]
    assert upright_words(chars, 0.15) == _reference(chars, 0.15)
    words = [w[0] for w in upright_words(chars, 0.15)]
    assert words[:3] == ["Hi", "xthe", "r"] and words[-2:] == ["m", "no"]


def test_random_pages_as_pdfplumber():
    rng = random.Random(7)
    for _ in range(60):
        chars = []
        for _ in range(rng.randint(0, 80)):
            size = rng.choice([6.0, 9.0, 10.0, 12])
            chars.append(_char(rng.choice("ab c.\u00a0-1"), round(rng.uniform(0, 200), 1), rng.choice([100, 101, 103.2, 110, 150.5]),
                               size=size, font=rng.choice("FG"), upright=rng.random() > 0.1, width=rng.uniform(0, 8)))
        for ratio in (0.15, 0.5):
            assert upright_words(chars, ratio) == _reference(chars, ratio)


def test_undecodable_count():
    chars = [_char("a", 0, 0), _char("(cid:12)", 5, 0), _char("\ufffd", 10, 0), _char("\ue001", 15, 0), _char("(cid:x)", 20, 0)]
    assert count_undecodable(chars) == sum(map(is_undecodable, chars)) == 3
    assert count_undecodable(chars[:1] + chars[-1:]) == 0
    assert count_undecodable([]) == 0


def test_runs_drawn_line_after_line_as_pdfplumber():
    """Runs drawn as usual (flat lines in x0 order, each lower than the last),
    read in one pass, and the same runs with one character off: a little
    raised, out of x0 order, or a line above the one before."""
    rng = random.Random(11)
    for case in range(80):
        chars = []
        top = 100.0
        for _ in range(rng.randint(1, 6)):
            x = rng.uniform(0, 20)
            font, size = rng.choice([("F", 10.0), ("F", 10.0), ("G", 10.0), ("F", 7.0)])
            for _ in range(rng.randint(1, 30)):
                width = rng.uniform(2, 6)
                chars.append(_char(rng.choice("abc  1.\u00a0"), round(x, 2), top, size=size, font=font, width=width))
                x += width + rng.choice([0.0, 0.0, 0.3, 1.6, 4.0])
            top += rng.choice([3.5, 12.0, 14.4])
        if chars and case % 4:
            i = rng.randrange(len(chars))
            c = chars[i]
            if case % 4 == 1:
                c["top"] += rng.choice([0.5, 2.9, -3.2])  # raised or lowered (within the y tolerance or not)
            elif case % 4 == 2:
                c["x0"] -= rng.choice([0.1, 8.0])  # out of x0 order
            else:
                c["top"] -= 30.0  # above the lines before
            c["bottom"] = c["top"] + c["size"]
        for ratio in (0.15, 0.5):
            assert upright_words(chars, ratio) == _reference(chars, ratio)

