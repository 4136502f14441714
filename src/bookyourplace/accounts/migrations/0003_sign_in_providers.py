# Council sign-in (issue 18): each organisation's own OpenID Connect providers.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_api_tokens"),
        ("programmes", "0009_import_sources_and_questions"),
    ]

    operations = [
        migrations.CreateModel(
            name="SignInProvider",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, verbose_name="name on the sign-in button")),
                ("issuer", models.URLField(max_length=500, verbose_name="issuer URL")),
                ("client_id", models.CharField(max_length=255, verbose_name="client ID")),
                ("client_secret", models.CharField(max_length=500)),
                ("email_domains", models.TextField(blank=True, verbose_name="email domains allowed")),
                ("groups_claim", models.CharField(default="groups", max_length=100, verbose_name="groups claim")),
                ("group_roles", models.TextField(blank=True, verbose_name="groups and roles")),
                ("allow_assigned_roles", models.BooleanField(default=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "organiser",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sign_in_providers",
                        to="programmes.organiser",
                    ),
                ),
            ],
            options={
                "ordering": ["name", "id"],
            },
        ),
    ]
