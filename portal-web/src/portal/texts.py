"""The portal's words, in Dutch and French (the member's language; nl by default)."""

from portal.ports import Language

TEXTS: dict[str, dict[Language, str]] = {
    "site": {"nl": "Mijn LM", "fr": "Ma LM"},
    "skip": {"nl": "Naar de inhoud", "fr": "Aller au contenu"},
    "nav_label": {"nl": "Hoofdmenu", "fr": "Menu principal"},
    "lang_label": {"nl": "Taal", "fr": "Langue"},
    "home": {"nl": "Start", "fr": "Accueil"},
    "invoices": {"nl": "Facturen", "fr": "Factures"},
    "login_title": {"nl": "Aanmelden", "fr": "Se connecter"},
    "username": {"nl": "Gebruikersnaam", "fr": "Nom d'utilisateur"},
    "password": {"nl": "Wachtwoord", "fr": "Mot de passe"},
    "login_button": {"nl": "Aanmelden", "fr": "Se connecter"},
    "logout": {"nl": "Afmelden", "fr": "Se déconnecter"},
    "logout_everywhere": {
        "nl": "Overal afmelden (alle toestellen)",
        "fr": "Se déconnecter partout (tous les appareils)",
    },
    "logged_out_everywhere": {
        "nl": "U bent op alle toestellen afgemeld.",
        "fr": "Vous êtes déconnecté sur tous les appareils.",
    },
    "session_ended": {
        "nl": "Uw sessie is verlopen. Meld u opnieuw aan.",
        "fr": "Votre session a expiré. Veuillez vous reconnecter.",
    },
    "login_401": {
        "nl": "Gebruikersnaam of wachtwoord is niet juist.",
        "fr": "Nom d'utilisateur ou mot de passe incorrect.",
    },
    "login_429": {
        "nl": "Te veel pogingen. Probeer opnieuw over {minutes} minuten.",
        "fr": "Trop de tentatives. Réessayez dans {minutes} minutes.",
    },
    "login_403": {
        "nl": "U kunt zich zo niet aanmelden: kies eerst een nieuw wachtwoord met een code.",
        "fr": "Vous ne pouvez pas vous connecter ainsi : choisissez d'abord un nouveau "
        "mot de passe avec un code.",
    },
    "unavailable": {
        "nl": "De dienst is tijdelijk niet beschikbaar. Probeer het later opnieuw.",
        "fr": "Le service est temporairement indisponible. Réessayez plus tard.",
    },
    "welcome": {"nl": "Welkom, {name}", "fr": "Bienvenue, {name}"},
    "dossier": {"nl": "Uw dossier", "fr": "Votre dossier"},
    "member_number": {"nl": "Lidnummer", "fr": "Numéro de membre"},
    "mutuality": {"nl": "Ziekenfonds", "fr": "Mutualité"},
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
    "forbidden_title": {"nl": "Geweigerd", "fr": "Refusé"},
    "forbidden": {
        "nl": "Dit formulier is verlopen of kwam niet van deze site. Open de pagina opnieuw "
        "en probeer nog eens.",
        "fr": "Ce formulaire a expiré ou ne vient pas de ce site. Rouvrez la page et réessayez.",
    },
    "not_found_title": {"nl": "Niet gevonden", "fr": "Introuvable"},
    "not_found": {
        "nl": "Deze pagina bestaat niet.",
        "fr": "Cette page n'existe pas.",
    },
    "error_title": {"nl": "Er ging iets mis", "fr": "Une erreur s'est produite"},
    "back_home": {"nl": "Terug naar de startpagina", "fr": "Retour à l'accueil"},
}


def text(key: str, language: Language, **values: object) -> str:
    words = TEXTS[key][language]
    return words.format(**values) if values else words
