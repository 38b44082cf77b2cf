# Several monthly reviews a year (Decision 24/2021/QĐ-TTg art. 3.1(b)): one periodic review a
# list year, any number of monthly ones with one open at a time; transitions one per decision.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('households', '0004_trigram_search_indexes'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='review',
            name='households_review_unique_year',
        ),
        migrations.RemoveConstraint(
            model_name='statuschange',
            name='households_statuschange_unique',
        ),
        migrations.AddConstraint(
            model_name='review',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'periodic')), fields=('household', 'list_year'), name='households_review_unique_periodic_year'),
        ),
        migrations.AddConstraint(
            model_name='review',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'monthly'), models.Q(('status__in', ['recognised', 'refused']), _negated=True)), fields=('household',), name='households_review_one_open_monthly'),
        ),
        migrations.AddConstraint(
            model_name='statuschange',
            constraint=models.UniqueConstraint(condition=models.Q(('decision__isnull', True)), fields=('household', 'list_year', 'kind'), name='households_statuschange_unique'),
        ),
        migrations.AddConstraint(
            model_name='statuschange',
            constraint=models.UniqueConstraint(condition=models.Q(('decision__isnull', False)), fields=('household', 'decision', 'kind'), name='households_statuschange_unique_decision'),
        ),
    ]
