"""Protocol PDF/UA: the running header, page number and footer are pagination artefacts,
every other marked-content sequence belongs to the structure tree, and the document
identifier is printed once a page in the running footer and once in the record.

The walk reads the PDF as a screen reader's PDF library would: the page's content
stream, its /StructParents entry in the /ParentTree, and the tree from /StructTreeRoot.
"""

import io

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject

from minutes.models import ProtocolPDF
from minutes.selectors import document_id
from tests.factories import approved_version
from tests.helpers import FI_SAMPLE

pytestmark = pytest.mark.django_db

TEXT_OPERATORS = {b"Tj", b"TJ", b"'", b'"'}


@pytest.fixture
def protocol(official):
    """An approved protocol long enough for several pages, and its PDF."""
    long_text = "\n\n".join([FI_SAMPLE * 6] * 30)
    version = approved_version(official, sections={"Talous": long_text}, render=True)
    pdf = ProtocolPDF.objects.get(version=version)
    with pdf.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    assert len(reader.pages) >= 3
    return version, reader


def _kids(element):
    kids = element.get("/K")
    if kids is None:
        return []
    resolved = kids.get_object()
    return list(resolved) if isinstance(resolved, ArrayObject) else [kids]


def attached_elements(reader) -> set[int]:
    """Object numbers of the structure elements reachable from /StructTreeRoot."""
    seen: set[int] = set()
    pending = [reader.trailer["/Root"]["/StructTreeRoot"].get_object()]
    while pending:
        for kid in _kids(pending.pop()):
            if isinstance(kid, IndirectObject):
                if kid.idnum in seen:
                    continue
                seen.add(kid.idnum)
            node = kid.get_object()
            if isinstance(node, DictionaryObject) and "/S" in node:
                pending.append(node)
    return seen


def parent_tree(reader) -> dict[int, object]:
    numbers = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"].get_object()["/Nums"]
    return {numbers[i]: numbers[i + 1] for i in range(0, len(numbers), 2)}


def marked_content(page) -> list[tuple[str, object, bool]]:
    """(tag, properties, shows text) for each marked-content sequence of the page, and
    ("", None, True) for any text shown outside marked content."""
    found, stack = [], []
    for operands, operator in ContentStream(page["/Contents"].get_object(), page.pdf).operations:
        if operator in (b"BDC", b"BMC"):
            entry = [str(operands[0]), operands[1] if operator == b"BDC" else None, False]
            stack.append(entry)
            found.append(entry)
        elif operator == b"EMC":
            stack.pop()
        elif operator in TEXT_OPERATORS:
            if stack:
                stack[-1][2] = True
            else:
                found.append(["", None, True])
    return [tuple(entry) for entry in found]


def test_every_marked_content_is_in_the_structure_tree_or_an_artefact(protocol):
    _version, reader = protocol
    attached, parents = attached_elements(reader), parent_tree(reader)
    for number, page in enumerate(reader.pages, start=1):
        mapping = parents[page["/StructParents"]].get_object()
        artefacts = 0
        for tag, properties, shows_text in marked_content(page):
            assert tag, f"page {number}: text outside any marked content"
            if tag == "/Artifact":
                artefacts += shows_text
                continue
            properties = properties.get_object()
            assert "/MCID" in properties, f"page {number}: {tag} without an MCID"
            mcid = properties["/MCID"]
            parent = mapping[mcid]
            assert isinstance(parent, IndirectObject), f"page {number}: MCID {mcid} unparented"
            assert parent.idnum in attached, (
                f"page {number}: MCID {mcid} ({tag}) has a parent outside the structure tree"
            )
            assert mcid in [kid.get_object() for kid in _kids(parent.get_object())]
        # The running header, the page number and the running footer.
        assert artefacts >= 3, f"page {number}: {artefacts} artefacts with text"


def page_texts(page) -> tuple[str, str]:
    """The page's artefact text and its tagged text, each joined with newlines."""
    stack, artefact, tagged = [], [], []

    def before(operator, operands, cm, tm):
        if operator in (b"BDC", b"BMC"):
            stack.append(str(operands[0]))
        elif operator == b"EMC":
            stack.pop()

    def text(value, cm, tm, font, size):
        if value.strip():
            (artefact if "/Artifact" in stack else tagged).append(value)

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return "\n".join(artefact), "\n".join(tagged)


def test_running_header_page_number_and_identifier_are_artefacts_once_a_page(protocol):
    version, reader = protocol
    identifier = document_id(version)
    pages = len(reader.pages)
    tagged_document = []
    for number, page in enumerate(reader.pages, start=1):
        artefact, tagged = page_texts(page)
        tagged_document.append(tagged)
        assert f"{number} ({pages})" in artefact  # Finnish page numbering
        assert "Vantaan ja Keravan hyvinvointialue" in artefact  # the running header
        assert artefact.count(identifier) == 1, f"page {number}: {artefact!r}"
        assert f"{number} ({pages})" not in tagged
    # What a screen reader reads: the record at the end, once, not repeated in a margin.
    tagged_text = "\n".join(tagged_document)
    assert tagged_text.count(identifier) == 1
    assert tagged_text.count(version.content_sha256) == 1
