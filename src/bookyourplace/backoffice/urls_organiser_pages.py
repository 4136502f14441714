from django.urls import path

from bookyourplace.backoffice.views import organiser_pages

urlpatterns = [
    path("organiser/privacy-notice/", organiser_pages.privacy_notice_edit, name="privacy_notice_edit"),
    path(
        "organiser/accessibility-statement/",
        organiser_pages.accessibility_statement_edit,
        name="accessibility_statement_edit",
    ),
]
