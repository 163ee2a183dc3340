"""A program's phone number as a person dials it: a `tel:` address (RFC 3966) that keeps an
extension apart (`tel:+1-626-797-1124;ext=116`), and the number as it is shown."""

import re
from dataclasses import dataclass

# "x116", "ext. 116", "extension 116", "ext 116", "#116" at the end of the number.
_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension|#)\s*(\d+)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Phone:
    shown: str  # as the listing gives it: "626-797-1124 x116"
    href: str  # "tel:+1-626-797-1124;ext=116"; "" when it is not a number one can dial


def digits(written: str) -> str:
    """A US number's ten digits (no country code, no extension), or its digits as written
    when it is not one: "+1 (323) 555-0199 ext. 12" is 3235550199."""
    written = written or ""
    extension = _EXTENSION.search(written)
    number = re.sub(r"\D", "", written[: extension.start()] if extension else written)
    return number[1:] if len(number) == 11 and number.startswith("1") else number


def phone(written: str) -> Phone:
    """A listing's phone number, ready for a tap-to-call link."""
    written = (written or "").strip()
    extension = _EXTENSION.search(written)
    number = digits(written)
    if len(number) == 10:
        href = f"tel:+1-{number[:3]}-{number[3:6]}-{number[6:]}"
    elif len(number) == 3 and number.endswith("11"):  # 211, 311, 911
        href = f"tel:{number}"
    else:
        return Phone(written, "")
    if extension:
        href += f";ext={extension[1]}"
    return Phone(written, href)
