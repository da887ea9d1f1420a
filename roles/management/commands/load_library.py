from django.core.management.base import BaseCommand, CommandError

from roles.services import LibraryError, LoadReport, library_load


class Command(BaseCommand):
    help = (
        "Load the shipped role library from the repository. Safe to run again: "
        "it creates what is missing, updates what the loader wrote before, and "
        "keeps rows that staff edited in admin unless --overwrite is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace edits made in admin with the shipped content.",
        )

    def handle(self, *args, overwrite=False, **options):
        report = LoadReport()
        try:
            library_load(overwrite=overwrite, report=report)
        except LibraryError as error:
            raise CommandError(str(error)) from error
        for line in report.lines():
            self.stdout.write(line)
        kept = report.total("kept")
        if kept:
            self.stdout.write(
                self.style.WARNING(
                    f"{kept} row(s) edited in admin were kept; use --overwrite to replace them."
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Library loaded: {report.total('created')} created, "
                f"{report.total('updated')} updated."
            )
        )
