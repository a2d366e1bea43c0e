"""Middleware of the platform's own."""

from django.shortcuts import render


class MethodNotAllowedPageMiddleware:
    """Django answers a wrong method (`require_POST`, a class-based view) with an empty 405: a visitor who opens
    a POST-only address in the browser sees a blank page. Pages get the Chinese 405 page instead, with the same
    status and Allow header; the API (`/api/`) keeps its own JSON answers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or request.path.startswith("/api/") or _has_body(response):
            return response
        page = render(request, "405.html", status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page


def _has_body(response) -> bool:
    return getattr(response, "streaming", False) or bool(response.content)
