from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("records", "0002_guards_and_search")]

    operations = [
        migrations.AddField(
            model_name="historicalrecord",
            name="subject",
            field=models.CharField(
                default="", help_text="OSL 5:2 description.", max_length=500,
                verbose_name="subject",
            ),
            preserve_default=False,
        ),
    ]
