"""The site's URLs with the test module's one include, and the API built again with the module installed."""

from django.urls import include, path

from bangfu import urls as site
from bangfu.api.api import build_api

urlpatterns = [
    path("kernel/", include("tests.kernel_module.urls")),
    path("api/", build_api().urls),
    *site.urlpatterns,
]
handler404 = site.handler404
handler403 = site.handler403
handler500 = site.handler500
