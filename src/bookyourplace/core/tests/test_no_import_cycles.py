"""No module imports one that (directly or through others) imports it back.

import-linter's contracts keep the apps in their layers; this keeps the modules inside an app
from leaning on each other in circles, the shape that inline imports used to hide."""

import grimp


def test_no_module_of_the_service_is_part_of_an_import_cycle():
    graph = grimp.build_graph("bookyourplace")
    modules = {m for m in graph.modules if ".tests" not in m and ".migrations" not in m}
    cycles = sorted(
        {
            tuple(sorted((importer, imported)))
            for importer in modules
            for imported in graph.find_modules_directly_imported_by(importer) & modules
            if graph.chain_exists(importer=imported, imported=importer)
        }
    )

    assert cycles == []
