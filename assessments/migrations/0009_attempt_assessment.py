import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_assessment(apps, schema_editor):
    Attempt = apps.get_model("assessments", "Attempt")
    Invitation = apps.get_model("recruiting", "Invitation")
    Attempt.objects.update(
        assessment_id=Subquery(
            Invitation.objects.filter(pk=OuterRef("invitation_id")).values("assessment_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0008_attempt_prepared"),
        ("recruiting", "0005_candidate_newest_and_invitation_status_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="attempt",
            name="assessment",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="attempts",
                to="assessments.assessment",
            ),
        ),
        migrations.RunPython(copy_assessment, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="attempt",
            name="assessment",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="attempts",
                to="assessments.assessment",
            ),
        ),
        migrations.AddIndex(
            model_name="attempt",
            index=models.Index(
                fields=["assessment", "state", "score_percent"],
                name="assessments_att_results_idx",
            ),
        ),
    ]
