"""Letter-spaced (tracked-out) text: single letters re-grouped into words.

Designers set part and dimension headings with wide tracking (InDesign's
"tracking +300": a few points of extra space after every glyph). The gap
between the letters then exceeds the word grouping's tolerance and the text
layer reads "C O N T E X T". Within a run of words of one font and size on one
baseline where most words are single characters with a near-constant small
gap, the letters are joined again: the small regular gap is the letter gap,
and a gap clearly larger than it (``break_ratio`` times its median) is a word
break. Ordinary text (words of several letters), table rows of single digits
(gaps of several em) and irregular gaps are left alone.
"""

from __future__ import annotations

from statistics import median

from pipeline.parse.layout import Word


def _same_run(a: Word, b: Word, max_gap: float) -> bool:
    return (
        a.font == b.font
        and abs(a.size - b.size) < 0.05
        and abs(a.bottom - b.bottom) < 0.3 * max(a.size, 1.0)
        and 0 <= b.x0 - a.x1 <= max_gap
    )


def _regroup(
    run: list[Word], break_ratio: float, max_letter_gap: float, min_letters: int
) -> tuple[list[Word], float] | None:
    """The run re-grouped into words and its letter gap, or None when it is
    not letter-spaced."""
    singles = sum(1 for w in run if len(w.text) == 1)
    if singles < min_letters or singles * 10 < 7 * len(run) or any(len(w.text) > 2 for w in run):
        return None
    if sum(ch.isalpha() for w in run for ch in w.text) * 2 < sum(len(w.text) for w in run):
        return None  # digits and signs in a row (a table row of single figures)
    size = run[0].size
    gaps = [b.x0 - a.x1 for a, b in zip(run, run[1:])]
    smallest = min(gaps)
    letter = median([g for g in gaps if g <= 1.5 * smallest + 0.1 * size])
    if letter > max_letter_gap * size or letter <= 0:
        return None
    # near-constant letter gaps, and most gaps are letter gaps
    breaks = [g > break_ratio * letter for g in gaps]
    letter_gaps = [g for g, br in zip(gaps, breaks) if not br]
    if len(letter_gaps) < len(gaps) - len(letter_gaps):
        return None
    if max(letter_gaps) - min(letter_gaps) > 0.5 * letter + 0.05 * size:
        return None
    out: list[Word] = []
    current = [run[0]]
    for w, br in zip(run[1:], breaks):
        if br:
            out.append(_merge(current))
            current = [w]
        else:
            current.append(w)
    out.append(_merge(current))
    return out, letter


def _continued(regrouped: list[Word], reach: float, words: list[Word]) -> bool:
    """A longer word of the line follows or precedes the run at a letter gap:
    ordinary text with single-letter words ("a b c d of the"), not tracking."""
    lo, hi = regrouped[0], regrouped[-1]
    return any(len(w.text) > 2 and (_same_run(w, lo, reach) or _same_run(hi, w, reach)) for w in words)


def _merge(words: list[Word]) -> Word:
    return Word(
        "".join(w.text for w in words),
        words[0].x0,
        min(w.top for w in words),
        words[-1].x1,
        max(w.bottom for w in words),
        words[0].font,
        words[0].size,
        tracked=True,
    )


def join_spaced_letters(
    words: list[Word],
    break_ratio: float = 1.8,
    max_letter_gap: float = 0.6,
    max_word_gap: float = 2.0,
    min_letters: int = 4,
) -> list[Word]:
    """``words`` with letter-spaced runs re-grouped into words (order kept
    otherwise; a re-grouped run takes the place of its first letter).

    ``max_letter_gap`` and ``max_word_gap`` are in em of the run's size: a
    letter gap wider than ``max_letter_gap`` is not tracking, and a gap wider
    than ``max_word_gap`` ends the run (another column, another cell)."""
    short = [i for i, w in enumerate(words) if len(w.text) <= 2]
    if len(short) < min_letters:
        return words
    order = sorted(short, key=lambda i: (words[i].font, round(words[i].size, 1), round(words[i].bottom), words[i].x0))
    replaced: dict[int, list[Word]] = {}
    dropped: set[int] = set()
    run: list[int] = []
    letter_gaps: dict[tuple[str, float], float] = {}  # (font, size) -> letter gap of its tracked runs
    short_runs: list[list[int]] = []

    def flush() -> None:
        if len(run) >= min_letters:
            found = _regroup([words[i] for i in run], break_ratio, max_letter_gap, min_letters)
            if found is not None and not _continued(found[0], found[1] * break_ratio, words):
                regrouped = found[0]
                first = min(run)
                replaced[first] = regrouped
                dropped.update(i for i in run if i != first)
                letter_gaps.setdefault((words[first].font, round(words[first].size, 1)), found[1])
        elif len(run) >= 2:
            short_runs.append(list(run))
        run.clear()

    for i in order:
        if run and not _same_run(words[run[-1]], words[i], max_word_gap * words[i].size):
            flush()
        run.append(i)
    flush()
    # a word too short to measure ("A N D" on a line of its own in a tracked
    # heading): its letters are one word when every gap between them is the
    # letter gap measured on the tracked runs of its font and size
    for short in short_runs:
        ws = [words[i] for i in short]
        letter = letter_gaps.get((ws[0].font, round(ws[0].size, 1)))
        if letter is None or not all(len(w.text) == 1 and w.text.isalpha() for w in ws):
            continue
        gaps = [b.x0 - a.x1 for a, b in zip(ws, ws[1:])]
        if all(abs(g - letter) <= 0.5 * letter + 0.05 * ws[0].size for g in gaps) and not _continued(
                [_merge(ws)], letter * break_ratio, words):
            replaced[min(short)] = [_merge(ws)]
            dropped.update(i for i in short if i != min(short))
    if not replaced:
        return words
    out: list[Word] = []
    for i, w in enumerate(words):
        if i in replaced:
            out.extend(replaced[i])
        elif i not in dropped:
            out.append(w)
    return out
