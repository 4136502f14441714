from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0003_programme_approval_mode_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="programme",
            name="page_version",
            field=models.PositiveBigIntegerField(default=0, editable=False),
        ),
    ]
