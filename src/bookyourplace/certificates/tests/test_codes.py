import re

import pytest

from bookyourplace.certificates import codes


def test_a_new_code_is_ten_characters_that_cannot_be_misread():
    for _ in range(200):
        code = codes.new_code()
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{10}", code), code


def test_new_codes_are_random():
    assert len({codes.new_code() for _ in range(1000)}) == 1000


def test_a_code_is_shown_in_groups():
    assert codes.grouped("7K3M9QXD2F") == "7K3M-9QXD-2F"


@pytest.mark.parametrize(
    "typed",
    ["7K3M-9QXD-2F", "7k3m-9qxd-2f", "7K3M9QXD2F", " 7K3M 9QXD 2F ", "7k3m–9qxd–2f", "7K3M-9QXD-2-F"],
)
def test_a_typed_code_is_read_in_any_case_with_or_without_dashes_and_spaces(typed):
    assert codes.normalise(typed) == "7K3M9QXD2F"


def test_letters_that_look_like_digits_are_read_as_the_digits():
    assert codes.normalise("O1IL-0000-00") == "0111000000"


@pytest.mark.parametrize("typed", ["", "7K3M-9QXD", "7K3M-9QXD-2F9", "7K3M-9QXD-2U", "7K3M-9QXD-2!", "<script>"])
def test_what_cannot_be_a_code_is_refused(typed):
    assert codes.normalise(typed) is None
