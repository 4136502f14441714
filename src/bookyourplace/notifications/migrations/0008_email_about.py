"""Delivery knows no bookings: an email names what it is about (a content type and an id)
instead of holding a foreign key to a booking, and its kind is the queuing app's word."""

from django.db import migrations, models


def about_from_booking(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Email = apps.get_model("notifications", "Email")
    booking_type, _ = ContentType.objects.get_or_create(app_label="bookings", model="booking")
    Email.objects.update(about_type=booking_type, about_id=models.F("booking_id"))


def booking_from_about(apps, schema_editor):
    Email = apps.get_model("notifications", "Email")
    Email.objects.update(booking_id=models.F("about_id"))


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("bookings", "0005_booking_email_hold"),
        ("notifications", "0007_email_kind_confirmation"),
    ]

    operations = [
        migrations.AddField(
            model_name="email",
            name="about_type",
            field=models.ForeignKey(
                null=True, on_delete=models.deletion.CASCADE, related_name="+", to="contenttypes.contenttype"
            ),
        ),
        migrations.AddField(
            model_name="email",
            name="about_id",
            field=models.PositiveBigIntegerField(null=True),
        ),
        migrations.AlterField(
            model_name="email",
            name="booking",
            field=models.ForeignKey(
                null=True, on_delete=models.deletion.CASCADE, related_name="emails", to="bookings.booking"
            ),
        ),
        migrations.RunPython(about_from_booking, booking_from_about),
        migrations.RemoveField(model_name="email", name="booking"),
        migrations.AlterField(
            model_name="email",
            name="about_type",
            field=models.ForeignKey(on_delete=models.deletion.CASCADE, related_name="+", to="contenttypes.contenttype"),
        ),
        migrations.AlterField(
            model_name="email",
            name="about_id",
            field=models.PositiveBigIntegerField(),
        ),
        migrations.AlterField(
            model_name="email",
            name="kind",
            field=models.CharField(max_length=30),
        ),
        migrations.AddIndex(
            model_name="email",
            index=models.Index(fields=["about_type", "about_id"], name="email_about"),
        ),
    ]
