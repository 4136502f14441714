"""The back office's register pages (included by backoffice/urls.py, in its namespace): the
sign-in sheet to print, the live register at the door, and who came."""

from django.urls import path

from bookyourplace.backoffice.views import attendance, register

urlpatterns = [
    # The paper sign-in sheet: the one people sign, and the organiser's copy with access needs.
    path("sessions/<id:session_id>/sign-in-sheet.pdf", register.sign_in_sheet, name="sign_in_sheet"),
    path(
        "sessions/<id:session_id>/sign-in-sheet-organiser.pdf",
        register.sign_in_sheet,
        {"organiser_copy": True},
        name="sign_in_sheet_organiser",
    ),
    # The live register on a phone or tablet.
    path("sessions/<id:session_id>/register/", register.live_register, name="register"),
    path("sessions/<id:session_id>/register/tick/", register.tick, name="register_tick"),
    path("sessions/<id:session_id>/register/walk-in/", register.add_walk_in, name="register_walk_in"),
    path(
        "sessions/<id:session_id>/register/walk-in/<id:walk_in_id>/remove/",
        register.remove_walk_in,
        name="register_walk_in_remove",
    ),
    # Who came: every outcome, corrections, and the email to the no-shows.
    path("sessions/<id:session_id>/attendance/", attendance.attendance_page, name="attendance"),
    path("sessions/<id:session_id>/attendance/<id:booking_id>/", attendance.set_attendance, name="attendance_set"),
    path("sessions/<id:session_id>/attendance/no-show-emails/", attendance.no_show_emails, name="no_show_emails"),
]
