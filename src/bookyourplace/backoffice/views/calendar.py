"""The programme's "Share and embed" page: the calendar feed and the code for a website."""

from django.shortcuts import render

from bookyourplace.backoffice.access import programme_for, staff_required
from bookyourplace.programmes.sharing import sharing


@staff_required
def programme_share(request, programme_id):
    # Anyone who may see the programme: everything on the page is public once it is published.
    programme = programme_for(request, programme_id)
    return render(request, "backoffice/programme_share.html", {"programme": programme, "share": sharing(programme)})
