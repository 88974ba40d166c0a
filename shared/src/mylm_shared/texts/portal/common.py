"""The member portal's words (issue 20 item 2; nl and fr):
every page's frame: site, navigation, language switch, errors."""

from mylm_shared.texts.portal.words import Words

WORDS: Words = {
    "site": {"nl": "Mijn LM", "fr": "Ma LM"},
    "skip": {"nl": "Naar de inhoud", "fr": "Aller au contenu"},
    "nav_label": {"nl": "Hoofdmenu", "fr": "Menu principal"},
    "lang_label": {"nl": "Taal", "fr": "Langue"},
    "home": {"nl": "Start", "fr": "Accueil"},
    "nav_inbox": {"nl": "Inbox", "fr": "Boîte de réception"},
    "nav_policies": {"nl": "Verzekeringen", "fr": "Assurances"},
    "nav_claims": {"nl": "Schadegevallen", "fr": "Sinistres"},
    "nav_settings": {"nl": "Instellingen", "fr": "Paramètres"},
    "unavailable": {
        "nl": "De dienst is tijdelijk niet beschikbaar. Probeer het later opnieuw.",
        "fr": "Le service est temporairement indisponible. Réessayez plus tard.",
    },
    "welcome": {"nl": "Welkom, {name}", "fr": "Bienvenue, {name}"},
    "dossier": {"nl": "Uw dossier", "fr": "Votre dossier"},
    "member_number": {"nl": "Lidnummer", "fr": "Numéro de membre"},
    "mutuality": {"nl": "Ziekenfonds", "fr": "Mutualité"},
    "forbidden_title": {"nl": "Geweigerd", "fr": "Refusé"},
    "forbidden": {
        "nl": "Dit formulier is verlopen of kwam niet van deze site. Open de pagina opnieuw "
        "en probeer nog eens.",
        "fr": "Ce formulaire a expiré ou ne vient pas de ce site. Rouvrez la page et réessayez.",
    },
    "no_access": {
        "nl": "U hebt geen toegang tot dit dossier of dit document.",
        "fr": "Vous n'avez pas accès à ce dossier ou à ce document.",
    },
    "not_found_title": {"nl": "Niet gevonden", "fr": "Introuvable"},
    "not_found": {
        "nl": "Deze pagina bestaat niet.",
        "fr": "Cette page n'existe pas.",
    },
    "error_title": {"nl": "Er ging iets mis", "fr": "Une erreur s'est produite"},
    "back_home": {"nl": "Terug naar de startpagina", "fr": "Retour à l'accueil"},
}
