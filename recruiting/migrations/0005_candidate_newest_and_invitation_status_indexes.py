from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("recruiting", "0004_dashboard_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="candidate",
            index=models.Index(
                fields=["organization", "-created_at", "-id"], name="recruiting_cand_newest_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="invitation",
            index=models.Index(fields=["assessment", "status"], name="recruiting_inv_status_idx"),
        ),
    ]
