from django.db import migrations, models

from bookyourplace.bookings.fair_shares import organisation_key


def key_existing_bookings(apps, schema_editor):
    """Bookings made before fair shares count against their organisation too."""
    Booking = apps.get_model("bookings", "Booking")
    changed = []
    for booking in Booking.objects.only("pk", "email", "organisation").iterator(chunk_size=2000):
        booking.organisation_key = organisation_key(booking.email, booking.organisation)
        changed.append(booking)
        if len(changed) == 2000:
            Booking.objects.bulk_update(changed, ["organisation_key"])
            changed = []
    Booking.objects.bulk_update(changed, ["organisation_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0008_own_record_sign_in_links"),
    ]

    operations = [
        migrations.AddField(
            model_name="booking",
            name="organisation_key",
            field=models.CharField(blank=True, default="", editable=False, max_length=260),
        ),
        migrations.AddField(
            model_name="booking",
            name="fair_share_waiting",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddIndex(
            model_name="booking",
            index=models.Index(fields=["session", "organisation_key"], name="booking_session_organisation"),
        ),
        migrations.RunPython(key_existing_bookings, migrations.RunPython.noop),
    ]
