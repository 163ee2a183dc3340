"""Tap-to-call addresses (RFC 3966): an extension is dialled after the call connects."""

import pytest

from programs.phones import phone


@pytest.mark.parametrize(
    "written, href",
    [
        ("626-797-1124 x116", "tel:+1-626-797-1124;ext=116"),
        ("(626) 797-1124 ext. 116", "tel:+1-626-797-1124;ext=116"),
        ("626.797.1124 extension 7", "tel:+1-626-797-1124;ext=7"),
        ("+1 626 797 1124", "tel:+1-626-797-1124"),
        ("1-800-662-4357", "tel:+1-800-662-4357"),
        ("211", "tel:211"),
        ("call the front desk", ""),
        ("", ""),
    ],
)
def test_a_listing_phone_becomes_a_number_one_can_dial(written, href):
    assert phone(written).href == href
    assert phone(written).shown == written.strip()
