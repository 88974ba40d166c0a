"""Downloads of invoices (EI-1 "kunnen gedownload worden"; issue 18 item 2): the PDF,
rendered once and stored (every download the same bytes), and the CSVs.

Who may download is the caller's business (``entrypoints``): a member their own (or a
titular acting for a dependant with the exchanged token), staff any; anyone else gets
the answer for an invoice that does not exist.
"""

import asyncio
from dataclasses import dataclass

from billing.domain.epc_qr import EpcPayment, invoice_payment
from billing.domain.invoice import Invoice
from billing.domain.invoice_document import InvoiceDocument, PrintedLine
from billing.domain.mutualities import Mutuality, mutuality
from billing.service.ports import InvoicePdfs, MemberCards, PdfRenderer


class NothingToPay(Exception):
    """The invoice is paid or cancelled: no payment to pre-fill."""


@dataclass(frozen=True)
class PaymentInstructions:
    """How to pay an invoice (issue 20 item 2: the portal's payment QR code): the EPC069-12
    payment of what is still due (the PDF's builder) and the mutuality it goes to."""

    payment: EpcPayment
    mutuality: Mutuality


class NotPrintableYet(Exception):
    """billing does not know the invoice's member (or their mutuality) well enough to
    print the invoice (MT-1: the mutuality's name, address and IBAN are on it)."""


@dataclass
class InvoiceDownloads:
    pdfs: InvoicePdfs
    members: MemberCards
    render: PdfRenderer

    async def pdf(self, invoice: Invoice) -> bytes:
        """rule EI-1, MT-1: the invoice as issued, in the member's language, with the
        EPC069-12 payment QR code; rendered at the first download (off the event loop),
        stored, and those bytes answered ever after (a race: the first stored wins)."""
        stored = await self.pdfs.get(invoice.invoice_id)
        if stored is not None:
            return stored
        document = await self.document(invoice)
        rendered = await asyncio.to_thread(self.render, document)
        return await self.pdfs.add(invoice.invoice_id, rendered)

    async def payment(self, invoice: Invoice) -> PaymentInstructions:
        """rule EI-1, MT-1 (issue 20 item 2): the payment of what is still due on an open
        or overdue invoice, to the member's mutuality's account with the invoice's
        structured communication, as the PDF's EPC069-12 QR code carries it (the PDF
        prints the total as issued; here the outstanding amount after partial payments)."""
        if not invoice.unpaid or invoice.outstanding <= 0:
            raise NothingToPay(invoice.invoice_id)
        member = await self.members.card(invoice.member_id)
        if member is None:
            raise NotPrintableYet(invoice.member_id)
        try:
            fund = mutuality(member.mutuality)
        except LookupError as exc:
            raise NotPrintableYet(invoice.member_id) from exc
        payment = invoice_payment(
            beneficiary_name=fund.name,
            iban=fund.iban,
            bic=fund.bic,
            amount=invoice.outstanding,
            structured_reference=invoice.structured_reference,
        )
        return PaymentInstructions(payment, fund)

    async def document(self, invoice: Invoice) -> InvoiceDocument:
        """What the PDF prints: the invoice as issued (its total; payments and status are
        not printed, so the stored document stays true), the member, the mutuality."""
        member = await self.members.card(invoice.member_id)
        if member is None:
            raise NotPrintableYet(invoice.member_id)
        try:
            fund = mutuality(member.mutuality)
        except LookupError as exc:
            raise NotPrintableYet(invoice.member_id) from exc
        names: dict[str, str] = {invoice.member_id: member.name}
        for line in invoice.lines:
            beneficiary = line.beneficiary(invoice.member_id)
            if beneficiary not in names:
                card = await self.members.card(beneficiary)
                names[beneficiary] = card.name if card else beneficiary
        return InvoiceDocument(
            mutuality=fund,
            member_name=member.name,
            # issue 18 item 3: under the letterhead, where a window envelope shows it
            member_address=(
                member.address.envelope_lines(member.language) if member.address else ()
            ),
            member_number=invoice.member_id,
            language=member.language,
            invoice_number=invoice.invoice_id,
            issue_date=invoice.issue_date,
            due_date=invoice.due_date,
            lines=tuple(
                PrintedLine(
                    service_date=line.service_date,
                    beneficiary=names[line.beneficiary(invoice.member_id)],
                    care_code=line.care_code or "",
                    description=line.description,
                    amount=line.amount,
                )
                for line in invoice.lines
            ),
            structured_reference=invoice.structured_reference,
        )
