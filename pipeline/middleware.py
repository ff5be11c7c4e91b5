"""Refusing an oversized upload before anything reads its body.

Django's CSRF check reads ``request.POST`` of every form post, which spools a
multipart body to disk in full; this middleware answers 413 from the declared
``Content-Length`` first. Wire it in ``MIDDLEWARE`` after
``AuthenticationMiddleware`` (its page needs the user; its check still runs
before the CSRF check, which happens in the view phase):
``"pipeline.middleware.UploadLimitMiddleware"``.
The API checks the header itself as well, and the pages and the API check the
received file's size, so the limit holds without it too; it only saves the
server from receiving a body it will refuse.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from pipeline.services.uploads import UploadTooLarge, check_content_length

BODY_METHODS = ("POST", "PUT", "PATCH")


class UploadLimitMiddleware:
    """413 for any request whose declared body is over ``settings.ATLAS_MAX_UPLOAD_BYTES``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in BODY_METHODS:
            try:
                check_content_length(request.META)
            except UploadTooLarge as exc:
                return too_large_response(request, exc)
        return self.get_response(request)


def too_large_response(request: HttpRequest, exc: UploadTooLarge) -> HttpResponse:
    """JSON for the API, the Upload page's problem fragment for HTMX, a short page otherwise."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": str(exc)}, status=413)
    context = {"message": str(exc)}
    if request.headers.get("HX-Request") == "true":
        return render(request, "pipeline/partials/upload_problem.html", context, status=413)
    return render(request, "pipeline/upload_too_large.html", context, status=413)
