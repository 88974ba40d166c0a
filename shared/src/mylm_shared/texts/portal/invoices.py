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
}
