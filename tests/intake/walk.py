"""Drive the self-screen form the way a browser without JavaScript would."""

from html.parser import HTMLParser

SCREENING = "/screening/"


class _Page(HTMLParser):
    """Collects the screening form's fields, and every link and form target on the page."""

    def __init__(self):
        super().__init__()
        self.in_screening_form = False
        self.hidden: list[tuple[str, str]] = []
        self.asked: list[str] = []
        self.checked: dict[str, list[str]] = {}
        self.targets: list[str] = []
        self.rel: dict[str, str] = {}  # a link's rel attribute, by its href
        self.has_screening_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "href" in attrs:
            self.targets.append(attrs["href"])
            self.rel[attrs["href"]] = attrs.get("rel", "")
        if tag == "form":
            self.targets.append(attrs.get("action", ""))
            self.in_screening_form = attrs.get("action") == SCREENING
            self.has_screening_form |= self.in_screening_form
        if tag == "input" and self.in_screening_form:
            kind, name = attrs.get("type"), attrs.get("name")
            if kind == "hidden" and name != "csrfmiddlewaretoken":
                self.hidden.append((name, attrs.get("value", "")))
            elif kind in {"radio", "checkbox", "text"}:
                if name not in self.asked:
                    self.asked.append(name)
                if "checked" in attrs:
                    self.checked.setdefault(name, []).append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_screening_form = False


def parse(response) -> _Page:
    page = _Page()
    page.feed(response.content.decode())
    return page


def submit(client, response, answers: dict, action: str = "next"):
    """Answer the questions the page asks (from `answers`) and press a button."""
    page = parse(response)
    data: dict[str, list[str]] = {}
    for name, value in page.hidden:
        data.setdefault(name, []).append(value)
    for key in page.asked:
        if key in answers:
            value = answers[key]
            data[key] = value if isinstance(value, list) else [value]
    data["action"] = [action]
    return client.post(SCREENING, data)


def walk(client, answers: dict):
    """Every step from the first, answering from `answers`; returns (final response, steps)."""
    response = client.get(SCREENING)
    seen = []
    while parse(response).has_screening_form and parse(response).asked:
        seen.append(parse(response).asked)
        response = submit(client, response, answers)
        assert response.status_code == 200
        if seen.count(parse(response).asked) > 1:  # the same step again: an error
            break
    return response, seen
