from django.db import models


class Session(models.Model):
    capacity = models.PositiveIntegerField()

    def __str__(self):
        return f"Session {self.pk}"


class Booking(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="bookings")
    email = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Booking {self.pk} for {self.email}"
