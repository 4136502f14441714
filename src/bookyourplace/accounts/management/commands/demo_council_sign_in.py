from django.core.management.base import BaseCommand, CommandError

from bookyourplace.accounts import sign_in_providers
from bookyourplace.accounts.models import SignInProvider
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes.models import Organiser

DEMO_PROVIDER_NAME = "Coventry City Council account (demo)"
# Who the demo council's provider offers (scripts/run-dev.sh passes the same): one person per
# way council sign-in can go.
DEMO_PEOPLE = {
    "sam.jones@coventry.example": "prevent-administrators",  # a new account, made an administrator
    "alex.khan@coventry.example": "prevent-organisers",  # a new account, made an organiser
    "pat.lee@coventry.example": "",  # in no mapped group and given no role: refused
}
GROUP_ROLES = "prevent-administrators = administrator\nprevent-organisers = organiser\n"


class Command(BaseCommand):
    help = "Give the demo organiser a council sign-in through the local test provider `make run` starts."

    def add_arguments(self, parser):
        parser.add_argument("--issuer", default="http://127.0.0.1:8765")

    def handle(self, *args, issuer, **options):
        # The test provider's fixed client; it runs on loopback only.
        from bookyourplace.core.testing.oidc_provider import CLIENT_ID, CLIENT_SECRET

        organiser = Organiser.objects.filter(slug="coventry").first()
        if organiser is None:
            raise CommandError("Load the demo first: manage.py load_demo")
        details = {
            "name": DEMO_PROVIDER_NAME,
            "issuer": issuer,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "email_domains": "coventry.example",
            "groups_claim": "groups",
            "group_roles": GROUP_ROLES,
            "allow_assigned_roles": True,
        }
        actor = Actor(label="demo set-up")
        provider = SignInProvider.objects.filter(organiser=organiser, name=DEMO_PROVIDER_NAME).first()
        if provider is None:
            sign_in_providers.add_provider(organiser=organiser, actor=actor, **details)
        else:
            sign_in_providers.change_provider(provider=provider, actor=actor, **details)
        people = " ".join(f"--person {email}={groups}" for email, groups in DEMO_PEOPLE.items())
        self.stdout.write(people)
