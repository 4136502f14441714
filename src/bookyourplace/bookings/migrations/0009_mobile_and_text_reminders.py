from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0008_own_record_sign_in_links"),
    ]

    operations = [
        migrations.AddField(
            model_name="booking",
            name="mobile_number",
            field=models.CharField(blank=True, max_length=20, verbose_name="mobile number"),
        ),
        migrations.AddField(
            model_name="booking",
            name="text_reminder_wanted",
            field=models.BooleanField(default=False, verbose_name="text me a reminder the day before"),
        ),
    ]
