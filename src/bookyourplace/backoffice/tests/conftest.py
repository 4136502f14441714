# pytest_plugins may only be set in the root conftest, so the browser fixtures are imported.
from bookyourplace.public.tests.browser import browser, page  # noqa: F401
