"""The member portal's words: logging in and out, sessions (issue 20 item 2; nl and fr)."""

from mylm_shared.texts.portal.words import Words

WORDS: Words = {
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
}
