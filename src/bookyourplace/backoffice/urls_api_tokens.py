"""API tokens and the integrations page (included by backoffice/urls.py, in its namespace):
/backoffice/integrations/..."""

from django.urls import path

from bookyourplace.backoffice.views import api_tokens

urlpatterns: list = [
    path("integrations/", api_tokens.integrations, name="integrations"),
    path("integrations/api-tokens/new/", api_tokens.api_token_new, name="api_token_new"),
    path("integrations/api-tokens/<id:token_id>/revoke/", api_tokens.api_token_revoke, name="api_token_revoke"),
]
