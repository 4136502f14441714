import subprocess
import sys

from bookyourplace.core.colours import contrast_with_white
from bookyourplace.core.testing import ROOT, production_env


def manage(*args, **extra_env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=production_env(**extra_env),
        capture_output=True,
        text=True,
    )


def test_production_settings_pass_the_deployment_checklist():
    result = manage("check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", SECRET_KEY="")

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_contrast_of_white_text_on_brand_colours():
    assert round(contrast_with_white("#000000"), 1) == 21.0
    assert round(contrast_with_white("#767676"), 2) == 4.54  # the best-known AA borderline grey
    assert contrast_with_white("#ffdd00") < 4.5  # yellow header text would be unreadable
    assert contrast_with_white("not a colour") == 0.0
