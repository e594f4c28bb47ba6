"""Input no layer can store is removed before any view sees it."""

from django.http import QueryDict


def _without_nul(query: QueryDict) -> QueryDict | None:
    if not any("\x00" in key or any("\x00" in v for v in values) for key, values in query.lists()):
        return None
    clean = QueryDict(mutable=True)
    for key, values in query.lists():
        clean.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
    clean._mutable = False
    return clean


class StripNulMiddleware:
    """PostgreSQL text cannot hold NUL (0x00): a NUL typed or tampered into any field
    (a withdrawal reason read straight from the POST, participant names, a search) was a
    DataError and a 500. It carries no meaning in text, so it is dropped here, once, for
    every form and every raw read of the POST, rather than field by field. GET is left
    alone: a NUL in an address is a tampered link, answered 404 by the views that read it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and (clean := _without_nul(request.POST)) is not None:
            request.POST = clean
        return self.get_response(request)
