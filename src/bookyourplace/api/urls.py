"""/api/: the documentation page, the API itself, and problem JSON for any other address."""

from django.urls import path, re_path

from bookyourplace.api import docs
from bookyourplace.api.endpoints import api
from bookyourplace.api.problems import not_found

urlpatterns = [
    path("docs", docs.page, name="api_docs"),
    path("", api.urls),
    re_path(r"^.*$", not_found),
]
