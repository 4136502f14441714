"""The rate limit counter itself (core/rate_limits.py); the limits on real requests are tested
in public/tests/test_rate_limits.py and backoffice/tests/test_password_reset_limits.py."""

import ast
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest

from bookyourplace.core import rate_limits
from bookyourplace.core.rate_limits import Rate, hit, parse

SRC = Path(__file__).resolve().parents[3]


def test_rates_are_read_as_written():
    assert parse("120/10s, 1000/10m") == (Rate(120, 10), Rate(1000, 600))
    assert parse("20/h") == (Rate(20, 3600),)
    assert parse("50/1d") == (Rate(50, 86400),)
    assert parse("0") == parse("off") == parse("") == ()


@pytest.mark.parametrize("text", ["120", "ten/1m", "5/1w", "5/-1m"])
def test_a_rate_written_wrong_is_an_error_not_no_limit(text):
    with pytest.raises(ValueError, match="Not a rate limit"):
        parse(text)


def test_a_burst_is_refused_until_enough_of_it_has_slid_out(rate_limits_on, settings):
    settings.BYP_RATE_LIMITS = {**settings.BYP_RATE_LIMITS, "booking_per_address": "10/10s"}
    assert [hit("booking_per_address", "192.0.2.1") for _ in range(10)] == [0] * 10
    wait = hit("booking_per_address", "192.0.2.1")
    assert wait > 0

    rate_limits_on.advance(wait - 1)
    assert hit("booking_per_address", "192.0.2.1") > 0  # too soon
    rate_limits_on.advance(30)
    assert hit("booking_per_address", "192.0.2.1") == 0
    assert hit("booking_per_address", "192.0.2.2") == 0  # another address was never held up


def test_a_window_edge_does_not_let_twice_the_number_through(rate_limits_on, settings):
    settings.BYP_RATE_LIMITS = {**settings.BYP_RATE_LIMITS, "booking_per_address": "10/10s"}
    rate_limits_on.now = 1_800_000_009.5  # half a second before a window ends
    allowed = 0
    for _ in range(40):  # 40 attempts in the second around the edge
        allowed += hit("booking_per_address", "192.0.2.1") == 0
        rate_limits_on.advance(1 / 40)
    assert allowed <= 11


def test_the_wait_is_told_in_whole_seconds_until_one_more_would_pass(rate_limits_on, settings):
    settings.BYP_RATE_LIMITS = {**settings.BYP_RATE_LIMITS, "booking_per_email": "2/1m"}
    rate_limits_on.now = 1_800_000_000.0 + 60 * 100 + 15  # a quarter into a minute
    hit("booking_per_email", "sam@example.org")
    hit("booking_per_email", "sam@example.org")
    wait = hit("booking_per_email", "sam@example.org")
    # Two counted (the refused one is not): one more passes when 2 x (1 - g) + 1 <= 2, g half
    # way into the next minute: 45 s to this minute's end, then 30 s.
    assert wait == 75
    rate_limits_on.advance(wait)
    assert hit("booking_per_email", "sam@example.org") == 0


def test_refused_attempts_do_not_push_the_wait_further_off(rate_limits_on, settings):
    # Anyone can type another person's address: retrying, theirs or a stranger's, must not keep
    # that person waiting longer than one window.
    settings.BYP_RATE_LIMITS = {**settings.BYP_RATE_LIMITS, "booking_per_email": "2/10m"}
    rate_limits_on.now = 1_800_000_000.0 + 600 * 100
    hit("booking_per_email", "sam@example.org")
    hit("booking_per_email", "sam@example.org")
    first_wait = hit("booking_per_email", "sam@example.org")
    for _ in range(50):
        rate_limits_on.advance(1)
        assert 0 < hit("booking_per_email", "sam@example.org") <= first_wait
    rate_limits_on.advance(first_wait - 50)
    assert hit("booking_per_email", "sam@example.org") == 0


def test_email_addresses_count_alike_whatever_their_case(rate_limits_on, settings):
    settings.BYP_RATE_LIMITS = {**settings.BYP_RATE_LIMITS, "booking_per_email": "1/1h"}
    assert hit("booking_per_email", "Sam.Patel@NHS.net") == 0
    assert hit("booking_per_email", " sam.patel@nhs.net ") > 0


def test_no_key_and_switched_off_count_nothing(rate_limits_on, settings):
    settings.BYP_RATE_LIMITS = {**settings.BYP_RATE_LIMITS, "booking_per_email": "0/1h"}
    assert hit("booking_per_email", "") == 0
    assert hit("booking_per_email", None) == 0
    assert hit("booking_per_email", "x@example.org") > 0
    settings.BYP_RATE_LIMITS_ENABLED = False
    assert hit("booking_per_email", "x@example.org") == 0


def test_a_cache_that_cannot_be_reached_lets_requests_through(rate_limits_on, settings, caplog):
    settings.BYP_RATE_LIMITS = {**settings.BYP_RATE_LIMITS, "booking_per_email": "0/1h"}
    broken = mock.Mock(add=mock.Mock(side_effect=ConnectionError("redis is down")))
    with mock.patch.object(rate_limits, "caches", {"rate_limits": broken}):
        assert hit("booking_per_email", "x@example.org") == 0
    assert "not checked" in caplog.text


def production_setting(script: str, **env_overrides) -> str:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "DEBUG", "BYP_TESTING", "DATABASE_URL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bookyourplace.settings",
        SECRET_KEY="production-like-secret-key-for-this-check-only-0123456789",
        PYTHONPATH=str(SRC),
        **env_overrides,
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout.strip()


def test_production_has_the_limits_on_and_byp_rate_limits_0_switches_them_off():
    script = "import django; django.setup()\nfrom django.conf import settings\nprint(settings.BYP_RATE_LIMITS_ENABLED)"
    assert production_setting(script) == "True"
    assert production_setting(script, BYP_RATE_LIMITS="0") == "False"


def test_behind_proxy_still_means_one_trusted_proxy():
    script = "import django; django.setup()\nfrom django.conf import settings\nprint(settings.TRUSTED_PROXY_COUNT)"
    assert production_setting(script) == "0"
    assert production_setting(script, BEHIND_PROXY="1") == "1"
    assert production_setting(script, TRUSTED_PROXIES="2") == "2"


def test_the_rate_limits_import_no_domain_app_and_no_face():
    tree = ast.parse(Path(rate_limits.__file__).read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not {name for name in imported if name.startswith("bookyourplace")}
