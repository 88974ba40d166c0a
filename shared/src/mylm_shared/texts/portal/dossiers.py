"""The member portal's words (issue 20 item 2; nl and fr):
switching dossier between oneself and a dependant, closed dossiers (AC-1..AC-6; the
Dutch of the My LM terms, article 3, wins)."""

from mylm_shared.texts.portal.words import Words

WORDS: Words = {
    "dossiers_title": {"nl": "Dossiers", "fr": "Dossiers"},
    "dossiers_intro": {
        "nl": "Als titularis kunt u ook het dossier openen van uw personen ten laste jonger "
        "dan 18 jaar, en van uw personen ten laste van 18 jaar of ouder die u daar zelf "
        "toegang toe gaven in My LM.",
        "fr": "En tant que titulaire, vous pouvez aussi ouvrir le dossier de vos personnes à "
        "charge de moins de 18 ans, et celui de vos personnes à charge de 18 ans ou plus "
        "qui vous y ont elles-mêmes donné accès dans My LM.",
    },
    "dossiers_own_heading": {"nl": "Uw eigen dossier", "fr": "Votre propre dossier"},
    "dossiers_dependants_heading": {
        "nl": "Personen ten laste",
        "fr": "Personnes à charge",
    },
    "dossiers_none": {
        "nl": "Er is geen persoon ten laste van wie u het dossier kunt openen.",
        "fr": "Il n'y a aucune personne à charge dont vous pouvez ouvrir le dossier.",
    },
    "dossiers_open_now": {"nl": "Nu geopend", "fr": "Ouvert maintenant"},
    "dossiers_open_button": {
        "nl": "Dossier van {name} openen",
        "fr": "Ouvrir le dossier de {name}",
    },
    "dossiers_own_button": {
        "nl": "Terug naar uw eigen dossier",
        "fr": "Revenir à votre propre dossier",
    },
    "dossiers_basis_ac2": {
        "nl": "Jonger dan 18 jaar: u hebt toegang als titularis.",
        "fr": "Moins de 18 ans\u00a0: vous y avez accès en tant que titulaire.",
    },
    "dossiers_basis_ac5": {
        "nl": "18 jaar of ouder: {name} gaf u zelf toegang.",
        "fr": "18 ans ou plus\u00a0: {name} vous a donné accès.",
    },
    "dossiers_not_open": {"nl": "Niet toegankelijk", "fr": "Pas accessible"},
    "dossiers_reason_ac3": {
        "nl": "{name} heeft zich zelf in My LM geregistreerd en uw toegang ingetrokken. "
        "Alleen {name} kan die toegang herstellen.",
        "fr": "{name} s'est inscrit(e) personnellement dans My LM et a retiré votre accès. "
        "Seul(e) {name} peut le rétablir.",
    },
    "dossiers_reason_ac4": {
        "nl": "{name} is 18 jaar of ouder: u hebt geen toegang, tenzij {name} u die zelf "
        "geeft in My LM, met een eigen account.",
        "fr": "{name} a 18 ans ou plus\u00a0: vous n'y avez pas accès, sauf si {name} vous le "
        "donne personnellement dans My LM, avec son propre compte.",
    },
    "dossiers_reason_unknown": {
        "nl": "U hebt nu geen toegang tot dit dossier.",
        "fr": "Vous n'avez pas accès à ce dossier pour le moment.",
    },
    "dossiers_closed_notice": {
        "nl": "Het dossier van {name} is niet (meer) open voor u. Dat gebeurt wanneer "
        "{name} 18 jaar is (tenzij {name} u zelf toegang geeft in My LM), of wanneer "
        "{name} zich zelf registreerde en uw toegang heeft ingetrokken. U ziet weer uw "
        "eigen dossier.",
        "fr": "Le dossier de {name} ne vous est pas (plus) accessible. C'est le cas lorsque "
        "{name} a 18 ans (sauf si {name} vous donne accès dans My LM), ou lorsque {name}, "
        "inscrit(e) personnellement, a retiré votre accès. Vous voyez à nouveau votre "
        "propre dossier.",
    },
    "dossiers_closed_notice_unnamed": {
        "nl": "Dit dossier is niet (meer) open voor u. U ziet weer uw eigen dossier.",
        "fr": "Ce dossier ne vous est pas (plus) accessible. Vous voyez à nouveau votre "
        "propre dossier.",
    },
    "dossiers_banner_own": {
        "nl": "U bekijkt uw eigen dossier.",
        "fr": "Vous consultez votre propre dossier.",
    },
    "dossiers_banner_other": {
        "nl": "U bekijkt het dossier van {name}.",
        "fr": "Vous consultez le dossier de {name}.",
    },
    "dossiers_banner_link": {"nl": "Dossier wisselen", "fr": "Changer de dossier"},
    "dossiers_home_title": {"nl": "Dossier van {name}", "fr": "Dossier de {name}"},
    "dossiers_home_facts": {"nl": "Gegevens van het dossier", "fr": "Données du dossier"},
}
