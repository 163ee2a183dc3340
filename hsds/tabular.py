"""HSDS's tabular form: one CSV file per HSDS table and a datapackage.json describing them
(the Frictionless Data Package HSDS publishes its schema as).

The tables and their columns are HSDS's own, read from its compiled schemas
(hsds/schemas/service.json and organization.json) into resources.json beside this file by
`resources_of`; tests/hsds/test_tabular.py checks the two still agree.
"""

import csv
import io
import json
import zipfile
from functools import cache
from pathlib import Path

from hsds import taxonomy as tx

RESOURCES_FILE = Path(__file__).with_name("resources.json")
SCALAR = ("string", "number", "integer", "boolean")


def resources_of(*schemas: dict) -> dict:
    """From compiled HSDS schemas: {"tables": {name: {path, fields, required}},
    "children": {table: {property: child table}}}, every table the schemas nest."""
    tables, children = {}, {}

    def visit(node):
        name = node["name"]
        if name in tables:
            return
        fields, links = [], {}
        tables[name] = {"path": node["path"], "fields": fields}
        for prop, spec in node["properties"].items():
            if spec.get("type") == "array" and spec["items"].get("type") == "object":
                links[prop] = spec["items"]["name"]
                visit(spec["items"])
            elif spec.get("type") == "object":
                links[prop] = spec["name"]
                visit(spec)
            else:
                field = {"name": prop, "type": spec.get("datapackage_type", spec["type"])}
                if spec.get("format") in ("uuid", "uri", "email"):
                    field["format"] = spec["format"]
                fields.append(field)
        required = set(node.get("required", [])) | set(node.get("tabular_required") or [])
        tables[name]["required"] = sorted(required - set(links))
        children[name] = links

    for schema in schemas:
        visit(schema)
    return {"tables": tables, "children": children}


@cache
def resources() -> dict:
    return json.loads(RESOURCES_FILE.read_text())


def flatten(services: list[dict]) -> dict[str, dict[str, dict]]:
    """Nested HSDS services -> {table name: {id: row}}, each record once, plus every
    taxonomy and term (a partner gets the whole vocabulary)."""
    described = resources()
    tables: dict[str, dict[str, dict]] = {}

    def visit(record: dict, table: str):
        links = described["children"][table]
        columns = {field["name"] for field in described["tables"][table]["fields"]}
        tables.setdefault(table, {})[record["id"]] = {
            key: value for key, value in record.items() if key in columns
        }
        for key, value in record.items():
            if key in links:
                for item in value if isinstance(value, list) else [value]:
                    visit(item, links[key])

    for service in services:
        visit(service, "service")
    for taxonomy in tx.TAXONOMIES.values():
        visit(tx.taxonomy_json(taxonomy), "taxonomy")
        for slug in taxonomy.terms:
            visit(tx.term_json(taxonomy, slug, detail=False), "taxonomy_term")
    return tables


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def csv_text(table: str, rows: dict[str, dict]) -> str:
    fields = [field["name"] for field in resources()["tables"][table]["fields"]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(fields)
    for row in rows.values():
        writer.writerow([_cell(row.get(name)) for name in fields])
    return out.getvalue()


LICENCES = [
    {
        "name": "CC-BY-4.0",
        "title": "Creative Commons Attribution 4.0 (our curated additions)",
        "path": "https://creativecommons.org/licenses/by/4.0/",
    },
    {
        "name": "other-pd",
        "title": "Public domain (facts from SAMHSA's National Directories, a US government work)",
    },
]


def datapackage(tables: dict[str, dict], *, created: str) -> dict:
    described = resources()["tables"]
    return {
        "profile": "tabular-data-package",
        "name": "iopfinder-hsds",
        "title": "IOP Finder: published treatment programs as Open Referral HSDS 3.0",
        "version": "3.0",
        "created": created,
        "licenses": LICENCES,
        "sources": [
            {
                "title": "SAMHSA National Directories of substance use and mental health "
                "treatment facilities, 2023"
            },
            {"title": "IOP Finder curators, programs' own updates and recovery guides' calls"},
        ],
        "resources": [
            {
                "name": described[table]["path"].removesuffix(".csv"),
                "path": described[table]["path"],
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": described[table]["fields"],
                    "primaryKey": "id",
                    "missingValues": [""],
                },
            }
            for table in tables
        ],
    }


def write_zip(services: list[dict], *, created: str) -> bytes:
    tables = flatten(services)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(datapackage(tables, created=created)))
        for table, rows in tables.items():
            archive.writestr(resources()["tables"][table]["path"], csv_text(table, rows))
    return buffer.getvalue()


def _typed(value: str, kind: str):
    if value == "":
        return None
    if kind in ("number", "integer"):
        number = float(value)
        return int(number) if number.is_integer() else number
    return value


def read_zip(file) -> dict[str, list[dict]]:
    """A datapackage zip -> {table name: rows}, typed as its datapackage.json says."""
    by_path = {spec["path"]: name for name, spec in resources()["tables"].items()}
    tables = {}
    with zipfile.ZipFile(file) as archive:
        package = json.loads(archive.read("datapackage.json"))
        for resource in package["resources"]:
            kinds = {field["name"]: field["type"] for field in resource["schema"]["fields"]}
            text = archive.read(resource["path"]).decode("utf-8")
            tables[by_path[resource["path"]]] = [
                {name: _typed(value, kinds.get(name, "string")) for name, value in row.items()}
                for row in csv.DictReader(io.StringIO(text))
            ]
    return tables
