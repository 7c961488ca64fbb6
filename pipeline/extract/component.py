"""One base for the rule-based span components (statistics, citations, legal).

A component, as in spaCy, splits finding from writing::

    doc = component(doc)  # == component.set_annotations(doc, component.match(doc))

``match(doc)`` returns match objects with character offsets ``start``/``end``
(into ``doc.text``) and one attribute per declared field; ``set_annotations``
puts one span per match (token-aligned, ``alignment_mode="expand"``; a match
that cannot be aligned is dropped) in ``doc.spans[span_key]`` and copies each
field ``f`` onto the span extension ``Span._.<prefix><f>``.

A subclass declares ``factory`` (its spaCy factory name), ``span_key``,
``prefix`` and ``fields``, and implements ``match``; defining the subclass
registers its ``Span`` extensions (default None). ``doc_text(doc)`` is
``doc.text`` computed once per doc for all components.
"""

from __future__ import annotations

from typing import Any, ClassVar, Iterable, Iterator

from spacy.tokens import Doc, Span


_TEXT = "mgi_text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per doc: spaCy joins every token each time
    it is asked, and each component asks."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def docs_of(nlp, texts: Iterable[str]) -> Iterator[Doc]:
    """The tokenized docs of ``texts``, each knowing its text (spaCy's
    tokenizer keeps every character, so ``doc.text`` is the text given):
    for ``nlp.pipe``, which runs the components on them."""
    for text in texts:
        doc = nlp.make_doc(text)
        doc.user_data[_TEXT] = text
        yield doc


class SpanComponent:
    """spaCy component: ``match`` then ``set_annotations`` into ``doc.spans``."""

    factory: ClassVar[str]  # the ``@Language.factory`` name
    span_key: ClassVar[str]  # where the spans go: ``doc.spans[span_key]``
    prefix: ClassVar[str]  # extension name = prefix + field
    fields: ClassVar[tuple[str, ...]]  # match attributes copied onto the spans

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in cls.extensions():
            if not Span.has_extension(name):
                Span.set_extension(name, default=None)

    @classmethod
    def extensions(cls) -> tuple[str, ...]:
        """The ``Span._`` extension names, in field order."""
        return tuple(cls.prefix + field for field in cls.fields)

    def match(self, doc: Doc) -> list[Any]:
        """The matches in ``doc`` (objects with ``start``, ``end`` and the fields)."""
        raise NotImplementedError

    def set_annotations(self, doc: Doc, matches: list[Any]) -> None:
        spans = []
        for match in matches:
            span = doc.char_span(match.start, match.end, alignment_mode="expand")
            if span is None:
                continue
            for field in self.fields:
                span._.set(self.prefix + field, getattr(match, field))
            spans.append(span)
        doc.spans[self.span_key] = spans

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in stream:
            yield self(doc)
