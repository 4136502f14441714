"""The tests' own rule for what cannot run here: skipped on a developer's machine, a failure
on CI, where PostgreSQL, the browser and their tools must be present."""

import pytest

from bookyourplace.core.testing import unavailable


def test_unavailable_fails_the_test_on_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")

    with pytest.raises(pytest.fail.Exception, match="CI=true needs this test to run: Chromium is not installed"):
        unavailable("Chromium is not installed")


@pytest.mark.parametrize("ci", [None, "false", ""])
def test_unavailable_skips_the_test_elsewhere(monkeypatch, ci):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)

    with pytest.raises(pytest.skip.Exception, match="Chromium is not installed"):
        unavailable("Chromium is not installed")
