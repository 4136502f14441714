"""Download the bookings of a session or a whole programme as CSV or Excel."""

import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache

from bookyourplace.accounts import permissions
from bookyourplace.backoffice.access import programme_for, require, session_for, staff_required
from bookyourplace.privacy.services import actor_for
from bookyourplace.programmes.questions import questions_for, questions_of_programme
from bookyourplace.reports import exports

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Small workbooks are built in memory; a big programme's spills to a temporary file.
XLSX_IN_MEMORY_BYTES = 10 * 1024 * 1024


@staff_required
@never_cache
def export_session(request, session_id, file_format):
    session = session_for(request, session_id)
    programme = session.programme
    require(permissions.can_export_personal_data(request.user, programme=programme))
    exports.record_export(actor=actor_for(request), programme=programme, session=session, file_format=file_format)
    bookings = exports.bookings_of_session(session)
    return _download(
        exports.booking_rows(bookings, questions=exports.question_columns(bookings, questions_for(session))),
        exports.export_filename(programme=programme, session=session, extension=file_format),
        file_format,
    )


@staff_required
@never_cache
def export_programme(request, programme_id, file_format):
    programme = programme_for(request, programme_id)
    require(permissions.can_export_personal_data(request.user, programme=programme))
    exports.record_export(actor=actor_for(request), programme=programme, file_format=file_format)
    bookings = exports.bookings_of_programme(programme)
    return _download(
        exports.booking_rows(bookings, questions=exports.question_columns(bookings, questions_of_programme(programme))),
        exports.export_filename(programme=programme, extension=file_format),
        file_format,
    )


def _download(rows, filename: str, file_format: str):
    if file_format == "csv":
        response = StreamingHttpResponse(exports.csv_stream(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
    workbook = tempfile.SpooledTemporaryFile(max_size=XLSX_IN_MEMORY_BYTES)
    exports.write_xlsx(rows, file=workbook)
    workbook.seek(0)
    return FileResponse(workbook, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
