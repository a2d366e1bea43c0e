"""The project's URL map plus `/__hello__/`: the cheapest response through the same middleware stack.

The benchmark compares every page with it, so the project itself never gains a benchmark-only URL."""

from django.http import HttpResponse
from django.urls import path

from bangfu import urls as project_urls


def hello(request):
    """A constant answer: no template, no database, only Django's request/response cycle and middleware."""
    return HttpResponse("hello", content_type="text/plain; charset=utf-8")


urlpatterns = [path("__hello__/", hello, name="bench-hello"), *project_urls.urlpatterns]

handler404 = project_urls.handler404
handler403 = project_urls.handler403
handler500 = project_urls.handler500
