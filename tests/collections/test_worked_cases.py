"""Late interest and the recovery indemnity, worked by hand (seed 002 art. 6, C. com. L441-10,
C. civ. 1231-6, C. conso. L212-1).

Each case gives an invoice's late-payment facts, the sums that settled it and a day, and the
figures owed that day, every one worked out in the comment above it. The common invoice:
1 000,00 HT + 20 % VAT = 1 200,00 TTC, issued Thursday 15 January 2026, due 30 days later,
Saturday 14 February carried to Monday 16 February 2026 (CPC 642), with the agency's clause:
three times the legal rate in force on the invoice date, on the HT still due.

The rates (``clausier/rules/data``), "professionnel" column (the seller is the creditor):
legal rate 2025 S1 3,71 %, 2025 S2 2,76 %, 2026 S1 2,62 % (2026 S2 not published in the
table); ECB main refinancing rate 2025 S2 2,15 %, 2026 S1 2,15 %.

Interest = Σ balance × days × rate / 365 (actual days, a 365-day year), from the day after the
due date, a payment counted as owed on its day and reducing the balance from the next; the
HT base is the HT share (1 000 / 1 200) of the TTC still due; rounded half up once, at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clausier.collections.domain.penalties import (
    ECB_RATE,
    LEGAL_RATE,
    TTC_REMAINING,
    LateTerms,
    Settlement,
    annual_rate,
    penalties_on,
)
from clausier.rules.calendar import FrenchCalendar
from clausier.rules.deadlines import deadline
from clausier.rules.errors import MissingRateError
from clausier.rules.interest import LegalRateTable

ISSUED = date(2026, 1, 15)
DUE = date(2026, 2, 16)  # Monday: 14 February (a Saturday) carried over the weekend
AGENCY = LateTerms(
    number="F2026-000001",
    issue_date=ISSUED,
    due_date=DUE,
    amount_due=D("1200.00"),
    total_ht=D("1000.00"),
    total_ttc=D("1200.00"),
    professional=True,
    of=LEGAL_RATE,
    multiplier=D("3"),
    clause_id="late.penalty",
    terms_label="v1",
    clause_cited="art. 6 « Retard de paiement » (CGV v1)",
)
CONSUMER = replace(AGENCY, professional=False)
# No late-penalty clause in the terms.
SILENT = replace(AGENCY, of="", multiplier=D("0"), clause_id="", clause_cited="")

# Ascension Thursday 14 May 2026: an invoice of 14 April 2026 due 30 calendar days later is due
# on the next working day, Friday 15 May (see test_the_holiday_due_date_comes_from_the_invoice).
ASCENSION_DUE = date(2026, 5, 15)


def paid(day: date, amount: str, label: str = "virement") -> Settlement:
    return Settlement(on=day, amount=D(amount), label=label)


@dataclass(frozen=True)
class Case:
    name: str
    terms: LateTerms
    on: date
    days_late: int
    base_ht: str
    rate: str | None
    interest: str
    indemnity: str
    settlements: tuple[Settlement, ...] = field(default=())


CASES = [
    # --- on time ------------------------------------------------------------------------------
    # 1. Paid in full on the due date itself: not late. 0 days, nothing left (base 0,00),
    #    rate 3 × 2,62 % = 7,86 %, interest 0,00, no indemnity.
    Case(
        "paid on the due date",
        AGENCY,
        date(2026, 3, 18),
        0,
        "0.00",
        "0.0786",
        "0.00",
        "0.00",
        (paid(DUE, "1200.00"),),
    ),
    # 2. Paid in full before the due date: 0 days, 0,00.
    Case(
        "paid before the due date",
        AGENCY,
        date(2026, 3, 18),
        0,
        "0.00",
        "0.0786",
        "0.00",
        "0.00",
        (paid(date(2026, 2, 2), "1200.00"),),
    ),
    # 3. Asked before the due date, unpaid: 0 days; base 1 200 × 1 000 / 1 200 = 1 000,00.
    Case(
        "on before the due date", AGENCY, date(2026, 2, 2), 0, "1000.00", "0.0786", "0.00", "0.00"
    ),
    # 4. Asked on the due date, unpaid: the client still has the whole day: 0 days.
    Case("on the due date", AGENCY, DUE, 0, "1000.00", "0.0786", "0.00", "0.00"),
    # --- late, unpaid -------------------------------------------------------------------------
    # 5. One day: 17/02. 1 000 × 1 × 7,86 % / 365 = 0,21534… -> 0,22; indemnity 40,00.
    Case("one day late", AGENCY, date(2026, 2, 17), 1, "1000.00", "0.0786", "0.22", "40.00"),
    # 6. 17/02 - 18/03: 12 (17-28 Feb) + 18 (1-18 Mar) = 30 days.
    #    1 000 × 30 × 7,86 % / 365 = 2 358 / 365 = 6,46027… -> 6,46; + 40,00.
    Case("thirty days late", AGENCY, date(2026, 3, 18), 30, "1000.00", "0.0786", "6.46", "40.00"),
    # 7. Paid in full on 26/02 (10 days late: 17-26 Feb), asked on 18/03: the interest stopped.
    #    1 000 × 10 × 7,86 % / 365 = 786 / 365 = 2,15342… -> 2,15; base 0,00; + 40,00.
    Case(
        "paid in full late",
        AGENCY,
        date(2026, 3, 18),
        10,
        "0.00",
        "0.0786",
        "2.15",
        "40.00",
        (paid(date(2026, 2, 26), "1200.00"),),
    ),
    # 8. Overpaid on 26/02 (1 500 for 1 200): as 7, the surplus is the client's credit.
    Case(
        "overpayment",
        AGENCY,
        date(2026, 3, 18),
        10,
        "0.00",
        "0.0786",
        "2.15",
        "40.00",
        (paid(date(2026, 2, 26), "1500.00"),),
    ),
    # --- semester boundaries: the rate stays that of the invoice date -------------------------
    # 9. Issued 20/05/2026 (2026 S1: 7,86 %), due 19/06, asked 19/07/2026 (2026 S2, not in the
    #    table: no error, its rate is not needed). 20-30 Jun 11 + 1-19 Jul 19 = 30 days -> 6,46.
    Case(
        "late into an unpublished semester",
        replace(AGENCY, issue_date=date(2026, 5, 20), due_date=date(2026, 6, 19)),
        date(2026, 7, 19),
        30,
        "1000.00",
        "0.0786",
        "6.46",
        "40.00",
    ),
    # 10. Issued 01/12/2025 (2025 S2: 3 × 2,76 % = 8,28 %), due 31/12/2025, asked 30/01/2026:
    #     1-30 Jan = 30 days at 8,28 % (not 2026 S1's 7,86 %).
    #     1 000 × 30 × 8,28 % / 365 = 2 484 / 365 = 6,80547… -> 6,81.
    Case(
        "late across 1 January",
        replace(AGENCY, issue_date=date(2025, 12, 1), due_date=date(2025, 12, 31)),
        date(2026, 1, 30),
        30,
        "1000.00",
        "0.0828",
        "6.81",
        "40.00",
    ),
    # 11. Issued 02/06/2025 (2025 S1: 3 × 3,71 % = 11,13 %), due 02/07/2025, asked 01/08/2025:
    #     3-31 Jul 29 + 1 Aug 1 = 30 days. 1 000 × 30 × 11,13 % / 365 = 3 339 / 365 = 9,14794…
    #     -> 9,15.
    Case(
        "late across 1 July",
        replace(AGENCY, issue_date=date(2025, 6, 2), due_date=date(2025, 7, 2)),
        date(2025, 8, 1),
        30,
        "1000.00",
        "0.1113",
        "9.15",
        "40.00",
    ),
    # 12. A clause on the rate of the due date: issued 01/12/2025, due 15/01/2026 -> 2026 S1,
    #     3 × 2,62 % = 7,86 %. 16-31 Jan 16 + 1-14 Feb 14 = 30 days -> 6,46.
    Case(
        "rate of the due date",
        replace(
            AGENCY,
            issue_date=date(2025, 12, 1),
            due_date=date(2026, 1, 15),
            rate_date="due_date",
        ),
        date(2026, 2, 14),
        30,
        "1000.00",
        "0.0786",
        "6.46",
        "40.00",
    ),
    # --- partial payments ---------------------------------------------------------------------
    # 13. 600 TTC on 26/02: its HT share 600 × 1 000 / 1 200 = 500 leaves the base on 27/02.
    #     17-26 Feb: 10 d × 1 000 = 10 000; 27 Feb - 18 Mar: 2 + 18 = 20 d × 500 = 10 000.
    #     20 000 × 7,86 % / 365 = 1 572 / 365 = 4,30684… -> 4,31. Base left 500,00.
    Case(
        "one partial payment",
        AGENCY,
        date(2026, 3, 18),
        30,
        "500.00",
        "0.0786",
        "4.31",
        "40.00",
        (paid(date(2026, 2, 26), "600.00"),),
    ),
    # 14. 300 on 21/02 (HT 250) and 300 on 08/03 (HT 250), asked 18/03:
    #     17-21 Feb 5 d × 1 000 = 5 000; 22 Feb - 8 Mar 7 + 8 = 15 d × 750 = 11 250;
    #     9-18 Mar 10 d × 500 = 5 000. 21 250 × 7,86 % / 365 = 1 670,25 / 365 = 4,57602… -> 4,58.
    Case(
        "two partial payments",
        AGENCY,
        date(2026, 3, 18),
        30,
        "500.00",
        "0.0786",
        "4.58",
        "40.00",
        (paid(date(2026, 2, 21), "300.00"), paid(date(2026, 3, 8), "300.00")),
    ),
    # 15. 600 on 26/02 then the last 600 on 08/03: paid in full 20 days late (12 Feb + 8 Mar).
    #     17-26 Feb 10 d × 1 000 = 10 000; 27 Feb - 8 Mar 2 + 8 = 10 d × 500 = 5 000.
    #     15 000 × 7,86 % / 365 = 1 179 / 365 = 3,23013… -> 3,23, the same on 02/04.
    Case(
        "partial then full",
        AGENCY,
        date(2026, 4, 2),
        20,
        "0.00",
        "0.0786",
        "3.23",
        "40.00",
        (paid(date(2026, 2, 26), "600.00"), paid(date(2026, 3, 8), "600.00")),
    ),
    # 16. 600 paid on the due date: the interest starts on 500 HT.
    #     500 × 30 × 7,86 % / 365 = 1 179 / 365 = 3,23013… -> 3,23.
    Case(
        "partial on the due date",
        AGENCY,
        date(2026, 3, 18),
        30,
        "500.00",
        "0.0786",
        "3.23",
        "40.00",
        (paid(DUE, "600.00"),),
    ),
    # 17. 600 paid on the day asked (18/03): owed all that day, the base falls the next.
    #     1 000 × 30 -> 6,46; the base after that day's payment: 500,00.
    Case(
        "partial on the day asked",
        AGENCY,
        date(2026, 3, 18),
        30,
        "500.00",
        "0.0786",
        "6.46",
        "40.00",
        (paid(date(2026, 3, 18), "600.00"),),
    ),
    # 18. Asked on 26/02, before a payment of 08/03: a later payment changes nothing yet.
    #     17-26 Feb 10 d × 1 000 -> 2,15; base 1 000,00.
    Case(
        "asked before a later payment",
        AGENCY,
        date(2026, 2, 26),
        10,
        "1000.00",
        "0.0786",
        "2.15",
        "40.00",
        (paid(date(2026, 3, 8), "600.00"),),
    ),
    # 19. A deposit deducted: the invoice asks 600 of its 1 200 TTC. HT share 600 × 1 000 /
    #     1 200 = 500. 500 × 30 × 7,86 % / 365 = 3,23013… -> 3,23.
    Case(
        "deposit deducted",
        replace(AGENCY, amount_due=D("600.00")),
        date(2026, 3, 18),
        30,
        "500.00",
        "0.0786",
        "3.23",
        "40.00",
    ),
    # 20. Deposits covered it all (asks 0,00): never late, no indemnity.
    Case(
        "nothing left to pay",
        replace(AGENCY, amount_due=D("0.00")),
        date(2026, 3, 18),
        0,
        "0.00",
        "0.0786",
        "0.00",
        "0.00",
    ),
    # --- credit notes -------------------------------------------------------------------------
    # 21. A credit note of 240 TTC (200 HT) issued 22/02 settles as a payment would:
    #     17-22 Feb 6 d × 1 000 = 6 000; 23 Feb - 18 Mar 6 + 18 = 24 d × 800 = 19 200.
    #     25 200 × 7,86 % / 365 = 1 980,72 / 365 = 5,42663… -> 5,43. Base 960 × 1 000 / 1 200
    #     = 800,00.
    Case(
        "credit note in part",
        AGENCY,
        date(2026, 3, 18),
        30,
        "800.00",
        "0.0786",
        "5.43",
        "40.00",
        (paid(date(2026, 2, 22), "240.00", "avoir AV2026-000001"),),
    ),
    # 22. A credit note for the whole invoice before the due date: never late.
    Case(
        "credit note in full",
        AGENCY,
        date(2026, 3, 18),
        0,
        "0.00",
        "0.0786",
        "0.00",
        "0.00",
        (paid(date(2026, 2, 10), "1200.00", "avoir AV2026-000001"),),
    ),
    # --- rate of the clause and the floor -----------------------------------------------------
    # 23. Between professionals a clause of 1 × the legal rate (2,62 %) is raised to the floor,
    #     3 × 2,62 % = 7,86 % (L441-10 II): 30 days -> 6,46.
    Case(
        "clause under the floor, professional",
        replace(AGENCY, multiplier=D("1")),
        date(2026, 3, 18),
        30,
        "1000.00",
        "0.0786",
        "6.46",
        "40.00",
    ),
    # 24. 1 × 2,62 % + 2 points = 4,62 % < 7,86 %: the floor again -> 6,46.
    Case(
        "clause plus points under the floor",
        replace(AGENCY, multiplier=D("1"), plus_points=D("2")),
        date(2026, 3, 18),
        30,
        "1000.00",
        "0.0786",
        "6.46",
        "40.00",
    ),
    # 25. 3 × 2,62 % + 2 points = 9,86 % (above the floor): 1 000 × 30 × 9,86 % / 365 =
    #     2 958 / 365 = 8,10410… -> 8,10.
    Case(
        "clause plus points",
        replace(AGENCY, plus_points=D("2")),
        date(2026, 3, 18),
        30,
        "1000.00",
        "0.0986",
        "8.10",
        "40.00",
    ),
    # 26. A clause on the TTC still due: 1 200 × 30 × 7,86 % / 365 = 2 829,6 / 365 = 7,75232…
    #     -> 7,75. base_ht is still the HT share: 1 000,00.
    Case(
        "clause on the TTC",
        replace(AGENCY, base=TTC_REMAINING),
        date(2026, 3, 18),
        30,
        "1000.00",
        "0.0786",
        "7.75",
        "40.00",
    ),
    # 27. TTC clause, 600 paid 26/02: 1 200 × 10 = 12 000 + 600 × 20 = 12 000; 24 000 × 7,86 %
    #     / 365 = 1 886,4 / 365 = 5,16821… -> 5,17; base HT left 500,00.
    Case(
        "clause on the TTC, partly paid",
        replace(AGENCY, base=TTC_REMAINING),
        date(2026, 3, 18),
        30,
        "500.00",
        "0.0786",
        "5.17",
        "40.00",
        (paid(date(2026, 2, 26), "600.00"),),
    ),
    # --- ECB rate -----------------------------------------------------------------------------
    # 28. Terms silent, professional: ECB 2026 S1 2,15 % + 10 points = 12,15 % (L441-10 II), on
    #     the sum still due (the TTC: there is no clause to say HT). 1 200 × 30 × 12,15 % / 365 =
    #     4 374 / 365 = 11,98356… -> 11,98; + 40,00.
    Case(
        "ECB + 10 points without a clause",
        SILENT,
        date(2026, 3, 18),
        30,
        "1000.00",
        "0.1215",
        "11.98",
        "40.00",
    ),
    # 29. A clause "the ECB rate + 8 points" on the HT: 2,15 % + 8 = 10,15 % >= 7,86 %.
    #     1 000 × 30 × 10,15 % / 365 = 3 045 / 365 = 8,34246… -> 8,34.
    Case(
        "ECB clause",
        replace(AGENCY, of=ECB_RATE, multiplier=D("1"), plus_points=D("8")),
        date(2026, 3, 18),
        30,
        "1000.00",
        "0.1015",
        "8.34",
        "40.00",
    ),
    # 30. "The ECB rate + 5 points" = 7,15 % < 7,86 %: the professional floor -> 6,46.
    Case(
        "ECB clause under the floor",
        replace(AGENCY, of=ECB_RATE, multiplier=D("1"), plus_points=D("5")),
        date(2026, 3, 18),
        30,
        "1000.00",
        "0.0786",
        "6.46",
        "40.00",
    ),
    # 31. "Twice the ECB rate + 5 points" = 2 × 2,15 % + 5 = 9,30 %: 1 000 × 30 × 9,30 % / 365
    #     = 2 790 / 365 = 7,64383… -> 7,64.
    Case(
        "ECB clause with a multiplier",
        replace(AGENCY, of=ECB_RATE, multiplier=D("2"), plus_points=D("5")),
        date(2026, 3, 18),
        30,
        "1000.00",
        "0.0930",
        "7.64",
        "40.00",
    ),
    # --- consumers: no L441-10 (no floor, no 40 EUR) ------------------------------------------
    # 32. The agency's clause binds a consumer as written (lawful clause, C. conso. L212-1), from
    #     the day after the due date: 7,86 %, 30 days -> 6,46; no indemnity.
    Case(
        "consumer with the clause",
        CONSUMER,
        date(2026, 3, 18),
        30,
        "1000.00",
        "0.0786",
        "6.46",
        "0.00",
    ),
    # 33. 1 × the legal rate: no floor for a consumer, 2,62 %. 1 000 × 30 × 2,62 % / 365 =
    #     786 / 365 = 2,15342… -> 2,15.
    Case(
        "consumer clause under the professional floor",
        replace(CONSUMER, multiplier=D("1")),
        date(2026, 3, 18),
        30,
        "1000.00",
        "0.0262",
        "2.15",
        "0.00",
    ),
    # 34. 1 × 2,62 % + 2 points = 4,62 %: 1 000 × 30 × 4,62 % / 365 = 1 386 / 365 = 3,79726…
    #     -> 3,80.
    Case(
        "consumer clause plus points",
        replace(CONSUMER, multiplier=D("1"), plus_points=D("2")),
        date(2026, 3, 18),
        30,
        "1000.00",
        "0.0462",
        "3.80",
        "0.00",
    ),
    # 35. "The ECB rate + 5 points" for a consumer: 7,15 %, no floor. 1 000 × 30 × 7,15 % / 365
    #     = 2 145 / 365 = 5,87671… -> 5,88.
    Case(
        "consumer ECB clause",
        replace(CONSUMER, of=ECB_RATE, multiplier=D("1"), plus_points=D("5")),
        date(2026, 3, 18),
        30,
        "1000.00",
        "0.0715",
        "5.88",
        "0.00",
    ),
    # 36. A consumer, terms silent, no formal notice received: 30 days late, nothing owed
    #     (C. civ. 1231-6: the legal interest runs from the formal notice); no rate.
    Case(
        "consumer without clause nor notice",
        replace(SILENT, professional=False),
        date(2026, 3, 18),
        30,
        "1000.00",
        None,
        "0.00",
        "0.00",
    ),
    # 37. Notice received 03/03: the legal rate of 2026 S1 (2,62 %) from 04/03 on the sum still
    #     due, 1 200 TTC. 4-31 Mar 28 + 1-2 Apr 2 = 30 days. 1 200 × 30 × 2,62 % / 365 =
    #     943,2 / 365 = 2,58410… -> 2,58. Late since 17/02: 12 + 31 + 2 = 45 days.
    Case(
        "consumer after a formal notice",
        replace(SILENT, professional=False, formal_notice_on=date(2026, 3, 3)),
        date(2026, 4, 2),
        45,
        "1000.00",
        "0.0262",
        "2.58",
        "0.00",
    ),
    # 38. A notice received before the due date: interest only from the day after the due
    #     date, 17/02 - 18/03 = 30 days -> 2,58.
    Case(
        "consumer notice before the due date",
        replace(SILENT, professional=False, formal_notice_on=date(2026, 2, 10)),
        date(2026, 3, 18),
        30,
        "1000.00",
        "0.0262",
        "2.58",
        "0.00",
    ),
    # 39. The legal rate of each semester: due 15/12/2025, notice received 16/12, asked
    #     15/01/2026. 17-31 Dec 15 d at 2,76 %: 1 200 × 15 × 2,76 % / 365 = 496,8 / 365 =
    #     1,36109… -> 1,36; 1-15 Jan 15 d at 2,62 %: 471,6 / 365 = 1,29205… -> 1,29;
    #     1,36 + 1,29 = 2,65 (each semester its line). Rate shown: the last, 2,62 %. Late
    #     16 (16-31 Dec) + 15 = 31 days.
    Case(
        "consumer legal rate per semester",
        replace(
            SILENT,
            professional=False,
            issue_date=date(2025, 11, 15),
            due_date=date(2025, 12, 15),
            formal_notice_on=date(2025, 12, 16),
        ),
        date(2026, 1, 15),
        31,
        "1000.00",
        "0.0262",
        "2.65",
        "0.00",
    ),
    # 40. Same consumer, 600 paid on 05/01/2026 (the legal interest runs on the TTC: the whole
    #     600 leaves the base on 06/01). 17-31 Dec 15 d × 1 200 at 2,76 % -> 1,36;
    #     1-5 Jan 5 d × 1 200 + 6-15 Jan 10 d × 600 = 12 000 at 2,62 %: 314,4 / 365 = 0,86136…
    #     -> 0,86. 1,36 + 0,86 = 2,22. Base HT left 600 × 1 000 / 1 200 = 500,00.
    Case(
        "consumer legal rate, partly paid",
        replace(
            SILENT,
            professional=False,
            issue_date=date(2025, 11, 15),
            due_date=date(2025, 12, 15),
            formal_notice_on=date(2025, 12, 16),
        ),
        date(2026, 1, 15),
        31,
        "500.00",
        "0.0262",
        "2.22",
        "0.00",
        (paid(date(2026, 1, 5), "600.00"),),
    ),
    # --- the due date -------------------------------------------------------------------------
    # 41. Due on Ascension Thursday 14/05/2026, carried to Friday 15/05 by the invoice: paid on
    #     15/05, on time.
    Case(
        "holiday on the due date, paid the next working day",
        replace(AGENCY, issue_date=date(2026, 4, 14), due_date=ASCENSION_DUE),
        date(2026, 6, 1),
        0,
        "0.00",
        "0.0786",
        "0.00",
        "0.00",
        (paid(ASCENSION_DUE, "1200.00"),),
    ),
    # 42. Paid Saturday 16/05: 1 day late (16 May). 1 000 × 7,86 % / 365 -> 0,22; + 40,00.
    Case(
        "holiday on the due date, paid a day after",
        replace(AGENCY, issue_date=date(2026, 4, 14), due_date=ASCENSION_DUE),
        date(2026, 6, 1),
        1,
        "0.00",
        "0.0786",
        "0.22",
        "40.00",
        (paid(date(2026, 5, 16), "1200.00"),),
    ),
    # 43. Acceleration: an invoice due 15/04/2026 whose due date the clause brought forward to
    #     16/02 (another invoice unpaid): late from 17/02, 30 days on 18/03 -> 6,46 + 40,00.
    Case(
        "acceleration",
        replace(
            AGENCY,
            due_date=DUE,
            due_note="échéance avancée du 15/04/2026 au 16/02/2026 : exigibilité immédiate "
            "de toutes les sommes dues (art. 6 CGV v1)",
        ),
        date(2026, 3, 18),
        30,
        "1000.00",
        "0.0786",
        "6.46",
        "40.00",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_worked_case(case):
    owed = penalties_on(case.terms, settlements=case.settlements, on=case.on)
    assert owed.days_late == case.days_late
    assert owed.base_ht == D(case.base_ht)
    assert owed.annual_rate == (None if case.rate is None else D(case.rate))
    assert owed.interest.value == D(case.interest)
    assert owed.indemnity.value == D(case.indemnity)
    assert owed.total == D(case.interest) + D(case.indemnity)
    assert owed.explanation.value == owed.total


def test_at_least_thirty_worked_cases():
    assert len(CASES) >= 30
    assert len({case.name for case in CASES}) == len(CASES)


def test_the_holiday_due_date_comes_from_the_invoice():
    # 14/04/2026 + 30 calendar days = Thursday 14/05/2026, Ascension: the invoice is due on the
    # next working day, Friday 15/05 (cases 41-42 start from that date).
    due = deadline(
        start=date(2026, 4, 14), n=30, unit="jours_calendaires", calendar=FrenchCalendar()
    )
    assert due.value == ASCENSION_DUE
    assert any("Ascension" in str(step.label) for step in due.steps)


def test_the_acceleration_is_shown_in_the_explanation():
    [case] = [case for case in CASES if case.name == "acceleration"]
    owed = penalties_on(case.terms, on=case.on)
    labels = [str(step.label) for step in owed.explanation.steps]
    assert labels[1] == case.terms.due_note


def test_the_semester_rate_is_that_of_the_invoice_date_not_of_the_days():
    # Case 10: were 2026 S1 applied to January (7,86 %), 1 000 × 30 × 7,86 % / 365 = 6,46,
    # not the 6,81 owed at 2025 S2's 8,28 %.
    late = replace(AGENCY, issue_date=date(2025, 12, 1), due_date=date(2025, 12, 31))
    owed = penalties_on(late, on=date(2026, 1, 30))
    assert owed.interest.value == D("6.81")
    assert "2025 S2" in " ".join(str(step.label) for step in owed.explanation.steps)


def test_a_waiver_starts_from_the_figures_owed():
    # Case 6 is what staff waive from, in full or part: interest 6,46 + indemnity 40,00 = 46,46
    # (no VAT on either), each with its explanation.
    owed = penalties_on(AGENCY, on=date(2026, 3, 18))
    assert (owed.interest.value, owed.indemnity.value, owed.total) == (
        D("6.46"),
        D("40.00"),
        D("46.46"),
    )
    last = str(owed.explanation.steps[-1].label)
    assert "46,46" in last
    assert "hors TVA" in last


def test_the_consumer_explanation_cites_no_l441_10():
    owed = penalties_on(CONSUMER, on=date(2026, 3, 18))
    assert "L441-10" not in owed.explanation.law
    assert "C. conso. L212-1" in owed.explanation.law
    silent = penalties_on(replace(SILENT, professional=False), on=date(2026, 3, 18))
    assert silent.explanation.law == "C. civ. 1231-6"


def test_the_stated_rate_of_the_invoice_prevails():
    # The invoice printed 7,86 %: that rate is owed even with an empty legal-rate table.
    stated = replace(AGENCY, stated_rate=D("0.0786"))
    owed = penalties_on(stated, on=date(2026, 3, 18), legal_table=LegalRateTable([]))
    assert owed.interest.value == D("6.46")


@pytest.mark.parametrize(
    "terms",
    [
        # Issued 01/08/2026: the 2026 S2 legal rate is not in the table.
        replace(AGENCY, issue_date=date(2026, 8, 1), due_date=date(2026, 8, 31)),
        # A consumer's legal interest for days of 2026 S2.
        replace(
            SILENT,
            professional=False,
            issue_date=date(2026, 5, 15),
            due_date=date(2026, 6, 15),
            formal_notice_on=date(2026, 6, 20),
        ),
        # Terms silent, professional, 2026 S2: neither the ECB rate nor the floor is known.
        replace(SILENT, issue_date=date(2026, 8, 1), due_date=date(2026, 8, 31)),
    ],
    ids=["clause", "consumer legal rate", "ECB default"],
)
def test_a_missing_rate_raises(terms):
    with pytest.raises(MissingRateError):
        penalties_on(terms, on=date(2026, 9, 30))


def test_annual_rate_alone():
    assert annual_rate(AGENCY).value == D("0.0786")
    assert annual_rate(replace(SILENT, professional=False)) is None
    assert annual_rate(SILENT).value == D("0.1215")


# --- properties ------------------------------------------------------------------------------

TERMS = st.sampled_from(
    [
        AGENCY,
        CONSUMER,
        SILENT,
        replace(AGENCY, base=TTC_REMAINING),
        replace(SILENT, professional=False, formal_notice_on=date(2026, 2, 20)),
        replace(AGENCY, of=ECB_RATE, multiplier=D("1"), plus_points=D("8")),
    ]
)
DAYS = st.dates(min_value=date(2026, 1, 15), max_value=date(2026, 6, 30))
AMOUNTS = st.decimals(min_value=D("0.01"), max_value=D("1500"), places=2)
SETTLEMENTS = st.lists(st.builds(Settlement, on=DAYS, amount=AMOUNTS), max_size=4).map(tuple)


@settings(max_examples=60, deadline=None)
@given(terms=TERMS, settlements=SETTLEMENTS, on=DAYS)
def test_interest_is_never_negative(terms, settlements, on):
    owed = penalties_on(terms, settlements=settlements, on=on)
    assert owed.interest.value >= 0
    assert owed.days_late >= 0
    assert owed.base_ht >= 0


@settings(max_examples=60, deadline=None)
@given(terms=TERMS, first=DAYS, then=st.integers(min_value=0, max_value=120))
def test_interest_grows_with_the_day_while_unpaid(terms, first, then):
    later = min(first + timedelta(days=then), date(2026, 6, 30))
    assert (
        penalties_on(terms, on=first).interest.value <= penalties_on(terms, on=later).interest.value
    )


@settings(max_examples=60, deadline=None)
@given(
    terms=TERMS,
    settlements=SETTLEMENTS,
    extra=st.builds(Settlement, on=DAYS, amount=AMOUNTS),
    on=DAYS,
)
def test_a_payment_never_increases_the_interest(terms, settlements, extra, on):
    without = penalties_on(terms, settlements=settlements, on=on).interest.value
    with_it = penalties_on(terms, settlements=(*settlements, extra), on=on).interest.value
    assert with_it <= without


@settings(max_examples=60, deadline=None)
@given(
    terms=TERMS.map(lambda terms: replace(terms, professional=False)),
    settlements=SETTLEMENTS,
    on=DAYS,
)
def test_a_consumer_never_owes_the_indemnity(terms, settlements, on):
    assert penalties_on(terms, settlements=settlements, on=on).indemnity.value == 0
