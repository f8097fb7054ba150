import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from clausier.legal import services
from clausier.legal.models import LegalRate
from clausier.legal.selectors import legal_rate_table
from clausier.rules.interest import LegalRateTable

# The service's field names, as the options that carry them.
OPTIONS = {"decree_date": "decree-date", "journal_reference": "journal"}


class Command(BaseCommand):
    help = (
        "The legal interest rate table (C. mon. fin. L313-2). 'add' records the rates of a "
        "period as the Journal officiel published them; 'list' prints the table in force, "
        "the periods shipped with clausier and those staff added."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        add = commands.add_parser(
            "add", help="record the rates of a period (or correct a period staff entered)"
        )
        add.add_argument("--period", required=True, help="2026-S2 (a semester) or 2014 (a year)")
        add.add_argument(
            "--professional",
            required=True,
            help="rate in %% for a creditor acting as a professional ('tous les autres cas')",
        )
        add.add_argument(
            "--consumer",
            help="rate in %% for a creditor who is a natural person (defaults to --professional "
            "for a year before 2015)",
        )
        add.add_argument(
            "--decree-date",
            dest="decree_date",
            help="date of the arrêté that fixes the rates, YYYY-MM-DD (with --journal)",
        )
        add.add_argument(
            "--journal",
            dest="journal_reference",
            default="",
            help="its Journal officiel reference: « JORF n° 0148 du 27 juin 2026, texte n° 36 »",
        )
        add.add_argument(
            "--source",
            default="",
            help="the source as a text, « Arrêté du … (JO du …) » (else made of --decree-date "
            "and --journal); a rate is never recorded without its source",
        )
        commands.add_parser("list", help="print the table in force")

    def handle(self, *args, action, **options):
        if action == "add":
            return self._add(**options)
        return self._list()

    def _add(self, *, period, professional, consumer, source, decree_date, journal_reference, **_):
        if consumer is None and "S" not in period.upper():
            consumer = professional  # one rate a year until 2014
        try:
            row = services.record_legal_rate(
                period=period,
                professional=professional,
                consumer=consumer,
                source=source,
                decree_date=decree_date,
                journal_reference=journal_reference,
                by=f"clausier legal_rate ({getpass.getuser()})",
            )
        except ValidationError as exc:
            problems = "; ".join(
                f"--{OPTIONS.get(field, field)}: {' '.join(messages)}"
                for field, messages in exc.message_dict.items()
            )
            raise CommandError(problems) from None
        self.stdout.write(
            f"{row.period.label} : {row.professional} % (professionnel) / {row.consumer} % "
            f"(particulier), source « {row.source} »"
        )

    def _list(self):
        shipped = {(p.start, p.end) for p in LegalRateTable.default().periods}
        entered = {(r.period.start, r.period.end): r for r in LegalRate.objects.all()}
        in_force = legal_rate_table().periods
        self.stdout.write("période   professionnel  particulier  origine — source")
        for period in in_force:
            key = (period.start, period.end)
            row = entered.get(key)
            if key in shipped:
                origin = "tableau livré"
            else:
                origin = f"saisi par {row.recorded_by_label}, le {row.updated_at:%d/%m/%Y}"
            self.stdout.write(
                f"{period.label:<9} {period.professionnel * 100:>11.2f} %  "
                f"{period.particulier * 100:>9.2f} %  {origin} — {period.source}"
            )
        used = {(p.start, p.end) for p in in_force}
        for key, row in entered.items():
            if key not in used:
                self.stdout.write(
                    f"{row.period.label:<9} ignoré : la période laisse un trou dans le tableau"
                )
        last = in_force[-1]
        self.stdout.write(
            f"Le tableau s'arrête à {last.label} (au {last.end:%d/%m/%Y}) : une date au-delà "
            "n'a pas de taux légal tant que la période suivante n'est pas saisie."
        )
