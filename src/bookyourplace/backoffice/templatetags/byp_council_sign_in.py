"""The sign-in page's "Sign in with <provider>" buttons, one for each council sign-in set up."""

from django import template

from bookyourplace.accounts.models import SignInProvider

register = template.Library()


@register.inclusion_tag("backoffice/council_sign_in/_buttons.html")
def council_sign_in_buttons(next_url=""):
    return {"providers": list(SignInProvider.objects.only("pk", "name")), "next": next_url}
