"""{% programme_source programme as source %}: the flyer a programme was imported from, if any,
for the line on the programme's page. The file itself is not loaded: only its download is."""

from django import template

from bookyourplace.programmes.importing import PASTED_FILE_NAME
from bookyourplace.programmes.models import ProgrammeSource

register = template.Library()


@register.simple_tag
def programme_source(programme) -> ProgrammeSource | None:
    source = ProgrammeSource.objects.filter(programme=programme).defer("content").select_related("imported_by").first()
    if source is not None:
        source.pasted = source.file_name == PASTED_FILE_NAME
    return source
