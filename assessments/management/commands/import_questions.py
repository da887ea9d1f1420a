import json

from django.core.management.base import BaseCommand, CommandError

from assessments.services import QuestionError, bank_import


class Command(BaseCommand):
    help = (
        "Import a question bank JSON file into the global library. Nothing is imported "
        "when any question is invalid; each error is reported with its position."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        try:
            report = bank_import(data=data)
        except QuestionError as error:
            raise CommandError("\n".join(["Nothing was imported:", *error.errors])) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported: {report.created} created, {report.updated} updated, "
                f"{report.unchanged} unchanged."
            )
        )
