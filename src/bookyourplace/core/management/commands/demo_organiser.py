import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the demo organiser account (once) and print its login."

    def handle(self, *args, **options):
        password_file = settings.VAR_DIR / "organiser-password"
        User = get_user_model()
        user = User.objects.filter(username="organiser").first()
        if user is None or not password_file.exists():
            password = secrets.token_urlsafe(12)
            user = user or User(username="organiser", email="organiser@example.org")
            user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
            password_file.write_text(password)
            password_file.chmod(0o600)
        self.stdout.write(f"username 'organiser', password '{password_file.read_text().strip()}'")
