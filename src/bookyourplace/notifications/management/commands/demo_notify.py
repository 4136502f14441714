from pathlib import Path

from django.core.management.base import BaseCommand

from bookyourplace.notifications.testing import FakeNotify

# Fixed, so the settings printed stay right for every `make run` (a demo, never a real service).
SERVICE_ID = "6a6f7c3e-0d1b-4f7a-9c1e-2b8d5e4f0a11"
SECRET = "9b2e4c6a-1f3d-4e8b-a7c5-3d9f1e2b4c6a"
EMAIL_TEMPLATE = "1d7c2a9e-5b3f-4c8d-9e1a-6f2b7c3d8e4a"
TEXT_TEMPLATE = "4e8a1c5b-9d2f-4a6e-8b3c-7d1e5f9a2b6c"


class Command(BaseCommand):
    help = "Run a fake GOV.UK Notify on loopback for the demo: what it accepts is written to a folder."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8767)
        parser.add_argument("--folder", default="var/notify")

    def handle(self, *args, port, folder, **options):
        fake = FakeNotify(
            service_id=SERVICE_ID,
            secret=SECRET,
            templates={EMAIL_TEMPLATE, TEXT_TEMPLATE},
            port=port,
            keep_in=Path(folder),
        )
        fake.keep_in.mkdir(parents=True, exist_ok=True)
        (fake.keep_in / "settings.txt").write_text(
            "The demo's GOV.UK Notify (a fake on this machine): in the back office, Settings > Email sending\n"
            f"API key:                    {fake.api_key}\n"
            f"Template for every email:   {EMAIL_TEMPLATE}\n"
            f"Template for text messages: {TEXT_TEMPLATE}\n"
            f"What it sends is written to {fake.keep_in}/ as files.\n"
        )
        self.stdout.write(f"Fake GOV.UK Notify at {fake.url}", ending="\n")
        self.stdout.flush()
        fake._thread.join()
