"""The member portal's words: invoices: list, one invoice, payment (issue 20 item 2; nl and fr)."""

from mylm_shared.texts.portal.words import Words

WORDS: Words = {
    "invoices": {"nl": "Facturen", "fr": "Factures"},
    "open_total": {"nl": "Nog te betalen", "fr": "Reste à payer"},
    "open_invoices": {"nl": "Openstaande facturen", "fr": "Factures ouvertes"},
    "no_invoices": {
        "nl": "U hebt geen openstaande facturen.",
        "fr": "Vous n'avez aucune facture ouverte.",
    },
    "invoice": {"nl": "Factuur", "fr": "Facture"},
    "issue_date": {"nl": "Datum", "fr": "Date"},
    "due_date": {"nl": "Vervaldag", "fr": "Échéance"},
    "total": {"nl": "Totaal", "fr": "Total"},
    "outstanding": {"nl": "Nog te betalen", "fr": "Reste à payer"},
    "status": {"nl": "Status", "fr": "Statut"},
    "reference": {"nl": "Gestructureerde mededeling", "fr": "Communication structurée"},
    "lines": {"nl": "Prestaties", "fr": "Prestations"},
    "service_date": {"nl": "Datum", "fr": "Date"},
    "description": {"nl": "Omschrijving", "fr": "Description"},
    "amount": {"nl": "Bedrag", "fr": "Montant"},
    "download_pdf": {"nl": "Download de factuur (PDF)", "fr": "Télécharger la facture (PDF)"},
    "status_open": {"nl": "Open", "fr": "Ouverte"},
    "status_paid": {"nl": "Betaald", "fr": "Payée"},
    "status_overdue": {"nl": "Vervallen", "fr": "En retard"},
    "status_cancelled": {"nl": "Geannuleerd", "fr": "Annulée"},
    "invoices_paid_title": {"nl": "Betaalde facturen", "fr": "Factures payées"},
    "invoices_no_paid": {
        "nl": "Nog geen betaalde facturen.",
        "fr": "Aucune facture payée pour l'instant.",
    },
    "invoices_home_overdue": {
        "nl": "Vervallen facturen ({count}): betaal ze zo snel mogelijk.",
        "fr": "Factures en retard ({count})\u00a0: payez-les dès que possible.",
    },
    "invoices_overdue_since": {
        "nl": "De vervaldag ({date}) is voorbij.",
        "fr": "L'échéance ({date}) est dépassée.",
    },
    "invoices_paid_note": {
        "nl": "Deze factuur is betaald. Bedankt.",
        "fr": "Cette facture est payée. Merci.",
    },
    "invoices_pay_title": {"nl": "Betalen", "fr": "Payer"},
    "invoices_qr_caption": {
        "nl": "Scan de QR-code met uw bankapp: bedrag, rekening en mededeling worden "
        "ingevuld. Of schrijf over met de gegevens hiernaast.",
        "fr": "Scannez le code QR avec votre application bancaire\u00a0: le montant, le "
        "compte et la communication sont remplis. Ou faites un virement avec les données "
        "ci-contre.",
    },
    "invoices_qr_alt": {
        "nl": "Betaal-QR-code: {amount} naar IBAN {iban}, mededeling {reference}",
        "fr": "Code QR de paiement\u00a0: {amount} sur l'IBAN {iban}, communication {reference}",
    },
    "invoices_qr_title": {"nl": "Betaal-QR-code (EPC)", "fr": "Code QR de paiement (EPC)"},
    "invoices_beneficiary": {"nl": "Begunstigde", "fr": "Bénéficiaire"},
    "invoices_demo_account": {
        "nl": "Demorekening: niet voor echte betalingen.",
        "fr": "Compte de démonstration\u00a0: pas pour de vrais paiements.",
    },
    "invoices_back": {"nl": "Terug naar uw facturen", "fr": "Retour à vos factures"},
}
