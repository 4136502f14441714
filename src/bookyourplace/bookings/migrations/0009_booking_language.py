from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0008_own_record_sign_in_links"),
    ]

    operations = [
        migrations.AddField(
            model_name="booking",
            name="language",
            field=models.CharField(default="en-gb", editable=False, max_length=10, verbose_name="language"),
        ),
    ]
