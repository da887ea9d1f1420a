from collections import Counter

from django.core.management.base import BaseCommand
from django.db.models import Count

from assessments.models import Difficulty, Question


class Command(BaseCommand):
    help = "Print the drawable global question bank's counts by skill, difficulty and type."

    def handle(self, *args, **options):
        rows = (
            Question.objects.global_library()
            .drawable()
            .values("skill__name", "difficulty", "type")
            .annotate(n=Count("pk"))
            .order_by()
        )
        by_skill: dict[str, Counter] = {}
        by_type: Counter = Counter()
        total = 0
        for row in rows:
            by_skill.setdefault(row["skill__name"], Counter())[row["difficulty"]] += row["n"]
            by_type[row["type"]] += row["n"]
            total += row["n"]
        levels = [str(label) for _value, label in Difficulty.choices]
        self.stdout.write(f"| skill | {' | '.join(levels)} | total |")
        self.stdout.write("|---" * (len(levels) + 2) + "|")
        for skill in sorted(by_skill):
            counts = [by_skill[skill][value] for value, _label in Difficulty.choices]
            self.stdout.write(f"| {skill} | {' | '.join(map(str, counts))} | {sum(counts)} |")
        self.stdout.write("")
        self.stdout.write("| type | count | share |")
        self.stdout.write("|---|---|---|")
        for value, label in Question.Type.choices:
            share = by_type[value] / total if total else 0
            self.stdout.write(f"| {label} | {by_type[value]} | {share:.0%} |")
        self.stdout.write(f"\nPublished questions: {total}")
