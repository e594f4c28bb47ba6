"""Checking and naming of uploaded background material.

The type of an upload is decided from its content, never from its name or the browser's
Content-Type header: both are chosen by the uploader, and a file that claims to be a PDF is
later downloaded by officials of other organisations. An HTML or SVG file let through as a
"PDF" or "CSV" would be a stored cross-site scripting vector, and a macro-enabled Office file
is a common way to deliver malware.

The uploader's file name is kept only for display: it is shown to other users and put into
the Content-Disposition header of downloads, so it is cleaned of path parts, control and bidi
characters (an "invoice\u202efdp.exe" must not look like a PDF) and header-breaking
characters. The stored file gets a generated name, and its sha256 is recorded so that a copy
can later be shown to be the one that was uploaded.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
import uuid
import zipfile
import zlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

CODE_EMPTY = "empty"
CODE_TOO_LARGE = "too_large"
CODE_TYPE_NOT_ALLOWED = "type_not_allowed"
# Not raised by check_upload, which falls back to a default name; kept for callers that
# validate a user-given name themselves.
CODE_INVALID_NAME = "invalid_name"

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "png": "image/png",
    "jpg": "image/jpeg",
    "csv": "text/csv",
}

MESSAGES = {
    CODE_EMPTY: _("The file is empty."),
    CODE_TOO_LARGE: _("The file is too large: the limit is %(limit)s MB."),
    CODE_TYPE_NOT_ALLOWED: _(
        "The file type is not allowed. Allowed: PDF, Word, Excel, PowerPoint, OpenDocument, "
        "PNG, JPEG and CSV."
    ),
    CODE_INVALID_NAME: _("The file name is not valid."),
}

MAX_STEM_LENGTH = 120
MAX_ZIP_MEMBERS = 10_000

_MIB = 1024 * 1024
_CHUNK_SIZE = 64 * 1024
# Enough for every signature and for the first line of any sensible CSV header.
_HEAD_SIZE = 64 * 1024

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_SIGNATURE = b"\xff\xd8\xff"
_PDF_SIGNATURE = b"%PDF-"
_ZIP_SIGNATURE = b"PK\x03\x04"

# OPC part names are case-insensitive, so members are compared in lower case.
_OOXML_MAIN_PARTS = {
    "word/document.xml": "docx",
    "xl/workbook.xml": "xlsx",
    "ppt/presentation.xml": "pptx",
}
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}
_ODF_MIMETYPE_MAX = max(len(m) for m in _ODF_MIMETYPES)
# A damaged or hostile archive may fail in any of these ways; all of them mean "not allowed".
# RuntimeError is an encrypted member, NotImplementedError an unknown compression method.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
)

# C0 controls other than tab, LF and CR do not occur in real CSV exports but do in binaries.
_BINARY_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CSV_DELIMITERS = (",", ";", "\t")
_LEADING_SPACE_OR_BOM = re.compile(r"^[\s\ufeff]+")

# Reserved on Windows or in a Content-Disposition parameter; ";" would end the parameter.
_UNSAFE_NAME_CHARS = re.compile(r'[<>:"/\\|?*;]')
_PATH_SEPARATORS = re.compile(r"[/\\]")
_MAX_EXTENSION_LENGTH = 16


@dataclass(frozen=True)
class CheckedUpload:
    original_name: str
    extension: str
    content_type: str
    size: int
    sha256: str


def safe_filename(name: str, *, fallback: str = "liite") -> str:
    """Return a display name that is safe to show and to put into Content-Disposition.

    The fallback is returned as is, so it must already be safe.
    """
    stem, extension = _split_extension(_clean_name(name))
    if not stem:
        return fallback
    return f"{stem}.{extension}" if extension else stem


def check_upload(uploaded_file, *, max_bytes: int) -> CheckedUpload:
    """Check an uploaded file by its content; raise ValidationError if it is refused.

    The file position is at 0 afterwards, whether the file was accepted or not.
    """
    declared_size = getattr(uploaded_file, "size", None)
    if declared_size is not None and declared_size > max_bytes:
        raise _too_large(max_bytes)
    try:
        scan = _scan(uploaded_file, max_bytes)
        if scan.size == 0:
            raise _error(CODE_EMPTY)
        extension = _sniff(uploaded_file, scan)
    finally:
        uploaded_file.seek(0)

    stem, _old_extension = _split_extension(safe_filename(uploaded_file.name or ""))
    return CheckedUpload(
        original_name=f"{stem}.{extension}",
        extension=extension,
        content_type=CONTENT_TYPES[extension],
        size=scan.size,
        sha256=scan.sha256,
    )


def storage_name(checked: CheckedUpload) -> str:
    """Return a new, unguessable storage path for a checked upload."""
    if checked.extension not in CONTENT_TYPES:
        # CheckedUpload can be built by hand; never let an unchecked extension reach storage.
        raise ValueError(f"Extension not allowed: {checked.extension!r}")
    return f"documents/{timezone.now().year}/{uuid.uuid4().hex}.{checked.extension}"


# --- Names -------------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    name = _PATH_SEPARATORS.split(str(name or ""))[-1]
    # Cc covers NUL and other controls, Cf the bidi overrides and zero-width characters that
    # can disguise an extension, Cs lone surrogates that cannot be encoded into a header.
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf", "Cs"})
    name = unicodedata.normalize("NFC", name)
    name = _UNSAFE_NAME_CHARS.sub("_", name)
    name = " ".join(name.split())
    # A leading dot would make a hidden file or a relative path; trailing dots and spaces are
    # dropped by Windows when the file is saved.
    return name.strip(". ")


def _split_extension(name: str) -> tuple[str, str]:
    stem, _dot, extension = name.rpartition(".")
    stem = stem.rstrip(". ")
    # "Budget 2026. Final" has no extension; only a short word after the last dot counts.
    if not stem or not extension or len(extension) > _MAX_EXTENSION_LENGTH or " " in extension:
        stem, extension = name, ""
    stem = stem[:MAX_STEM_LENGTH].rstrip(". ")
    return stem, extension


# --- Content -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scan:
    size: int
    sha256: str
    head: bytes
    text_encoding: str | None  # "utf-8" or "cp1252" if the content could be CSV text


def _scan(uploaded_file, max_bytes: int) -> _Scan:
    """Read the content once: size, hash, the first bytes and whether it is plausible text."""
    digest = hashlib.sha256()
    utf8 = codecs.getincrementaldecoder("utf-8")()
    is_utf8 = True
    has_binary_controls = False
    head = b""
    size = 0

    uploaded_file.seek(0)
    while True:
        # Never read past max_bytes + 1: the declared size may be wrong.
        chunk = uploaded_file.read(min(_CHUNK_SIZE, max_bytes + 1 - size))
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(max_bytes)
        digest.update(chunk)
        if len(head) < _HEAD_SIZE:
            head += chunk[: _HEAD_SIZE - len(head)]
        if not has_binary_controls:
            has_binary_controls = _BINARY_CONTROL_BYTES.search(chunk) is not None
        if is_utf8 and not has_binary_controls:
            try:
                utf8.decode(chunk)
            except UnicodeDecodeError:
                is_utf8 = False
    if is_utf8:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            is_utf8 = False

    if has_binary_controls:
        text_encoding = None
    elif is_utf8:
        text_encoding = "utf-8"
    else:
        text_encoding = "cp1252"
    return _Scan(size, digest.hexdigest(), head, text_encoding)


def _sniff(uploaded_file, scan: _Scan) -> str:
    head = scan.head
    if head.startswith(_PDF_SIGNATURE):
        return "pdf"
    if head.startswith(_PNG_SIGNATURE):
        return "png"
    if head.startswith(_JPEG_SIGNATURE):
        return "jpg"
    if head.startswith(_ZIP_SIGNATURE):
        extension = _sniff_zip(uploaded_file)
    else:
        extension = "csv" if _looks_like_csv(head, scan.text_encoding) else None
    if extension is None:
        raise _error(CODE_TYPE_NOT_ALLOWED)
    return extension


def _sniff_zip(uploaded_file) -> str | None:
    uploaded_file.seek(0)
    try:
        # ZipFile reads only the central directory here; members are never extracted, apart
        # from the few bytes of an ODF "mimetype" member.
        with zipfile.ZipFile(uploaded_file) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                return None
            names = {member.filename.lower() for member in members}
            if any(name.endswith("vbaproject.bin") for name in names):
                return None
            found = []
            if "[content_types].xml" in names:
                found += [ext for part, ext in _OOXML_MAIN_PARTS.items() if part in names]
            odf = _odf_extension(archive, members[0]) if members else None
            if odf:
                found.append(odf)
    except _ZIP_ERRORS:
        return None
    # A zip that looks like two kinds at once is not something an office suite writes.
    return found[0] if len(found) == 1 else None


def _odf_extension(archive: zipfile.ZipFile, first: zipfile.ZipInfo) -> str | None:
    if first.filename != "mimetype" or first.file_size > _ODF_MIMETYPE_MAX:
        return None
    with archive.open(first) as member:
        mimetype = member.read(_ODF_MIMETYPE_MAX + 1)
    return _ODF_MIMETYPES.get(mimetype)


def _looks_like_csv(head: bytes, encoding: str | None) -> bool:
    if encoding is None or b"\x00" in head:
        return False
    # The whole content was validated in _scan; "ignore" only drops a character cut in two at
    # the end of the head. cp1252 leaves five bytes undefined, which latin-1 accepts.
    try:
        text = head.decode(encoding, errors="ignore" if encoding == "utf-8" else "strict")
    except UnicodeDecodeError:
        text = head.decode("latin-1")
    text = _LEADING_SPACE_OR_BOM.sub("", text)
    # Markup renamed to .csv (HTML, SVG, XML) would be rendered by a browser that sniffs it.
    if not text or text.startswith("<"):
        return False
    first_line = text.splitlines()[0]
    return any(delimiter in first_line for delimiter in _CSV_DELIMITERS)


# --- Errors ------------------------------------------------------------------------------


def _error(code: str, params: dict | None = None) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params)


def _too_large(max_bytes: int) -> ValidationError:
    # Lazy like the message, so "2.5" / "2,5" follows the language the error is shown in.
    return _error(CODE_TOO_LARGE, {"limit": _lazy_megabytes(max_bytes)})


def _format_megabytes(size: int) -> str:
    megabytes = size / _MIB
    if megabytes.is_integer():
        return number_format(int(megabytes))
    # Show enough decimals that a small limit does not read as "0 MB".
    decimals = 1
    while round(megabytes, decimals) == 0 and decimals < 6:
        decimals += 1
    return number_format(round(megabytes, decimals), decimal_pos=decimals)


_lazy_megabytes = lazy(_format_megabytes, str)


# A file part whose header is not UTF-8 (a file name in Latin-1 or CP-1252 from an old
# client) is dropped whole by Django's multipart parser, so the form only saw "this field
# is required". The bytes did arrive: a body much larger than the fields it carried means
# a file was sent and its name could not be read.
_PART_OVERHEAD = 200
_LOST_FILE_MARGIN = 512


def file_part_lost(request, field: str = "file") -> bool:
    if field in request.FILES or request.content_type != "multipart/form-data":
        return False
    sent = int(request.META.get("CONTENT_LENGTH") or 0)
    fields = sum(
        len(key.encode()) + sum(len(v.encode()) for v in values) + _PART_OVERHEAD
        for key, values in request.POST.lists()
    )
    return sent > fields + _LOST_FILE_MARGIN


def explain_lost_file(request, form, field: str = "file") -> None:
    """Replace "this field is required" by the reason when the file's name was unreadable."""
    if field in form.errors and file_part_lost(request, field):
        form.errors[field] = form.error_class(
            [
                _(
                    "The file's name could not be read (it is not in UTF-8). "
                    "Rename the file with ordinary letters and upload it again."
                )
            ]
        )
