"""The public page's texts as editors write them: paragraphs separated by an empty line, and
links in Markdown's form, [words](address) or [words](@name) for a kept link or document. Nothing
else is markup, so a text never carries HTML of its own."""

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Protocol

from django.db.models.fields.files import FieldFile
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

NAMED = "@"
_MARKDOWN = MarkdownIt("zero").enable(["link", "escape", "newline"])


class NamedLink(Protocol):
    @property
    def href(self) -> str: ...

    @property
    def document(self) -> FieldFile: ...


def _links(tokens: list[Token]) -> list[Token]:
    return [
        child
        for token in tokens
        if token.type == "inline"
        for child in token.children or []
        if child.type == "link_open"
    ]


def link_keys(text: str) -> set[str]:
    """The names a text links to with [words](@name)."""
    hrefs = (str(link.attrGet("href") or "") for link in _links(_MARKDOWN.parse(text or "")))
    return {href[len(NAMED) :] for href in hrefs if href.startswith(NAMED)}


def document_size(document: FieldFile) -> str:
    """The size as the page words it, e.g. "406 kB"; kilobytes of 1,024 bytes."""
    return f"{max(1, round(document.size / 1024))} kB"


def _document_suffix(document: FieldFile) -> str:
    kind = (document.name or "").rsplit(".", 1)[-1].capitalize()
    try:
        return f". {kind}, {document_size(document)}"
    except OSError:  # the file is gone from storage: name the type only
        return f". {kind}"


class NamedLinks(Mapping[str, NamedLink]):
    """The named links as a rendering reads them, equal when each name's address and document
    are: an editor's save of a link gives a new address or, for a new upload, a new file name.
    Made once for a page, to render its texts with."""

    def __init__(self, links: Mapping[str, NamedLink]) -> None:
        self.links = dict(links)
        self.key = tuple(
            sorted(
                (name, link.href, link.document.name if link.document else "")
                for name, link in self.links.items()
            )
        )

    def __getitem__(self, name: str) -> NamedLink:
        return self.links[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.links)

    def __len__(self) -> int:
        return len(self.links)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NamedLinks) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)


def render(text: str, links: Mapping[str, NamedLink]) -> SafeString:
    """The text as HTML paragraphs with its links. A named link points where its row says; a
    document's link ends with its type and size ("… Pdf, 406 kB"). A name with no row is shown
    as its words alone. Rendered once per process for each text and links: an editor's change
    to either is a new key, so the page never shows an old rendering."""
    named = links if isinstance(links, NamedLinks) else NamedLinks(links)
    return _render(text or "", named)


@lru_cache(maxsize=1024)
def _render(text: str, links: NamedLinks) -> SafeString:
    tokens = _MARKDOWN.parse(text)
    for token in tokens:
        if token.type != "inline":
            continue
        children: list[Token] = []
        dropping = False  # inside a link to a name with no row
        suffix: Token | None = None
        for child in token.children or []:
            if child.type == "link_open":
                href = str(child.attrGet("href") or "")
                if href.startswith(NAMED):
                    link = links.get(href[len(NAMED) :])
                    if link is None:
                        dropping = True
                        continue
                    child.attrSet("href", link.href)
                    if link.document:
                        suffix = Token("text", "", 0, content=_document_suffix(link.document))
            elif child.type == "link_close":
                if dropping:
                    dropping = False
                    continue
                if suffix is not None:
                    children.append(suffix)
                    suffix = None
            children.append(child)
        token.children = children
    return mark_safe(_MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {}))  # noqa: S308
