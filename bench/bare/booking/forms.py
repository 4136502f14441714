from django import forms


class BookingForm(forms.Form):
    email = forms.EmailField()
