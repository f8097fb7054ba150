"""The bank side of payments, as pure code (no models, no database): bank statements read
(ISO 20022 CAMT.053, CSV with a saved column mapping), their lines matched to open invoices,
and the SEPA credit transfer file (pain.001) that carries refunds to the bank. The creditor
reference (ISO 11649) and the SEPA payment QR code (EPC069-12) given to clients are in the
rules core (:mod:`clausier.rules.creditor_reference`, :mod:`clausier.rules.epc_qr`): invoices
print them, and invoicing comes before payments.

The payments domain stores what these functions return and decides what to write.
"""
