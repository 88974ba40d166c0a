"""The member portal's words (issue 20 item 2; nl and fr):
registering by code, CSAM, password reset, compromise report. Keys start with ``reg_``."""

from mylm_shared.texts.portal.words import Words

WORDS: Words = {
    # --- links on the log-in page
    "reg_other_ways": {"nl": "Andere mogelijkheden", "fr": "Autres possibilités"},
    "reg_csam_link": {
        "nl": "Aanmelden met CSAM (eID, itsme)",
        "fr": "Se connecter avec CSAM (eID, itsme)",
    },
    "reg_register_link": {
        "nl": "Nog geen account? Registreer met een code",
        "fr": "Pas encore de compte\u00a0? Inscrivez-vous avec un code",
    },
    "reg_reset_link": {"nl": "Wachtwoord vergeten?", "fr": "Mot de passe oublié\u00a0?"},
    "reg_back_login": {"nl": "Terug naar aanmelden", "fr": "Retour à la connexion"},
    "reg_to_login": {"nl": "Naar aanmelden", "fr": "Vers la connexion"},
    # --- registration by code (RG-1..RG-4)
    "reg_title": {"nl": "Registreren bij Mijn LM", "fr": "S'inscrire à Ma LM"},
    "reg_intro": {
        "nl": "Geef uw lidnummer of rijksregisternummer. We sturen een code naar het "
        "e-mailadres of gsm-nummer dat uw ziekenfonds van u kent.",
        "fr": "Indiquez votre numéro de membre ou votre numéro de registre national. Nous "
        "envoyons un code à l'adresse e-mail ou au numéro de GSM que votre mutualité "
        "connaît.",
    },
    "reg_identifier": {
        "nl": "Lidnummer of rijksregisternummer",
        "fr": "Numéro de membre ou numéro de registre national",
    },
    "reg_identifier_hint": {
        "nl": "Uw lidnummer (bijvoorbeeld LM-300001) of uw rijksregisternummer (11 cijfers, "
        "achteraan op uw identiteitskaart).",
        "fr": "Votre numéro de membre (par exemple LM-300001) ou votre numéro de registre "
        "national (11 chiffres, au dos de votre carte d'identité).",
    },
    "reg_channel": {"nl": "Code ontvangen via", "fr": "Recevoir le code par"},
    "reg_channel_email": {"nl": "e-mail", "fr": "e-mail"},
    "reg_channel_sms": {"nl": "sms", "fr": "SMS"},
    "reg_send_code": {"nl": "Code versturen", "fr": "Envoyer le code"},
    "reg_confirm_title": {"nl": "Uw account openen", "fr": "Ouvrir votre compte"},
    "reg_code_sent": {
        "nl": "Als u lid bent, is er een code verstuurd naar {sent_to}. De code is 15 minuten "
        "geldig.",
        "fr": "Si vous êtes membre, un code a été envoyé à {sent_to}. Le code est valable "
        "15 minutes.",
    },
    "reg_code": {"nl": "Code (6 cijfers)", "fr": "Code (6 chiffres)"},
    "reg_username": {"nl": "Kies een gebruikersnaam", "fr": "Choisissez un nom d'utilisateur"},
    "reg_username_hint": {
        "nl": "3 tot 64 tekens: letters, cijfers, punt, streepje of liggend streepje.",
        "fr": "3 à 64 caractères\u00a0: lettres, chiffres, point, tiret ou tiret bas.",
    },
    "reg_password": {"nl": "Kies een wachtwoord", "fr": "Choisissez un mot de passe"},
    "reg_password_hint": {
        "nl": "Minstens 12 tekens; geen bekend of vaak gebruikt wachtwoord.",
        "fr": "Au moins 12 caractères\u00a0; pas un mot de passe connu ou courant.",
    },
    "reg_terms_title": {"nl": "Voorwaarden van My LM", "fr": "Conditions de My LM"},
    "reg_terms_version": {"nl": "Versie", "fr": "Version"},
    "reg_terms_original": {
        "nl": "Lees de volledige tekst hieronder.",
        "fr": "Le texte ci-dessous est l'original néerlandais. Votre mutualité vous en donne "
        "la version française sur demande.",
    },
    "reg_terms_none": {
        "nl": "Vraag de tekst van deze voorwaarden aan uw ziekenfonds.",
        "fr": "Demandez le texte de ces conditions à votre mutualité.",
    },
    "reg_accept": {
        "nl": "Ik aanvaard de voorwaarden (versie {version})",
        "fr": "J'accepte les conditions (version {version})",
    },
    "reg_open_account": {"nl": "Account openen", "fr": "Ouvrir le compte"},
    "reg_new_code": {"nl": "Een nieuwe code vragen", "fr": "Demander un nouveau code"},
    "reg_done_title": {"nl": "Uw account is geopend", "fr": "Votre compte est ouvert"},
    "reg_done": {
        "nl": "Welkom bij Mijn LM. U kunt zich nu aanmelden met de gebruikersnaam {username}.",
        "fr": "Bienvenue sur Ma LM. Vous pouvez maintenant vous connecter avec le nom "
        "d'utilisateur {username}.",
    },
    # --- errors of the code pages
    "reg_missing": {
        "nl": "Vul alle velden in.",
        "fr": "Veuillez remplir tous les champs.",
    },
    "reg_must_accept": {
        "nl": "U moet de voorwaarden aanvaarden om een account te openen.",
        "fr": "Vous devez accepter les conditions pour ouvrir un compte.",
    },
    "reg_bad_identifier": {
        "nl": "Dit is geen geldig lidnummer of rijksregisternummer.",
        "fr": "Ce n'est pas un numéro de membre ou de registre national valable.",
    },
    "reg_wrong_code": {
        "nl": "Deze code is niet juist. Nog {attempts} pogingen.",
        "fr": "Ce code n'est pas correct. Encore {attempts} essais.",
    },
    "reg_code_gone": {
        "nl": "Deze code is verlopen, al gebruikt of vervangen door een nieuwere. Vraag een "
        "nieuwe code.",
        "fr": "Ce code a expiré, a déjà été utilisé ou a été remplacé par un plus récent. "
        "Demandez un nouveau code.",
    },
    "reg_no_request": {
        "nl": "Vraag eerst een code.",
        "fr": "Demandez d'abord un code.",
    },
    "reg_bad_password": {
        "nl": "Dit wachtwoord wordt niet aanvaard: kies er een van minstens 12 tekens dat "
        "niet bekend of vaak gebruikt is.",
        "fr": "Ce mot de passe n'est pas accepté\u00a0: choisissez-en un d'au moins 12 caractères "
        "qui ne soit pas connu ou courant.",
    },
    "reg_bad_username": {
        "nl": "Deze gebruikersnaam kan niet: 3 tot 64 tekens, letters, cijfers, punt of "
        "streepje, beginnend met een letter of cijfer.",
        "fr": "Ce nom d'utilisateur n'est pas possible\u00a0: 3 à 64 caractères, lettres, "
        "chiffres, point ou tiret, commençant par une lettre ou un chiffre.",
    },
    "reg_taken": {
        "nl": "Deze gebruikersnaam is al in gebruik, of u hebt al een account. Kies een "
        "andere naam of meld u aan.",
        "fr": "Ce nom d'utilisateur est déjà pris, ou vous avez déjà un compte. Choisissez "
        "un autre nom ou connectez-vous.",
    },
    "reg_terms_changed": {
        "nl": "De voorwaarden zijn intussen gewijzigd. Lees en aanvaard de nieuwe versie.",
        "fr": "Les conditions ont changé entre-temps. Lisez et acceptez la nouvelle version.",
    },
    "reg_429": {
        "nl": "Te veel pogingen. Probeer opnieuw over {minutes} minuten.",
        "fr": "Trop de tentatives. Réessayez dans {minutes} minutes.",
    },
    # --- password reset (LF-4)
    "reg_reset_title": {"nl": "Nieuw wachtwoord kiezen", "fr": "Choisir un nouveau mot de passe"},
    "reg_reset_intro": {
        "nl": "Geef uw gebruikersnaam, lidnummer of rijksregisternummer. We sturen een code "
        "naar het e-mailadres of gsm-nummer dat uw ziekenfonds van u kent.",
        "fr": "Indiquez votre nom d'utilisateur, votre numéro de membre ou de registre "
        "national. Nous envoyons un code à l'adresse e-mail ou au numéro de GSM que votre "
        "mutualité connaît.",
    },
    "reg_reset_identifier": {
        "nl": "Gebruikersnaam, lidnummer of rijksregisternummer",
        "fr": "Nom d'utilisateur, numéro de membre ou de registre national",
    },
    "reg_new_password": {"nl": "Nieuw wachtwoord", "fr": "Nouveau mot de passe"},
    "reg_reset_button": {"nl": "Wachtwoord wijzigen", "fr": "Changer le mot de passe"},
    "reg_reset_done_title": {
        "nl": "Uw wachtwoord is gewijzigd",
        "fr": "Votre mot de passe est changé",
    },
    "reg_reset_done": {
        "nl": "U bent op alle toestellen afgemeld. Meld u aan met uw nieuwe wachtwoord.",
        "fr": "Vous êtes déconnecté sur tous les appareils. Connectez-vous avec votre "
        "nouveau mot de passe.",
    },
    # --- report a compromise (LF-4)
    "reg_compromise_link": {
        "nl": "Misbruik van uw account melden",
        "fr": "Signaler un abus de votre compte",
    },
    "reg_compromise_title": {
        "nl": "Misbruik van uw account melden",
        "fr": "Signaler un abus de votre compte",
    },
    "reg_compromise_intro": {
        "nl": "Denkt u dat iemand anders uw wachtwoord kent of uw account gebruikt? Meld het "
        "hier meteen.",
        "fr": "Vous pensez que quelqu'un d'autre connaît votre mot de passe ou utilise votre "
        "compte\u00a0? Signalez-le ici immédiatement.",
    },
    "reg_compromise_what": {
        "nl": "Wat er dan gebeurt",
        "fr": "Ce qui se passe ensuite",
    },
    "reg_compromise_sessions": {
        "nl": "Al uw sessies stoppen meteen, op al uw toestellen, ook deze.",
        "fr": "Toutes vos sessions s'arrêtent immédiatement, sur tous vos appareils, "
        "celui-ci compris.",
    },
    "reg_compromise_password": {
        "nl": "Uw wachtwoord werkt niet meer: u kiest een nieuw wachtwoord met een code die "
        "we sturen naar het e-mailadres of gsm-nummer dat uw ziekenfonds van u kent.",
        "fr": "Votre mot de passe ne fonctionne plus\u00a0: vous en choisissez un nouveau avec un "
        "code envoyé à l'adresse e-mail ou au numéro de GSM que votre mutualité connaît.",
    },
    "reg_compromise_mutuality": {
        "nl": "Verwittig ook uw ziekenfonds.",
        "fr": "Prévenez aussi votre mutualité.",
    },
    "reg_compromise_button": {
        "nl": "Misbruik melden en alle sessies stoppen",
        "fr": "Signaler l'abus et arrêter toutes les sessions",
    },
    "reg_compromised": {
        "nl": "Uw melding is ontvangen en al uw sessies zijn gestopt. Kies nu een nieuw "
        "wachtwoord met een code.",
        "fr": "Votre signalement est reçu et toutes vos sessions sont arrêtées. Choisissez "
        "maintenant un nouveau mot de passe avec un code.",
    },
    # --- CSAM (RG-5)
    "reg_csam_title": {"nl": "Aanmelden met CSAM", "fr": "Connexion avec CSAM"},
    "reg_csam_failed": {
        "nl": "De aanmelding met CSAM is niet gelukt of werd geannuleerd. Probeer opnieuw.",
        "fr": "La connexion avec CSAM n'a pas abouti ou a été annulée. Réessayez.",
    },
    "reg_csam_not_member": {
        "nl": "Uw rijksregisternummer is bij ons niet bekend als lid van een Liberale "
        "Mutualiteit. Neem contact op met uw ziekenfonds.",
        "fr": "Votre numéro de registre national ne nous est pas connu comme membre d'une "
        "Mutualité Libérale. Contactez votre mutualité.",
    },
    "reg_csam_inactive": {
        "nl": "Uw account is geschorst of beëindigd. Neem contact op met uw ziekenfonds.",
        "fr": "Votre compte est suspendu ou clôturé. Contactez votre mutualité.",
    },
    "reg_csam_disabled": {
        "nl": "Uw ziekenfonds biedt aanmelden met CSAM nu niet aan.",
        "fr": "Votre mutualité ne propose pas la connexion avec CSAM pour le moment.",
    },
    "reg_csam_again": {"nl": "Opnieuw met CSAM", "fr": "Réessayer avec CSAM"},
    "reg_csam_signup_title": {
        "nl": "Nog geen account bij Mijn LM",
        "fr": "Pas encore de compte sur Ma LM",
    },
    "reg_csam_signup_intro": {
        "nl": "U bent aangemeld met CSAM, maar u hebt nog geen account bij Mijn LM. Lees de "
        "voorwaarden en aanvaard ze om uw account te openen; u meldt zich daarna altijd "
        "aan met CSAM.",
        "fr": "Vous êtes connecté avec CSAM, mais vous n'avez pas encore de compte sur "
        "Ma LM. Lisez les conditions et acceptez-les pour ouvrir votre compte\u00a0; vous vous "
        "connecterez ensuite toujours avec CSAM.",
    },
    "reg_csam_signup_alt": {
        "nl": "Liever een gebruikersnaam en wachtwoord? Registreer met een code.",
        "fr": "Vous préférez un nom d'utilisateur et un mot de passe\u00a0? Inscrivez-vous avec "
        "un code.",
    },
    "reg_csam_signup_gone": {
        "nl": "Deze aanvraag is verlopen (15 minuten). Meld u opnieuw aan met CSAM.",
        "fr": "Cette demande a expiré (15 minutes). Reconnectez-vous avec CSAM.",
    },
    "reg_csam_has_account": {
        "nl": "U hebt al een account. Meld u aan met CSAM.",
        "fr": "Vous avez déjà un compte. Connectez-vous avec CSAM.",
    },
}
