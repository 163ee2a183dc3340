"""The documents behind the product's rules and facts (../shared/seeds/), named once.

Code, tests and the screening API cite a document by its file name; people reading a page
see its title (../shared/README.md, "How the product names the source documents"). Titles
stay in the documents' own language, English, as a citation does. No Django imports.
"""

SEED_000 = "000_610a7fd06c2793d8.txt"
SEED_001 = "001_ebe16e7093303e8b.txt"
SEED_002 = "002_636f85149ec5727d.txt"
SEED_003 = "003_6f45defad1b00d45.txt"
SEED_004 = "004_f68ac018188a8944.txt"

TITLES = {
    SEED_000: "What Is Intensive Outpatient Treatment?",
    SEED_001: "What Is An Intensive Outpatient Program (IOP)?",
    SEED_002: "What Makes Intensive Outpatient Programs (IOP) Effective?",
    SEED_003: "What Is an Intensive Outpatient Program (IOP)? How does IOP work",
    SEED_004: "What Is Intensive Outpatient Therapy?",
}

# A fact resting on several documents cites them in one text, as the screening API does.
SEPARATOR = ", "


def cite(*file_names: str) -> str:
    """The source of a fact resting on these documents, as code and the API cite it."""
    return SEPARATOR.join(file_names)


def titles(source: str) -> str:
    """A source as code cites it ("000_….txt, 003_….txt") -> what a page shows.

    Other text, such as the screen's "Safety convention: 988, 911", is shown as it is.
    """
    file_names = source.split(SEPARATOR)
    if all(name in TITLES for name in file_names):
        return "; ".join(TITLES[name] for name in file_names)
    return source
