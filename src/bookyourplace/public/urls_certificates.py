"""The public certificates pages (included by public/urls.py, in its namespace)."""

from django.urls import path

from bookyourplace.public import certificate_views

urlpatterns = [
    path("booking/<str:token>/certificate.pdf", certificate_views.download, name="certificate"),
    path("certificates/", certificate_views.lookup, name="certificate_lookup"),
    path("certificates/<str:code>/", certificate_views.verify, name="certificate_verify"),
]
