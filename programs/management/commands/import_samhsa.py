import json as _json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from iopfinder.long_statements import long_statements
from programs import imports, levels, samhsa, samhsa_files
from programs.models import Program


class Command(BaseCommand):
    help = (
        "Import SAMHSA's listings: the National Directory workbooks (.xlsx, substance use and "
        "mental health), the locator's Download CSV or its flattened export. One program per "
        "level of care (IOP, PHP, outpatient) each facility offers; a facility in several "
        "files is one listing. Re-running updates in place."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", type=Path, metavar="FILE", help=_("SAMHSA files to import.")
        )
        parser.add_argument(
            "--as-draft",
            action="store_true",
            help=_("Create new programs as drafts instead of publishing them."),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Check the files and report what would change, without writing anything."),
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help=_("End the output with one line of JSON: the counts of the import."),
        )

    @long_statements()
    def handle(self, *, paths, as_draft, dry_run, json: bool, verbosity, **options):
        sources = []
        for path in paths:
            try:
                sources.append(samhsa_files.Source(path.name, path.read_bytes()))
            except OSError as error:
                raise CommandError(
                    _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
                ) from error
        try:
            parsed = samhsa_files.read_files(sources)
        except samhsa.InvalidFile as invalid:
            raise CommandError(self._problems_report(paths, invalid.problems)) from invalid

        summary = imports.import_samhsa(
            parsed=parsed,
            status=Program.Status.DRAFT if as_draft else Program.Status.PUBLISHED,
            dry_run=dry_run,
            on_progress=ProgressBar(self.stderr) if verbosity > 0 else None,
        )
        if verbosity > 0:
            self.stdout.write(self._summary_report(summary))
        if json:
            self.stdout.write(_json.dumps(summary.as_json()))

    def _problems_report(self, paths, problems) -> str:
        lines = [
            _("%(path)s was not imported, and nothing was written. Fix these lines and run again:")
            % {"path": ", ".join(str(path) for path in paths)}
        ]
        for problem in problems:
            where = _("Line %(line)s: %(problem)s") % {
                "line": problem.line,
                "problem": _(problem.message) % problem.params,
            }
            lines.append(f"{problem.file}: {where}" if len(paths) > 1 else where)
        return "\n".join(lines)

    def _summary_report(self, summary: imports.ImportSummary) -> str:
        counts = {
            "created": sum(summary.created.values()),
            "updated": sum(summary.updated.values()),
            "unchanged": sum(summary.unchanged.values()),
        }
        lines = [
            _("Read %(rows)s rows: %(facilities)s facilities, %(duplicates)s duplicates merged.")
            % {
                "rows": summary.rows,
                "facilities": summary.facilities,
                "duplicates": summary.duplicates,
            },
            _("Skipped %(skipped)s facilities that offer none of the levels of care listed here.")
            % {"skipped": summary.skipped},
            _("Programs: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % counts,
        ]
        for level in (*reversed(levels.LEVEL_ORDER), *levels.MORE_CARE):
            if level in levels.MORE_CARE and not summary.total(level):
                continue
            lines.append(
                _("  %(level)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
                % {
                    "level": Program.LevelOfCare(level).label,
                    "created": summary.created[level],
                    "updated": summary.updated[level],
                    "unchanged": summary.unchanged[level],
                }
            )
        if summary.dry_run:
            lines.append(_("Dry run: nothing was written."))
        return "\n".join(lines)


class ProgressBar:
    """A progress bar on the error stream: redrawn in place on a terminal, every 10% in a log."""

    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream
        self.in_place = stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        steps = 50 if self.in_place else 10
        if done != total and done % max(1, total // steps):
            return
        filled = self.WIDTH * done // total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        label = _("%(done)s of %(total)s facilities") % {"done": done, "total": total}
        if self.in_place:
            self.stream.write(f"\r[{bar}] {label}", ending="\n" if done == total else "")
            self.stream.flush()
        else:
            self.stream.write(f"[{bar}] {label}")
