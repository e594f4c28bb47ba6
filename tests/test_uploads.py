import hashlib
import io
import re
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile, UploadedFile
from django.utils import timezone, translation

from negotiations.uploads import (
    CODE_EMPTY,
    CODE_INVALID_NAME,
    CODE_TOO_LARGE,
    CODE_TYPE_NOT_ALLOWED,
    CheckedUpload,
    check_upload,
    safe_filename,
    storage_name,
)

MIB = 1024 * 1024
LIMIT = 25 * MIB
TYPE_NOT_ALLOWED = (
    "The file type is not allowed. Allowed: PDF, Word, Excel, PowerPoint, OpenDocument, "
    "PNG, JPEG and CSV."
)


# --- Sample files, built here so that the tests show exactly what is being sniffed ---------


def make_zip(members, *, first_stored=False):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(members):
            compress = zipfile.ZIP_STORED if first_stored and index == 0 else None
            archive.writestr(name, data, compress_type=compress)
    return buffer.getvalue()


def ooxml(main_part, *extra):
    return make_zip(
        [
            ("[Content_Types].xml", b'<?xml version="1.0"?><Types/>'),
            ("_rels/.rels", b'<?xml version="1.0"?><Relationships/>'),
            (main_part, b'<?xml version="1.0"?><root/>'),
            *extra,
        ]
    )


def odf(mimetype):
    return make_zip(
        [
            ("mimetype", mimetype),
            ("META-INF/manifest.xml", b'<?xml version="1.0"?><manifest/>'),
            ("content.xml", b'<?xml version="1.0"?><office:document-content/>'),
        ],
        first_stored=True,
    )


def png_bytes():
    def chunk(kind, data):
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


JPEG = (
    b"\xff\xd8\xff\xe0"
    + struct.pack(">H", 16)
    + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + b"\xff\xd9"
)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = png_bytes()
DOCX = ooxml("word/document.xml")
XLSX = ooxml("xl/workbook.xml")
PPTX = ooxml("ppt/presentation.xml")
ODT = odf(b"application/vnd.oasis.opendocument.text")
ODS = odf(b"application/vnd.oasis.opendocument.spreadsheet")
ODP = odf(b"application/vnd.oasis.opendocument.presentation")
CSV_UTF8 = "Kunta,Määrä,Euroa\nHelsinki,12,1 500\nEspoo,3,200\n".encode()
CSV_UTF8_BOM = "\ufeffKunta;Määrä\r\nVantaa;4\r\n".encode()
CSV_LATIN1 = "Kunta;Määrä;Huom\nÅland;5;ÖÄ\n".encode("latin-1")
CSV_CP1252 = "Erä\tSumma\nA\t100 €\n".encode("cp1252")


def upload(data, name="liite.bin", content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def refused_code(data, name="liite.bin", max_bytes=LIMIT):
    with pytest.raises(ValidationError) as info:
        check_upload(upload(data, name), max_bytes=max_bytes)
    return info.value.code


class CountingFile(io.BytesIO):
    def __init__(self, data):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        data = super().read(size)
        self.bytes_read += len(data)
        return data


class UnreadableFile(io.BytesIO):
    def read(self, size=-1):
        raise AssertionError("the file should have been refused by its declared size")


# --- Accepted kinds ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "extension", "content_type", "original_name"),
    [
        (PDF, "THL-arvio 2026.pdf", "pdf", "application/pdf", "THL-arvio 2026.pdf"),
        (PNG, "kaavio.png", "png", "image/png", "kaavio.png"),
        (JPEG, "kuva.jpeg", "jpg", "image/jpeg", "kuva.jpg"),
        (
            DOCX,
            "muistio.docx",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "muistio.docx",
        ),
        (
            XLSX,
            "budjetti.xlsx",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "budjetti.xlsx",
        ),
        (
            PPTX,
            "esitys.pptx",
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "esitys.pptx",
        ),
        (ODT, "teksti.odt", "odt", "application/vnd.oasis.opendocument.text", "teksti.odt"),
        (
            ODS,
            "taulukko.ods",
            "ods",
            "application/vnd.oasis.opendocument.spreadsheet",
            "taulukko.ods",
        ),
        (
            ODP,
            "kalvot.odp",
            "odp",
            "application/vnd.oasis.opendocument.presentation",
            "kalvot.odp",
        ),
        (CSV_UTF8, "tiedot.csv", "csv", "text/csv", "tiedot.csv"),
        (CSV_UTF8_BOM, "tiedot.csv", "csv", "text/csv", "tiedot.csv"),
        (CSV_LATIN1, "vanha.csv", "csv", "text/csv", "vanha.csv"),
        (CSV_CP1252, "excel.txt", "csv", "text/csv", "excel.csv"),
    ],
)
def test_allowed_kinds_are_accepted(data, name, extension, content_type, original_name):
    checked = check_upload(upload(data, name), max_bytes=LIMIT)

    assert checked == CheckedUpload(
        original_name=original_name,
        extension=extension,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def test_sha256_covers_content_larger_than_one_chunk():
    data = PDF + b"x" * (200 * 1024 + 17)

    checked = check_upload(upload(data, "iso.pdf"), max_bytes=LIMIT)

    assert checked.size == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()


def test_ooxml_part_names_are_matched_case_insensitively():
    data = make_zip([("[CONTENT_TYPES].XML", b"<Types/>"), ("Word/Document.xml", b"<w/>")])

    assert check_upload(upload(data, "x.docx"), max_bytes=LIMIT).extension == "docx"


def test_csv_with_leading_blank_lines_is_accepted():
    data = b"\r\n\n  a;b\n1;2\n"

    assert check_upload(upload(data, "x.csv"), max_bytes=LIMIT).extension == "csv"


# --- Size ----------------------------------------------------------------------------------


def test_file_of_exactly_the_limit_is_accepted():
    data = PDF + b"x" * (1000 - len(PDF))

    assert check_upload(upload(data, "a.pdf"), max_bytes=1000).size == 1000


def test_oversize_file_is_refused_with_the_limit_in_the_message():
    data = PDF + b"x" * (1001 - len(PDF))

    with translation.override("en"), pytest.raises(ValidationError) as info:
        check_upload(upload(data, "a.pdf"), max_bytes=1000)

    assert info.value.code == CODE_TOO_LARGE
    with translation.override("en"):
        assert info.value.messages == ["The file is too large: the limit is 0.001 MB."]


def test_declared_size_over_the_limit_is_refused_without_reading():
    uploaded = UploadedFile(UnreadableFile(PDF), name="a.pdf", size=26 * MIB)

    with pytest.raises(ValidationError) as info:
        check_upload(uploaded, max_bytes=LIMIT)

    assert info.value.code == CODE_TOO_LARGE
    with translation.override("en"):
        assert info.value.messages == ["The file is too large: the limit is 25 MB."]


def test_limit_is_formatted_for_the_active_language():
    uploaded = UploadedFile(UnreadableFile(PDF), name="a.pdf", size=3 * MIB)

    with pytest.raises(ValidationError) as info:
        check_upload(uploaded, max_bytes=5 * MIB // 2)

    with translation.override("fi"):
        assert "2,5" in info.value.messages[0]
    with translation.override("en"):
        assert info.value.messages == ["The file is too large: the limit is 2.5 MB."]


def test_content_larger_than_a_lying_size_is_refused_after_limit_plus_one_bytes():
    data = PDF + b"x" * 5000
    counting = CountingFile(data)
    uploaded = UploadedFile(counting, name="a.pdf", size=10)

    with pytest.raises(ValidationError) as info:
        check_upload(uploaded, max_bytes=1000)

    assert info.value.code == CODE_TOO_LARGE
    assert counting.bytes_read == 1001
    assert uploaded.tell() == 0


def test_empty_file_is_refused():
    with translation.override("en"), pytest.raises(ValidationError) as info:
        check_upload(upload(b"", "tyhja.pdf"), max_bytes=LIMIT)

    assert info.value.code == CODE_EMPTY
    with translation.override("en"):
        assert info.value.messages == ["The file is empty."]


# --- Refused content -----------------------------------------------------------------------


HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)
SVG_BARE = b'<svg onload="alert(1)" xmlns="http://www.w3.org/2000/svg">a,b;c</svg>'
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x00\x00\x00\x00\x00,"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (HTML, "raportti.pdf"),
        (HTML, "raportti.csv"),
        (b"  \n<html>a,b</html>", "taulukko.csv"),
        (SVG_XML, "kuva.png"),
        (SVG_XML, "kuva.csv"),
        (SVG_BARE, "kuva.png"),
        (SVG_BARE, "kuva.csv"),
        (b"\xef\xbb\xbf\r\n" + SVG_BARE, "kuva.csv"),
        (GIF, "kuva.gif"),
        (GIF, "kuva.png"),
        (EXE, "ohjelma.pdf"),
        (b"Just some plain text without any delimiter\nsecond line, with comma\n", "a.csv"),
        (b"a,b\n\x01\x02\x03", "a.csv"),
        (b"a,b\n1,2\x00\n", "a.csv"),
        ("a,b\n1,2\n".encode("utf-16"), "a.csv"),
        (b" %PDF-1.7\n", "a.pdf"),
        (b"\x89PNG", "short.png"),
        (b"\n\t  \n", "a.csv"),
    ],
)
def test_disallowed_content_is_refused_whatever_its_name(data, name):
    uploaded = SimpleUploadedFile(name, data, content_type="application/pdf")

    with pytest.raises(ValidationError) as info:
        check_upload(uploaded, max_bytes=LIMIT)

    assert info.value.code == CODE_TYPE_NOT_ALLOWED
    with translation.override("en"):
        assert info.value.messages == [TYPE_NOT_ALLOWED]


@pytest.mark.parametrize(
    "data",
    [
        ooxml("word/document.xml", ("word/vbaProject.bin", b"\xd0\xcf\x11\xe0")),
        ooxml("xl/workbook.xml", ("xl/VBAPROJECT.BIN", b"\xd0\xcf\x11\xe0")),
        ooxml("ppt/presentation.xml", ("ppt/vbaProject.bin", b"\xd0\xcf\x11\xe0")),
    ],
    ids=["docm", "xlsm", "pptm"],
)
def test_macro_enabled_office_documents_are_refused(data):
    assert refused_code(data, "muistio.docx") == CODE_TYPE_NOT_ALLOWED


@pytest.mark.parametrize(
    "data",
    [
        make_zip([("readme.txt", b"hello"), ("data/a.csv", b"a,b\n")]),
        make_zip([("word/document.xml", b"<w/>")]),  # no [Content_Types].xml
        make_zip([("[Content_Types].xml", b"<Types/>"), ("docProps/app.xml", b"<a/>")]),
        ooxml("word/document.xml", ("xl/workbook.xml", b"<x/>")),  # two kinds at once
        odf(b"application/vnd.oasis.opendocument.graphics"),
        odf(b"application/vnd.oasis.opendocument.text\n"),
        make_zip(
            [
                ("content.xml", b"<c/>"),
                ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ]
        ),
        make_zip([("mimetype", b"application/vnd.oasis.opendocument.text" + b" " * 500)]),
        b"PK\x03\x04" + b"\x14\x00" + b"garbage" * 50,
        DOCX[: len(DOCX) // 2],
    ],
    ids=[
        "plain-zip",
        "ooxml-without-content-types",
        "ooxml-without-main-part",
        "ambiguous-ooxml",
        "odf-drawing",
        "odf-mimetype-with-newline",
        "odf-mimetype-not-first",
        "odf-mimetype-too-long",
        "corrupt-zip",
        "truncated-docx",
    ],
)
def test_other_and_corrupt_zips_are_refused(data):
    assert refused_code(data, "liite.docx") == CODE_TYPE_NOT_ALLOWED


def test_zip_with_too_many_members_is_refused():
    members = [("[Content_Types].xml", b""), ("word/document.xml", b"")]
    members += [(f"word/media/{index}.xml", b"") for index in range(10_000)]

    assert refused_code(make_zip(members), "iso.docx") == CODE_TYPE_NOT_ALLOWED


def test_zip_with_exactly_the_member_limit_is_accepted():
    members = [("[Content_Types].xml", b""), ("word/document.xml", b"")]
    members += [(f"word/media/{index}.xml", b"") for index in range(9_998)]

    checked = check_upload(upload(make_zip(members), "iso.docx"), max_bytes=LIMIT)

    assert checked.extension == "docx"


# --- Names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("THL-arvio 2026.pdf", "THL-arvio 2026.pdf"),
        ("STM \u2013 päätös.docx", "STM \u2013 päätös.docx"),
        ("Åland ärende.xlsx", "Åland ärende.xlsx"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\win.ini", "win.ini"),
        ("C:\\Users\\matti\\Desktop\\muistio.docx", "muistio.docx"),
        ("/var/www/../.htaccess", "htaccess"),
        (".htaccess", "htaccess"),
        ("raportti\x00.pdf.exe", "raportti.pdf.exe"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("a\u2066b\u2069c\u200ed\u200fe\u061cf\u200bg.pdf", "abcdefg.pdf"),
        ("a\x01b\x1fc\x7fd\r\nSet-Cookie: x.pdf", "abcdSet-Cookie_ x.pdf"),
        ('a<b>c:d"e|f?g*h;i.pdf', "a_b_c_d_e_f_g_h_i.pdf"),
        ("  THL-arvio \t  2026 .pdf", "THL-arvio 2026.pdf"),
        ("raportti .pdf. ", "raportti.pdf"),
        ("a\u0308iti.txt", "\u00e4iti.txt"),
        ("x" * 300 + ".pdf", "x" * 120 + ".pdf"),
        ("y" * 300, "y" * 120),
        ("...", "liite"),
        (". . .", "liite"),
        ("..", "liite"),
        ("", "liite"),
        ("/", "liite"),
        ("\u202e\x00", "liite"),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


def test_safe_filename_uses_the_given_fallback():
    assert safe_filename("../..", fallback="attachment") == "attachment"


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("raportti.pdf", PNG, "raportti.png"),
        ("raportti", PDF, "raportti.pdf"),
        ("raportti.PDF", PDF, "raportti.pdf"),
        ("taulukko.xls", XLSX, "taulukko.xlsx"),
        ("arkisto.tar.gz", ODT, "arkisto.tar.odt"),
        ("Budjetti 2026. Luonnos", PDF, "Budjetti 2026. Luonnos.pdf"),
        ("../../etc/passwd", PDF, "passwd.pdf"),
        ("..\\..\\win.ini", PDF, "win.pdf"),
        ("invoice\u202efdp.exe", PDF, "invoicefdp.pdf"),
        ("raportti\x00.exe", PDF, "raportti.pdf"),
        ("...", PDF, "liite.pdf"),
        (".pdf", PDF, "pdf.pdf"),
        ("x" * 300 + ".exe", PDF, "x" * 120 + ".pdf"),
    ],
)
def test_check_upload_names_the_file_by_detected_type(name, data, expected):
    assert check_upload(upload(data, name), max_bytes=LIMIT).original_name == expected


# --- File position -------------------------------------------------------------------------


def test_file_position_is_zero_after_an_accepted_upload():
    uploaded = upload(DOCX, "a.docx")
    uploaded.read(10)

    checked = check_upload(uploaded, max_bytes=LIMIT)

    assert uploaded.tell() == 0
    assert checked.sha256 == hashlib.sha256(DOCX).hexdigest()
    assert uploaded.read() == DOCX


@pytest.mark.parametrize("data", [HTML, b"PK\x03\x04garbage", PDF * 100])
def test_file_position_is_zero_after_a_refused_upload(data):
    uploaded = upload(data, "a.pdf")

    with pytest.raises(ValidationError):
        check_upload(uploaded, max_bytes=1000)

    assert uploaded.tell() == 0


# --- Storage name --------------------------------------------------------------------------


def test_storage_name_is_generated_per_call():
    checked = check_upload(upload(PDF, "../THL-arvio 2026.pdf"), max_bytes=LIMIT)

    first = storage_name(checked)
    second = storage_name(checked)

    year = timezone.now().year
    assert re.fullmatch(rf"documents/{year}/[0-9a-f]{{32}}\.pdf", first)
    assert re.fullmatch(rf"documents/{year}/[0-9a-f]{{32}}\.pdf", second)
    assert first != second


def test_storage_name_uses_the_year_from_timezone_now(monkeypatch):
    fixed = timezone.now().replace(year=2031)
    monkeypatch.setattr(timezone, "now", lambda: fixed)
    checked = CheckedUpload("a.csv", "csv", "text/csv", 3, "0" * 64)

    assert storage_name(checked).startswith("documents/2031/")
    assert storage_name(checked).endswith(".csv")


def test_storage_name_refuses_an_extension_that_was_not_detected():
    checked = CheckedUpload("a.html", "html", "text/html", 3, "0" * 64)

    with pytest.raises(ValueError, match="html"):
        storage_name(checked)


def test_error_codes_are_stable():
    assert (CODE_EMPTY, CODE_TOO_LARGE, CODE_TYPE_NOT_ALLOWED, CODE_INVALID_NAME) == (
        "empty",
        "too_large",
        "type_not_allowed",
        "invalid_name",
    )


def test_upload_spooled_to_a_temporary_file_is_checked_like_one_in_memory():
    with TemporaryUploadedFile("muistio.docx", "application/octet-stream", 0, None) as uploaded:
        uploaded.write(DOCX)
        uploaded.size = len(DOCX)

        checked = check_upload(uploaded, max_bytes=LIMIT)

        assert checked.extension == "docx"
        assert checked.sha256 == hashlib.sha256(DOCX).hexdigest()
        assert uploaded.tell() == 0
