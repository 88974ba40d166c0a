"""The member portal's words (issue 20 item 2; nl and fr):
the inbox and messages to the mutuality."""

from mylm_shared.texts.portal.words import Words

WORDS: Words = {
    # ------------------------------------------------------------------ the inbox (IN-1)
    "inbox_title": {"nl": "Uw inbox", "fr": "Votre boîte de réception"},
    "inbox_unread_badge": {"nl": "ongelezen", "fr": "non lus"},
    "inbox_unread_label": {"nl": "Ongelezen documenten", "fr": "Documents non lus"},
    "inbox_filter_label": {"nl": "Toon", "fr": "Afficher"},
    "inbox_filter_all": {"nl": "Inbox", "fr": "Boîte de réception"},
    "inbox_filter_unread": {"nl": "Ongelezen", "fr": "Non lus"},
    "inbox_filter_archived": {"nl": "Archief", "fr": "Archives"},
    "inbox_empty": {
        "nl": "Er zijn hier geen documenten.",
        "fr": "Il n'y a aucun document ici.",
    },
    "inbox_col_title": {"nl": "Document", "fr": "Document"},
    "inbox_col_kind": {"nl": "Soort", "fr": "Type"},
    "inbox_col_date": {"nl": "Datum", "fr": "Date"},
    "inbox_col_state": {"nl": "Status", "fr": "État"},
    "inbox_col_actions": {"nl": "Acties", "fr": "Actions"},
    "inbox_state_read": {"nl": "Gelezen", "fr": "Lu"},
    "inbox_state_unread": {"nl": "Ongelezen", "fr": "Non lu"},
    "inbox_state_archived": {"nl": "Gearchiveerd", "fr": "Archivé"},
    "inbox_mark_read": {"nl": "Markeer als gelezen", "fr": "Marquer comme lu"},
    "inbox_mark_unread": {"nl": "Markeer als ongelezen", "fr": "Marquer comme non lu"},
    "inbox_archive": {"nl": "Archiveer", "fr": "Archiver"},
    "inbox_unarchive": {"nl": "Terug naar inbox", "fr": "Remettre dans la boîte"},
    "inbox_next_page": {"nl": "Volgende pagina", "fr": "Page suivante"},
    "inbox_first_page": {"nl": "Eerste pagina", "fr": "Première page"},
    "inbox_pages_label": {"nl": "Pagina's", "fr": "Pages"},
    "inbox_done_read": {"nl": "Gemarkeerd als gelezen.", "fr": "Marqué comme lu."},
    "inbox_done_unread": {"nl": "Gemarkeerd als ongelezen.", "fr": "Marqué comme non lu."},
    "inbox_done_archive": {
        "nl": "Het document staat in uw archief.",
        "fr": "Le document est dans vos archives.",
    },
    "inbox_done_unarchive": {
        "nl": "Het document staat weer in uw inbox.",
        "fr": "Le document est de retour dans votre boîte de réception.",
    },
    "inbox_back": {"nl": "Terug naar uw inbox", "fr": "Retour à votre boîte de réception"},
    "inbox_download": {"nl": "Download (PDF)", "fr": "Télécharger (PDF)"},
    "inbox_no_content": {
        "nl": "Dit document heeft geen bestand om te downloaden.",
        "fr": "Ce document n'a pas de fichier à télécharger.",
    },
    "inbox_received": {"nl": "Ontvangen", "fr": "Reçu le"},
    "inbox_kind": {"nl": "Soort", "fr": "Type"},
    "inbox_state": {"nl": "Status", "fr": "État"},
    "inbox_letter": {"nl": "Brief", "fr": "Lettre"},
    "inbox_write": {
        "nl": "Een bericht sturen aan uw ziekenfonds",
        "fr": "Envoyer un message à votre mutualité",
    },
    "inbox_sent_link": {"nl": "Uw verzonden berichten", "fr": "Vos messages envoyés"},
    "inbox_403": {
        "nl": "U hebt geen toegang tot deze inbox.",
        "fr": "Vous n'avez pas accès à cette boîte de réception.",
    },
    "inbox_422": {
        "nl": "Deze pagina bestaat niet meer. Begin opnieuw bij de eerste pagina.",
        "fr": "Cette page n'existe plus. Recommencez à la première page.",
    },
    "inbox_kind_invoice": {"nl": "Factuur", "fr": "Facture"},
    "inbox_kind_invoice_reminder": {"nl": "Herinnering", "fr": "Rappel"},
    "inbox_kind_policy_conditions": {
        "nl": "Bijzondere voorwaarden",
        "fr": "Conditions particulières",
    },
    "inbox_kind_terms_changed": {"nl": "Nieuwe voorwaarden", "fr": "Nouvelles conditions"},
    "inbox_kind_maintenance_announced": {"nl": "Onderhoud", "fr": "Maintenance"},
    "inbox_kind_claim_acknowledgement": {
        "nl": "Ontvangstbevestiging schadegeval",
        "fr": "Accusé de réception du sinistre",
    },
    "inbox_kind_claim_documents_requested": {
        "nl": "Gevraagde documenten",
        "fr": "Documents demandés",
    },
    "inbox_kind_claim_decision": {"nl": "Beslissing schadegeval", "fr": "Décision sinistre"},
    "inbox_kind_claim_offer": {"nl": "Voorstel tot vergoeding", "fr": "Offre d'indemnisation"},
    "inbox_kind_claim_offer_accepted": {"nl": "Aanvaard voorstel", "fr": "Offre acceptée"},
    "inbox_kind_claim_payment": {"nl": "Betaling", "fr": "Paiement"},
    "inbox_kind_claim_closed": {"nl": "Schadegeval afgesloten", "fr": "Sinistre clôturé"},
    "inbox_kind_other": {"nl": "Document", "fr": "Document"},
    # ------------------------------------------------- messages to the mutuality (ES-1..3)
    "message_list_title": {"nl": "Uw berichten", "fr": "Vos messages"},
    "message_new_title": {"nl": "Nieuw bericht", "fr": "Nouveau message"},
    "message_new_link": {"nl": "Nieuw bericht", "fr": "Nouveau message"},
    "message_none": {
        "nl": "U hebt nog geen berichten verstuurd.",
        "fr": "Vous n'avez encore envoyé aucun message.",
    },
    "message_col_subject": {"nl": "Onderwerp", "fr": "Objet"},
    "message_col_sent": {"nl": "Verzonden", "fr": "Envoyé le"},
    "message_col_files": {"nl": "Bestanden", "fr": "Fichiers"},
    "message_col_signature": {"nl": "Handtekening", "fr": "Signature"},
    "message_subject": {"nl": "Onderwerp", "fr": "Objet"},
    "message_content": {"nl": "Uw bericht (bestand)", "fr": "Votre message (fichier)"},
    "message_content_help": {
        "nl": "Het bestand met uw bericht, bijvoorbeeld een PDF- of tekstbestand.",
        "fr": "Le fichier contenant votre message, par exemple un fichier PDF ou texte.",
    },
    "message_attachments": {"nl": "Bijlagen (optioneel)", "fr": "Pièces jointes (facultatif)"},
    "message_attachments_help": {
        "nl": "Tot {count} bestanden, samen hoogstens {size}.",
        "fr": "Jusqu'à {count} fichiers, {size} au total au maximum.",
    },
    "message_signature": {
        "nl": "Handtekening met uw eID (optioneel, .p7s)",
        "fr": "Signature avec votre eID (facultatif, .p7s)",
    },
    "message_signature_help": {
        "nl": "Wilt u uw bericht ondertekenen? Onderteken het berichtbestand met uw eID-kaart "
        "en kaartlezer (bijvoorbeeld met het programma van de eID-middleware of DigiSign) als "
        "een losse handtekening (CMS/PKCS#7, .p7s) en kies die hier. Wijzig het bericht niet "
        "meer nadat u het ondertekend hebt: dan is de handtekening niet meer geldig.",
        "fr": "Vous souhaitez signer votre message\u00a0? Signez le fichier du message avec votre "
        "carte eID et un lecteur (par exemple avec le logiciel du middleware eID ou DigiSign) "
        "sous forme de signature détachée (CMS/PKCS#7, .p7s) et choisissez-la ici. Ne modifiez "
        "plus le message après l'avoir signé\u00a0: la signature ne serait plus valable.",
    },
    "message_send": {"nl": "Verstuur", "fr": "Envoyer"},
    "message_sent": {
        "nl": "Uw bericht is verstuurd.",
        "fr": "Votre message a été envoyé.",
    },
    "message_result": {"nl": "Handtekening", "fr": "Signature"},
    "message_status_valid": {"nl": "Geldig", "fr": "Valide"},
    "message_status_rejected": {"nl": "Niet aanvaard", "fr": "Refusée"},
    "message_status_unsigned": {"nl": "Niet ondertekend", "fr": "Non signé"},
    "message_valid_by": {"nl": "Ondertekend door {signer}", "fr": "Signé par {signer}"},
    "message_subject_missing": {
        "nl": "Vul een onderwerp in.",
        "fr": "Indiquez un objet.",
    },
    "message_content_missing": {
        "nl": "Kies het bestand met uw bericht (het mag niet leeg zijn).",
        "fr": "Choisissez le fichier de votre message (il ne peut pas être vide).",
    },
    "message_too_many": {
        "nl": "U kunt hoogstens {count} bijlagen meesturen.",
        "fr": "Vous pouvez joindre {count} fichiers au maximum.",
    },
    "message_413": {
        "nl": "Uw bestanden zijn samen te groot (hoogstens {size}).",
        "fr": "Vos fichiers sont trop volumineux ensemble ({size} au maximum).",
    },
    "message_403": {
        "nl": "U kunt geen bericht sturen voor dit dossier.",
        "fr": "Vous ne pouvez pas envoyer de message pour ce dossier.",
    },
    "message_error_title": {
        "nl": "Het bericht is niet verstuurd",
        "fr": "Le message n'a pas été envoyé",
    },
    # the verifier's reasons (inbox-svc adapters/cms.py) as the member reads them
    "message_reason_changed": {
        "nl": "Het bericht werd gewijzigd nadat het ondertekend werd.",
        "fr": "Le message a été modifié après avoir été signé.",
    },
    "message_reason_untrusted": {
        "nl": "De handtekening is niet met een Belgische eID-kaart gezet.",
        "fr": "La signature n'a pas été faite avec une carte eID belge.",
    },
    "message_reason_expired": {
        "nl": "Het certificaat van uw eID-kaart was vervallen toen u ondertekende.",
        "fr": "Le certificat de votre carte eID avait expiré au moment de la signature.",
    },
    "message_reason_not_yet": {
        "nl": "Het certificaat van uw eID-kaart was nog niet geldig toen u ondertekende.",
        "fr": "Le certificat de votre carte eID n'était pas encore valable lors de la signature.",
    },
    "message_reason_not_signing": {
        "nl": "U gebruikte het certificaat voor aanmelden; onderteken met het certificaat "
        "voor handtekeningen van uw eID.",
        "fr": "Vous avez utilisé le certificat d'authentification\u00a0; signez avec le certificat "
        "de signature de votre eID.",
    },
    "message_reason_later": {
        "nl": "Het tijdstip van ondertekenen ligt na de ontvangst van het bericht.",
        "fr": "L'heure de signature est postérieure à la réception du message.",
    },
    "message_reason_not_cms": {
        "nl": "Het handtekeningbestand is geen geldige eID-handtekening (.p7s).",
        "fr": "Le fichier de signature n'est pas une signature eID valable (.p7s).",
    },
    "message_reason_blocked": {
        "nl": "Ondertekenen is geblokkeerd voor uw dossier (verlies of diefstal van uw eID){why}.",
        "fr": "La signature est bloquée pour votre dossier (perte ou vol de votre eID){why}.",
    },
    "message_reason_other": {
        "nl": "De handtekening kon niet aanvaard worden ({reason}).",
        "fr": "La signature n'a pas pu être acceptée ({reason}).",
    },
}
