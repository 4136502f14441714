import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bookyourplace.accounts.models import Role, StaffMember
from bookyourplace.programmes.models import Organiser

DEMO_EMAIL = "organiser@coventry.example"


class Command(BaseCommand):
    help = "Create the demo organiser's back-office account (once) and print its login."

    def handle(self, *args, **options):
        organiser = Organiser.objects.filter(slug="coventry").first()
        if organiser is None:
            raise CommandError("Load the demo first: manage.py load_demo")
        password_file = settings.VAR_DIR / "organiser-password"
        User = get_user_model()
        user = User.objects.filter(username=DEMO_EMAIL).first()
        if user is None or not password_file.exists():
            password = secrets.token_urlsafe(12)
            user = user or User(username=DEMO_EMAIL, email=DEMO_EMAIL, first_name="Demo", last_name="Organiser")
            # Also a superuser, so the demo can show Django's admin too.
            user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
            password_file.write_text(password)
            password_file.chmod(0o600)
        StaffMember.objects.update_or_create(user=user, defaults={"organiser": organiser, "role": Role.ADMINISTRATOR})
        self.stdout.write(f"email '{DEMO_EMAIL}', password '{password_file.read_text().strip()}'")
