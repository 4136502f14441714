"""Webhooks (included by backoffice/urls.py, in its namespace): /backoffice/integrations/webhooks/..."""

from django.urls import path

from bookyourplace.backoffice.views import webhooks

urlpatterns = [
    path("integrations/webhooks/", webhooks.webhooks, name="webhooks"),
    path("integrations/webhooks/new/", webhooks.webhook_new, name="webhook_new"),
    path("integrations/webhooks/<id:endpoint_id>/", webhooks.webhook, name="webhook"),
    path("integrations/webhooks/<id:endpoint_id>/edit/", webhooks.webhook_edit, name="webhook_edit"),
    path("integrations/webhooks/<id:endpoint_id>/secret/", webhooks.webhook_secret, name="webhook_secret"),
    path("integrations/webhooks/<id:endpoint_id>/remove/", webhooks.webhook_remove, name="webhook_remove"),
    path("integrations/webhooks/<id:endpoint_id>/test/", webhooks.webhook_test, name="webhook_test"),
    path(
        "integrations/webhooks/<id:endpoint_id>/messages/<id:delivery_id>/",
        webhooks.webhook_delivery,
        name="webhook_delivery",
    ),
    path(
        "integrations/webhooks/<id:endpoint_id>/messages/<id:delivery_id>/resend/",
        webhooks.webhook_resend,
        name="webhook_resend",
    ),
]
