"""Stored files (uploads, protocol PDFs) served as downloads, the same way everywhere."""

from django.http import FileResponse, Http404, HttpResponseNotModified


def stored_file_response(
    request, file, *, filename: str, content_type: str, cache_control: str, sha256: str = ""
):
    """`file` as an attachment that is never sniffed as another type. With `sha256`, it is
    the ETag and a request that has the file already gets a 304. A file missing from
    storage (removed a moment ago, or not yet in object storage) is gone, not broken: 404."""
    etag = f'"{sha256}"' if sha256 else None
    if etag and request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified(headers={"ETag": etag, "Cache-Control": cache_control})
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    if etag:
        response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache_control
    return response
