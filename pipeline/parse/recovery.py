"""Reading a document page by page, and recovering what a damaged file still
holds.

The normal path is pdfminer (through pdfplumber), page by page. A page that
raises, or takes longer than the page time budget, does not end the
document: it is read by PDFium (``pipeline.parse.pdfium``) instead, and left
empty with a reason in plain words when PDFium cannot read it either. A
file pdfminer cannot open (or in which it finds fewer pages than PDFium) is
read again with its cross-reference table rebuilt by scanning the objects
(``pipeline.parse.pdffile.rebuilt_xref``), or through PDFium alone:
whichever has more pages wins, and the layout's warnings say which.

A file pdfminer reads without a problem is never read by PDFium (only its
page count is asked), so its tables are those of the normal path.

The page time budget (``parse.page_time_budget_seconds``) is a SIGALRM
timer, armed only in the main thread of a process where no other timer or
SIGALRM handler is set: a direct ``parse_pdf`` call from a user's script
gets it; elsewhere it stays off (the batch's per-file timeout ends a worker
that hangs in any case).
"""

from __future__ import annotations

import signal
import threading
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from pipeline.errors import DamagedPDFError, InputError, PageTimeout, message
from pipeline.parse import pdfium
from pipeline.parse.pdffile import ends_complete, open_pdf, pdf_error, rebuilt_xref


@contextmanager
def time_budget(seconds: float):
    """Raise ``PageTimeout`` in the block after ``seconds`` (see module doc)."""
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
    )
    if not usable:
        yield
        return

    def on_alarm(signum, frame):
        raise PageTimeout(message("E114", seconds=seconds))

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)  # and again every second, if swallowed
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --------------------------------------------------------------------------
# what went wrong, in words
# --------------------------------------------------------------------------

_FONT_MODULES = ("pdffont", "cmapdb", "encodingdb", "fontmetrics", "glyphlist")
_STREAM_MODULES = ("ascii85", "lzw", "runlength", "ccitt", "jbig2", "pdftypes", "zlib")


def detail(exc: BaseException) -> str:
    """The parser's own exception, one line (the ``error_detail`` column)."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__


def page_reason(exc: BaseException) -> str:
    """Why a page cannot be read, in words: "damaged font", ..."""
    if isinstance(exc, PageTimeout):
        return f"reading it {exc} (a loop in the file?)"
    frames = traceback.extract_tb(exc.__traceback__)
    modules = [Path(f.filename).stem for f in frames]
    if type(exc).__name__ == "PSEOF":
        return "the file is cut short"
    if any(m in _FONT_MODULES for m in modules) or any(f.name == "get_font" for f in frames) or "font" in str(exc).lower():
        return "damaged font"
    if frames and frames[-1].name == "init_resources":
        return "damaged page resources"
    if any(m in _STREAM_MODULES for m in modules[-3:]):
        return "damaged content stream"
    if any(m in ("psparser", "pdfinterp") for m in modules[-3:]):
        return "damaged page content"
    return "damaged page object"


@dataclass
class Unreadable:
    """A page neither reader could read."""

    reason: str  # words: "damaged font"
    detail: str  # the parser's exception


@dataclass
class Reading:
    pages: list[Any]  # per page: what ``read_page`` / ``read_pdfium`` returned, or an ``Unreadable``
    notes: list[str] = field(default_factory=list)  # how the file was recovered (warnings, without the name)
    detail: str | None = None  # the normal path's error, when the file was recovered


# --------------------------------------------------------------------------
# the readers
# --------------------------------------------------------------------------


@dataclass
class _Pass:
    """One reading with pdfminer: a page's data, or the exception it raised."""

    pages: list[Any]

    def failed(self) -> list[int]:
        return [i for i, p in enumerate(self.pages) if isinstance(p, BaseException)]


def _pdfminer_pass(path: Path, password: str | None, rebuild: bool, read_page: Callable, budget: float) -> _Pass:
    name = path.name
    try:
        with time_budget(budget):
            pdf = open_pdf(path, password, rebuild)
            n_pages = len(pdf.pages)
    except InputError:
        raise
    except PageTimeout as exc:
        raise DamagedPDFError.of("E109", name=name, error_detail=f"pdfminer: {detail(exc)}") from None
    except Exception as exc:  # pdfminer raises many types; all mean bad input
        raise pdf_error(name, exc, password) from None
    try:
        if n_pages == 0:
            raise DamagedPDFError.of("E110", name=name)
        pages: list[Any] = []
        for i in range(n_pages):
            try:
                with time_budget(budget):
                    page = pdf.pages[i]
                    try:
                        pages.append(read_page(page, i + 1))
                    finally:
                        page.close()
            except InputError:
                raise
            except (Exception, PageTimeout) as exc:  # this page only
                pages.append(exc)
        return _Pass(pages)
    finally:
        try:
            pdf.close()
        except Exception:
            pass


def _open_pdfium(source: Path | bytes, password: str | None):
    """PDFium's document, or the exception it gave."""
    try:
        return pdfium.open_document(source, password)
    except Exception as exc:
        return exc


def _pdfium_page(doc, index: int, doctop: float, read_pdfium: Callable, budget: float, fonts=None):
    """PDFium's reading of one page, or the exception."""
    try:
        with time_budget(budget):
            return read_pdfium(doc, index, doctop) if fonts is None else read_pdfium(doc, index, doctop, fonts)
    except (Exception, PageTimeout) as exc:
        return exc


def _fill(p: _Pass, doc, read_pdfium: Callable, blank: Callable, budget: float, notes: list[str],
          cut_short: bool = False) -> list[Any]:
    """The pass's pages, those that raised (or came out blank) read by PDFium
    when it can; the rest ``Unreadable``. In a file cut short, a page still
    blank lost its content with the end of the file: unreadable too."""
    out: list[Any] = []
    helped: list[int] = []
    doctop = 0.0
    aligned = not isinstance(doc, BaseException) and len(doc) == len(p.pages)
    for i, page in enumerate(p.pages):
        broken = isinstance(page, BaseException)
        if aligned and (broken or blank(page)):
            other = _pdfium_page(doc, i, doctop, read_pdfium, budget)
            if not isinstance(other, BaseException) and not blank(other):  # (blank: pdfminer's reason stays)
                page = other
                helped.append(i + 1)
        page, doctop = _settle(page, doctop, cut_short, blank)
        out.append(page)
    if helped:
        notes.append(f"recovered by PDFium on {_label(helped)}")
    return out


def _settle(page: Any, doctop: float, cut_short: bool, blank: Callable[[Any], bool]) -> tuple[Any, float]:
    """A page as it is kept: an exception becomes ``Unreadable`` with its
    reason; a blank page of a file cut short is unreadable for that reason;
    a page read advances ``doctop`` by its height."""
    if isinstance(page, BaseException):
        return Unreadable(page_reason(page), detail(page)), doctop
    if cut_short and blank(page):
        return Unreadable("the file is cut short", "no text: its objects are missing (no %EOF at the end of the file)"), doctop
    return page, doctop + page.height


def _label(numbers: list[int]) -> str:
    return ("page " if len(numbers) == 1 else "pages ") + ", ".join(map(str, numbers))


def read_document(path: Path, password: str | None, read_page: Callable, read_pdfium: Callable,
                  blank: Callable[[Any], bool], budget: float) -> Reading:
    """Every page of ``path``: ``read_page(pdfplumber_page, number)`` on the
    normal path, ``read_pdfium(doc, index, doctop)`` where that fails (or
    gives a page without text: ``blank(page)``), and ``Unreadable`` where
    both do. Raises ``InputError`` when no reading finds any page."""
    name = path.name
    first: DamagedPDFError | None = None
    normal: _Pass | None = None
    try:
        normal = _pdfminer_pass(path, password, False, read_page, budget)
    except DamagedPDFError as exc:
        first = exc
    doc = _open_pdfium(path, password)
    n_pdfium = 0 if isinstance(doc, BaseException) else len(doc)
    try:
        if normal is not None and n_pdfium <= len(normal.pages):
            if not normal.failed() and not any(blank(p) for p in normal.pages):
                return Reading(normal.pages)  # the normal path, untouched
            notes: list[str] = []
            return Reading(_fill(normal, doc, read_pdfium, blank, budget, notes), notes)
        # pdfminer cannot open the file, or finds fewer pages than PDFium
        rebuilt = _rebuilt_pass(path, password, read_page, budget)
        why = first.context.get("error_detail") if first is not None else (
            f"pdfminer finds {len(normal.pages)} of PDFium's {n_pdfium} pages" if normal is not None else None)
        if rebuilt is not None and len(rebuilt.pages) >= n_pdfium and (normal is None or len(rebuilt.pages) > len(normal.pages)):
            notes = ["recovered: cross-reference table rebuilt"]
            return Reading(_fill(rebuilt, doc, read_pdfium, blank, budget, notes, not ends_complete(path)), notes, why)
        if n_pdfium:
            pages, doctop = [], 0.0
            cut_short = not ends_complete(path)
            for i in range(n_pdfium):
                page, doctop = _settle(_pdfium_page(doc, i, doctop, read_pdfium, budget), doctop, cut_short, blank)
                pages.append(page)
            return Reading(pages, ["recovered by PDFium"], why)
        if normal is not None:
            notes = []
            return Reading(_fill(normal, doc, read_pdfium, blank, budget, notes), notes)
        assert first is not None
        details = "; ".join(x for x in (first.context.get("error_detail"), f"PDFium: {detail(doc)}") if x)
        if first.code == "E110":
            raise DamagedPDFError.of("E110", name=name, error_detail=details) from None
        code = "E109" if ends_complete(path) else "E113"
        raise DamagedPDFError.of(code, name=name, error_detail=details) from None
    finally:
        if not isinstance(doc, BaseException):
            doc.close()


def _rebuilt_pass(path: Path, password: str | None, read_page: Callable, budget: float) -> _Pass | None:
    try:
        return _pdfminer_pass(path, password, True, read_page, budget)
    except InputError:
        return None


def read_document_pdfium(path: Path, password: str | None, read_page: Callable, read_pdfium: Callable,
                         blank: Callable[[Any], bool], budget: float) -> Reading:
    """Every page of ``path`` read by PDFium (the ``pdfium`` engine), with
    the reference path's outcomes where PDFium has nothing to give: a page
    PDFium cannot read, or reads without text, is read by pdfminer too
    (kept when it has text; else its reason or blank page, as on the normal
    path). A file pdfminer cannot open, or in which the two find different
    page counts, takes the normal path whole (``read_document``): the same
    recovery, status rows and messages."""
    notes: list[str] = []
    why: str | None = None
    try:
        with time_budget(budget):
            pdf = open_pdf(path, password, False)
            n_pages = len(pdf.pages)
    except (Exception, PageTimeout) as exc:
        error = pdf_error(path.name, exc, password) if not isinstance(exc, PageTimeout) else None
        if not isinstance(error, DamagedPDFError):  # encrypted, a timeout: the normal path says it
            return read_document(path, password, read_page, read_pdfium, blank, budget)
        try:  # the normal path's recovery: the cross-reference table rebuilt (then read by PDFium)
            with time_budget(budget):
                pdf = open_pdf(path, password, True)
                n_pages = len(pdf.pages)
        except (Exception, PageTimeout):
            return read_document(path, password, read_page, read_pdfium, blank, budget)
        notes, why = ["recovered: cross-reference table rebuilt"], error.context.get("error_detail")
    cut_short = bool(notes) and not ends_complete(path)
    try:
        doc = _open_pdfium(path, password)
        if isinstance(doc, BaseException) and notes:  # PDFium reads the rebuilt file too
            repaired = rebuilt_xref(path.read_bytes())
            doc = _open_pdfium(repaired, password) if repaired is not None else doc
        if isinstance(doc, BaseException) or n_pages == 0 or len(doc) != n_pages:
            if not isinstance(doc, BaseException):
                doc.close()
            pdf.close()
            pdf = None
            return read_document(path, password, read_page, read_pdfium, blank, budget)
        try:
            pages: list[Any] = []
            doctop = 0.0
            fonts = pdfium.MinerFonts(pdf)
            for i in range(n_pages):
                page = _pdfium_page(doc, i, doctop, read_pdfium, budget, fonts)
                if isinstance(page, BaseException) or blank(page):
                    page = _pdfminer_page(pdf, i, read_page, budget)
                page, doctop = _settle(page, doctop, cut_short, blank)
                pages.append(page)
            return Reading(pages, notes, why)
        finally:
            doc.close()
    finally:
        if pdf is not None:
            try:
                pdf.close()
            except Exception:
                pass


def _pdfminer_page(pdf, index: int, read_page: Callable, budget: float):
    """pdfminer's reading of one page, or the exception it raised."""
    try:
        with time_budget(budget):
            page = pdf.pages[index]
            try:
                return read_page(page, index + 1)
            finally:
                page.close()
    except InputError:
        raise
    except (Exception, PageTimeout) as exc:
        return exc
