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


def phone(written: str) -> Phone:
    """A listing's phone number, ready for a tap-to-call link."""
    written = (written or "").strip()
    extension = _EXTENSION.search(written)
    number = written[: extension.start()] if extension else written
    digits = re.sub(r"\D", "", number)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) == 10:
        href = f"tel:+1-{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    elif len(digits) == 3 and digits.endswith("11"):  # 211, 311, 911
        href = f"tel:{digits}"
    else:
        return Phone(written, "")
    if extension:
        href += f";ext={extension[1]}"
    return Phone(written, href)
