"""A CAMT.053 statement written for a test: its entries given as dicts."""

from __future__ import annotations

from xml.sax.saxutils import escape

SELLER_IBAN = "FR7630006000011234567890189"


def entry(
    amount: str,
    *,
    ref: str,
    remittance: str = "",
    creditor_reference: str = "",
    iban: str = "",
    name: str = "",
    direction: str = "CRDT",
    day: str = "2026-05-12",
) -> str:
    party = ""
    if name or iban:
        role = "Dbtr" if direction == "CRDT" else "Cdtr"
        party = (
            f"<RltdPties><{role}><Nm>{escape(name)}</Nm></{role}>"
            + (f"<{role}Acct><Id><IBAN>{iban}</IBAN></Id></{role}Acct>" if iban else "")
            + "</RltdPties>"
        )
    rmt = ""
    if remittance:
        rmt = f"<RmtInf><Ustrd>{escape(remittance)}</Ustrd></RmtInf>"
    if creditor_reference:
        rmt = (
            "<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>"
            f"<Ref>{creditor_reference}</Ref></CdtrRefInf></Strd></RmtInf>"
        )
    return (
        f'<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{direction}</CdtDbtInd>'
        f"<Sts>BOOK</Sts><BookgDt><Dt>{day}</Dt></BookgDt><ValDt><Dt>{day}</Dt></ValDt>"
        f"<AcctSvcrRef>{ref}</AcctSvcrRef><NtryDtls><TxDtls>"
        f'<AmtDtls><TxAmt><Amt Ccy="EUR">{amount}</Amt></TxAmt></AmtDtls>'
        f"{party}{rmt}</TxDtls></NtryDtls></Ntry>"
    )


def statement(*entries: str, ident: str = "STMT-2026-05") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
        "<GrpHdr><MsgId>MSG1</MsgId><CreDtTm>2026-05-16T06:00:00+02:00</CreDtTm></GrpHdr>"
        f"<Stmt><Id>{ident}</Id><CreDtTm>2026-05-16T06:00:00+02:00</CreDtTm>"
        "<FrToDt><FrDtTm>2026-05-11T00:00:00+02:00</FrDtTm>"
        "<ToDtTm>2026-05-15T23:59:59+02:00</ToDtTm></FrToDt>"
        f"<Acct><Id><IBAN>{SELLER_IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>"
        + "".join(entries)
        + "</Stmt></BkToCstmrStmt></Document>"
    ).encode()
