from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessments.services import QuestionError, question_bank_load
from roles.services import LibraryError, LoadReport, library_load


class Command(BaseCommand):
    help = (
        "Load the shipped role library and question bank from the repository. Safe to "
        "run again: it creates what is missing, updates what the loader wrote before, "
        "and keeps rows that staff edited in admin unless --overwrite is given."
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
            with transaction.atomic():
                library_load(overwrite=overwrite, report=report)
                questions = question_bank_load(overwrite=overwrite)
        except LibraryError as error:
            raise CommandError(str(error)) from error
        except QuestionError as error:
            raise CommandError(
                "\n".join(["The question bank has errors:", *error.errors])
            ) from error
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(
            f"questions: {questions.created} created, {questions.updated} updated, "
            f"{questions.unchanged} unchanged, {questions.kept} kept"
        )
        kept = report.total("kept") + questions.kept
        if kept:
            self.stdout.write(
                self.style.WARNING(
                    f"{kept} row(s) edited in admin were kept; use --overwrite to replace them."
                )
            )
        created = report.total("created") + questions.created
        updated = report.total("updated") + questions.updated
        self.stdout.write(
            self.style.SUCCESS(f"Library loaded: {created} created, {updated} updated.")
        )
