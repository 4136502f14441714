"""The project's URLs with the baselines in front, under /bench-baseline/."""

from django.urls import include, path

from bookyourplace.urls import handler500  # noqa: F401
from bookyourplace.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("bench-baseline/", include("bench.baselines.urls")),
    *project_urlpatterns,
]
