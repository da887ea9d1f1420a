import json

from django.core.management.base import BaseCommand

from assessments.models import Question
from assessments.services import bank_export


class Command(BaseCommand):
    help = "Export the global question bank (newest version of each question) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")
        parser.add_argument("--skill", action="append", help="Only these skill slugs.")

    def handle(self, *args, output=None, skill=None, **options):
        questions = Question.objects.global_library().latest_versions()
        if skill:
            questions = questions.filter(skill__slug__in=skill)
        text = json.dumps(bank_export(questions), indent=2, ensure_ascii=False) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"Wrote {questions.count()} questions to {output}.")
        else:
            self.stdout.write(text, ending="")
