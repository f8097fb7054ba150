"""Bank statements through their interfaces: the back-office (upload, summary, the progress of
a large file, reconciliation, a bank's CSV mapping), the API (upload with an idempotency key,
status) and the command line (with its progress bar)."""

from __future__ import annotations

from datetime import datetime
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from clausier.api.services import create_token
from clausier.payments.models import Payment
from clausier.payments.services import statements
from clausier.payments.statement_models import BankCsvMapping, BankStatement, BankStatementLine
from clausier.sellers.models import Role
from tests.api_client import Api
from tests.factories import make_issued_invoice, make_staff
from tests.payments.statements.camt import entry, statement

DAY = timezone.make_aware(datetime(2026, 5, 10, 10), timezone.get_default_timezone())
LINE = {
    "description": "Forfait",
    "quantity": "1",
    "unit": "flat",
    "unit_price": "100",
    "vat_rate": "0.20",
}


def text(response) -> str:
    return " ".join(response.content.decode().replace("\u202f", " ").replace("\xa0", " ").split())


@pytest.fixture
def invoice(shop, shopper):
    return make_issued_invoice(shop, shopper, now=DAY, lines=[LINE])


def sample(invoice) -> bytes:
    return statement(
        entry(f"{invoice.amount_due}", ref="I1", remittance=f"Facture {invoice.number}"),
        entry("55.00", ref="I2", remittance="REGLEMENT"),
    )


def url(name, shop, **kw):
    return reverse(f"backoffice:{name}", kwargs={"slug": shop.slug, **kw})


def test_staff_upload_a_statement_and_read_its_summary(client, shop, invoice):
    client.force_login(make_staff(shop, Role.OWNER))
    upload = SimpleUploadedFile("releve.xml", sample(invoice), "text/xml")
    response = client.post(url("statement_new", shop), {"file": upload, "format": "camt053"})
    done = BankStatement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("statement", shop, statement_id=done.pk)
    page = text(client.get(response["Location"]))
    assert "Import terminé" in page
    assert "1 rapprochée(s), 1 à rapprocher, 0 doublon(s) écarté(s)" in page
    assert f"Numéro de facture {invoice.number} trouvé dans le libellé" in page
    listing = text(client.get(url("statements", shop)))
    assert "releve.xml" in listing


def test_a_malformed_upload_is_refused_naming_the_element_and_nothing_is_stored(
    client, shop, invoice
):
    client.force_login(make_staff(shop, Role.OWNER))
    bad = sample(invoice).replace(b">55.00<", b">55,00<")
    upload = SimpleUploadedFile("releve.xml", bad, "text/xml")
    response = client.post(url("statement_new", shop), {"file": upload, "format": "camt053"})
    assert response.status_code == 400
    assert "/Document/BkToCstmrStmt/Stmt/Ntry[2]/Amt" in text(response)
    assert BankStatement.objects.count() == 0
    assert Payment.objects.count() == 0


def test_an_empty_upload_is_refused(client, shop):
    client.force_login(make_staff(shop, Role.OWNER))
    upload = SimpleUploadedFile("releve.xml", b"", "text/xml")
    response = client.post(url("statement_new", shop), {"file": upload, "format": "camt053"})
    assert response.status_code == 400
    assert BankStatement.objects.count() == 0


def test_a_large_statement_is_imported_in_the_background_with_its_progress(
    client, shop, invoice, mail_and_tasks, django_capture_on_commit_callbacks
):
    client.force_login(make_staff(shop, Role.OWNER))
    queued = statements.queue_statement(
        seller=shop, data=sample(invoice), filename="gros.xml", format="camt053", by=None
    )
    progress = url("statement_progress", shop, statement_id=queued.pk)
    page = text(client.get(url("statement", shop, statement_id=queued.pk)))
    assert "Import en cours : 0 / 2" in page
    assert f'hx-get="{progress}"' in client.get(progress).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        started = statements.start_statement_import(
            seller=shop,
            data=sample(invoice).replace(b"I1", b"J1").replace(b"I2", b"J2"),
            filename="gros2.xml",
            format="camt053",
            by=None,
            inline_lines=1,
        )
    assert started.status == "queued"
    started.refresh_from_db()
    assert (started.status, started.progress_done, started.progress_total) == ("imported", 2, 2)
    fragment = client.get(url("statement_progress", shop, statement_id=started.pk))
    assert "hx-get" not in fragment.content.decode()
    assert "Import terminé" in text(fragment)


def test_a_line_to_review_is_reconciled_on_its_screen(client, shop, shopper, invoice):
    client.force_login(make_staff(shop, Role.OWNER))
    done = statements.import_statement(
        seller=shop,
        data=statement(entry("150.00", ref="S1", remittance="VIREMENT")),
        filename="r.xml",
        format="camt053",
        by=None,
    )
    line = done.lines.get()
    assert "Affecter à une ou plusieurs factures" in text(
        client.get(url("statement_line", shop, line_id=line.pk))
    )
    too_much = client.post(
        url("statement_line_match", shop, line_id=line.pk),
        {"match-invoice_0": invoice.pk, "match-amount_0": "500,00"},
    )
    assert too_much.status_code == 400
    response = client.post(
        url("statement_line_match", shop, line_id=line.pk),
        {
            "match-invoice_0": invoice.pk,
            "match-amount_0": f"{invoice.amount_due}".replace(".", ","),
        },
    )
    assert response.status_code == 302
    line.refresh_from_db()
    invoice.refresh_from_db()
    assert line.state == "matched"
    assert invoice.amount_paid == invoice.amount_due


def test_a_line_is_ignored_and_another_credited_on_screen(client, shop, shopper):
    client.force_login(make_staff(shop, Role.OWNER))
    done = statements.import_statement(
        seller=shop,
        data=statement(entry("9.90", ref="F1", direction="DBIT"), entry("20.00", ref="F2")),
        filename="r.xml",
        format="camt053",
        by=None,
    )
    fee, gift = done.lines.order_by("position")
    refused = client.post(url("statement_line_ignore", shop, line_id=fee.pk), {"ignore-reason": ""})
    assert refused.status_code == 400
    client.post(url("statement_line_ignore", shop, line_id=fee.pk), {"ignore-reason": "Frais"})
    client.post(url("statement_line_credit", shop, line_id=gift.pk), {"credit-client": shopper.pk})
    assert list(done.lines.order_by("position").values_list("state", flat=True)) == [
        "ignored",
        "credited",
    ]


def test_staff_save_a_banks_csv_mapping(client, shop):
    client.force_login(make_staff(shop, Role.OWNER))
    form = {
        "bank": "LCL",
        "delimiter": ";",
        "encoding": "utf-8",
        "decimal_comma": "on",
        "date_format": "%d/%m/%Y",
        "skip_rows": "0",
        "has_header": "on",
        "skip_footer_rows": "0",
        "date": "Date",
        "amount": "",
        "debit": "Débit",
        "credit": "",
    }
    refused = client.post(url("statement_mapping_new", shop), form)
    assert refused.status_code == 400
    assert "débit et crédit" in text(refused)
    response = client.post(url("statement_mapping_new", shop), form | {"credit": "Crédit"})
    assert response.status_code == 302
    saved = BankCsvMapping.objects.get()
    assert (saved.bank, saved.mapping["debit"], saved.mapping["credit"]) == (
        "LCL",
        "Débit",
        "Crédit",
    )
    edit = client.get(url("statement_mapping", shop, mapping_id=saved.pk))
    assert 'value="Crédit"' in edit.content.decode()


# --- API ---------------------------------------------------------------------------------------


def test_the_api_uploads_a_statement_once_per_key_and_reads_its_status(client, shop, invoice):
    _, secret = create_token(seller=shop, name="compta", by=None)
    api = Api(client, secret)

    def upload():
        return {
            "file": SimpleUploadedFile("r.xml", sample(invoice), "text/xml"),
            "format": "camt053",
        }

    first = api.call("POST", "/statements", None, form=upload(), key="releve-1")
    assert first.status_code == 201, first.content
    body = first.json()
    assert (body["status"], body["matched_count"], body["to_review_count"]) == ("imported", 1, 1)
    again = api.call("POST", "/statements", None, form=upload(), key="releve-1")
    assert again.json() == body
    assert BankStatement.objects.count() == 1
    other_key = api.call("POST", "/statements", None, form=upload(), key="releve-2")
    assert other_key.json()["duplicate_count"] == 2
    assert Payment.objects.count() == 1
    status = api.call("GET", f"/statements/{body['id']}", None)
    assert status.json()["progress_done"] == 2


def test_the_api_refuses_a_malformed_statement_with_422_naming_the_file(client, shop):
    _, secret = create_token(seller=shop, name="compta", by=None)
    bad = {"file": SimpleUploadedFile("r.xml", b"<Document>", "text/xml"), "format": "camt053"}
    response = Api(client, secret).call("POST", "/statements", None, form=bad, key="k")
    assert response.status_code == 422
    assert "file" in response.json()["errors"]
    assert BankStatementLine.objects.count() == 0


def test_the_api_refuses_a_csv_without_a_saved_mapping(client, shop):
    _, secret = create_token(seller=shop, name="compta", by=None)
    form = {"file": SimpleUploadedFile("r.csv", b"Date;Montant\n", "text/csv"), "format": "csv"}
    response = Api(client, secret).call("POST", "/statements", None, form=form, key="k")
    assert response.status_code == 422
    assert "mapping" in response.json()["errors"]


# --- command line ------------------------------------------------------------------------------


def test_the_command_imports_a_statement_with_a_progress_bar(shop, invoice, tmp_path):
    path = tmp_path / "releve.xml"
    path.write_bytes(sample(invoice))
    out, err = StringIO(), StringIO()
    call_command(
        "import_statement", str(path), "--seller", shop.slug, "--progress", stdout=out, stderr=err
    )
    assert "1 rapprochée(s), 1 à rapprocher, 0 doublon(s) écarté(s)" in out.getvalue()
    assert "2/2" in err.getvalue()
    out = StringIO()
    call_command("import_statement", str(path), "--seller", shop.slug, stdout=out)
    assert "0 rapprochée(s), 0 à rapprocher, 2 doublon(s) écarté(s)" in out.getvalue()


def test_the_command_refuses_a_malformed_file_naming_the_element(shop, tmp_path):
    path = tmp_path / "releve.xml"
    path.write_bytes(b"<?xml version='1.0'?><Document xmlns='urn:x'/>")
    with pytest.raises(CommandError, match="espace de noms"):
        call_command("import_statement", str(path), "--seller", shop.slug)
    assert BankStatement.objects.count() == 0


def test_the_command_reads_a_csv_with_the_banks_mapping(shop, invoice, tmp_path):
    statements.save_csv_mapping(
        seller=shop,
        bank="LCL",
        mapping={"date": 1, "amount": 2, "label": 3, "has_header": False},
        by=None,
    )
    path = tmp_path / "releve.csv"
    amount = f"{invoice.amount_due}".replace(".", ",")
    path.write_text(f"12/05/2026;{amount};Facture {invoice.number}\n")
    with pytest.raises(CommandError, match="--mapping"):
        call_command("import_statement", str(path), "--seller", shop.slug)
    out = StringIO()
    call_command(
        "import_statement", str(path), "--seller", shop.slug, "--mapping", "LCL", stdout=out
    )
    assert "1 rapprochée(s)" in out.getvalue()
