from assessments.models import Question
from assessments.services import bank_import


def make_question(slug="q-one", skill="sql", **overrides):
    """Import one question through the same path as the shipped library."""
    item = {
        "slug": slug,
        "skill": skill,
        "difficulty": 2,
        "type": "single_choice",
        "prompt": "Which clause filters groups?",
        "explanation": "HAVING filters after grouping.",
        "choices": [
            {"text": "WHERE", "correct": False},
            {"text": "HAVING", "correct": True},
            {"text": "ORDER BY", "correct": False},
        ],
        **overrides,
    }
    bank_import(data={"format": "yardstick-questions/1", "questions": [item]})
    return Question.objects.filter(slug=slug).order_by("-version").first()
