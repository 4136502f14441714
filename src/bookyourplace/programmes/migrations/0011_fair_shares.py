import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0010_organiser_email_and_retention_defaults"),
    ]

    operations = [
        migrations.AddField(
            model_name="programme",
            name="fair_share_cap",
            field=models.PositiveSmallIntegerField(
                blank=True,
                null=True,
                validators=[django.core.validators.MinValueValidator(1)],
                verbose_name="places per organisation on each session",
            ),
        ),
    ]
