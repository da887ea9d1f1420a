from django.db import migrations, models


def store_shares(apps, schema_editor):
    # Question statistics now read these instead of computing them from every
    # response on each run; fill them for the attempts already submitted.
    from assessments.statistics import response_shares_store

    Attempt = apps.get_model("assessments", "Attempt")
    response_shares_store(Attempt.objects.filter(state="submitted"))


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0009_attempt_assessment"),
    ]

    operations = [
        migrations.AddField(
            model_name="response",
            name="rest_share",
            field=models.FloatField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="response",
            name="score_share",
            field=models.FloatField(blank=True, editable=False, null=True),
        ),
        # Backwards, the columns go and nothing needs undoing.
        migrations.RunPython(store_shares, migrations.RunPython.noop),
    ]
