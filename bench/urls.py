"""The project's URLs with the baselines in front, under /bench-baseline/."""

from django.urls import include, path

from bookyourplace.urls import handler500, urlpatterns as project_urlpatterns  # noqa: F401

urlpatterns = [
    path("bench-baseline/", include("bench.baselines.urls")),
    *project_urlpatterns,
]
