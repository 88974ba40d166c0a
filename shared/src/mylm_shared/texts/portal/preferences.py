"""The member portal's words (issue 20 item 2; nl and fr):
settings: e-invoicing (EI-2, EI-3), the inbox (IN-2, IN-3), e-mails per category (EI-4)
and the notification address. What switching off means follows the My LM terms (seeds:
"De opzegging houdt in dat de klant weer facturen op papier zal ontvangen"; the inbox:
"Je kan de Inbox op elk ogenblik activeren of deactiveren")."""

from mylm_shared.texts.portal.words import Words

NBSP = "\u00a0"

WORDS: Words = {
    "settings_title": {"nl": "Instellingen", "fr": "Paramètres"},
    "settings_intro": {
        "nl": "Kies hoe LM u bereikt: hoe u uw facturen en documenten krijgt, en over "
        "welke onderwerpen we u een e-mail sturen.",
        "fr": f"Choisissez comment la LM vous contacte{NBSP}: comment vous recevez vos "
        "factures et vos documents, et pour quels sujets nous vous envoyons un e-mail.",
    },
    "settings_since": {"nl": "Sinds {date}.", "fr": "Depuis le {date}."},
    "settings_unavailable": {
        "nl": "Deze instelling kunnen we nu niet tonen. Probeer het later opnieuw.",
        "fr": "Ce paramètre ne peut pas être affiché pour le moment. Réessayez plus tard.",
    },
    # e-invoicing (EI-2, EI-3)
    "settings_einvoicing_title": {"nl": "E-facturatie", "fr": "Facturation électronique"},
    "settings_einvoicing_state_on": {
        "nl": "E-facturatie staat aan: uw facturen komen in Mijn LM en u krijgt ze niet op papier.",
        "fr": f"La facturation électronique est activée{NBSP}: vos factures arrivent dans "
        "Ma LM et vous ne les recevez pas sur papier.",
    },
    "settings_einvoicing_state_off": {
        "nl": "E-facturatie staat uit: u krijgt uw facturen op papier, per post.",
        "fr": f"La facturation électronique est désactivée{NBSP}: vous recevez vos factures "
        "sur papier, par la poste.",
    },
    "settings_einvoicing_legend": {
        "nl": "Hoe wilt u uw facturen krijgen?",
        "fr": f"Comment souhaitez-vous recevoir vos factures{NBSP}?",
    },
    "settings_einvoicing_on": {
        "nl": "Elektronisch in Mijn LM (geen papier)",
        "fr": "Par voie électronique dans Ma LM (pas de papier)",
    },
    "settings_einvoicing_off": {"nl": "Op papier, per post", "fr": "Sur papier, par la poste"},
    "settings_einvoicing_explained": {
        "nl": "Met e-facturatie bekijkt, downloadt en betaalt u uw facturen in Mijn LM. LM "
        "stuurt dan geen facturen op papier en ook geen papieren kopie van een "
        "elektronische factuur.",
        "fr": "Avec la facturation électronique, vous consultez, téléchargez et payez vos "
        "factures dans Ma LM. La LM n'envoie alors plus de factures sur papier, ni de copie "
        "papier d'une facture électronique.",
    },
    "settings_einvoicing_off_means": {
        "nl": "Zet u e-facturatie uit, dan krijgt u uw facturen weer op papier, per post, "
        "vanaf de volgende factuur. Facturen die u al kreeg, blijven te betalen vóór de "
        "vervaldag die erop staat. U kunt e-facturatie op elk ogenblik weer aanzetten.",
        "fr": "Si vous désactivez la facturation électronique, vous recevrez à nouveau vos "
        "factures sur papier, par la poste, dès la prochaine facture. Les factures déjà "
        "reçues restent à payer avant l'échéance qui y figure. Vous pouvez réactiver la "
        "facturation électronique à tout moment.",
    },
    "settings_einvoicing_save": {
        "nl": "Keuze voor facturen bewaren",
        "fr": "Enregistrer le choix pour les factures",
    },
    "settings_einvoicing_on_done": {
        "nl": "E-facturatie staat aan: uw volgende facturen komen in Mijn LM, niet meer op papier.",
        "fr": f"La facturation électronique est activée{NBSP}: vos prochaines factures "
        "arrivent dans Ma LM, plus sur papier.",
    },
    "settings_einvoicing_off_done": {
        "nl": "E-facturatie staat uit: u krijgt uw volgende facturen op papier, per post.",
        "fr": f"La facturation électronique est désactivée{NBSP}: vous recevrez vos "
        "prochaines factures sur papier, par la poste.",
    },
    # the inbox (IN-2, IN-3)
    "settings_inbox_title": {"nl": "Inbox", "fr": "Boîte de réception"},
    "settings_inbox_state_on": {
        "nl": "Uw inbox staat aan: documenten van LM (brieven, voorwaarden, facturen) komen "
        "in uw inbox in Mijn LM.",
        "fr": f"Votre boîte de réception est activée{NBSP}: les documents de la LM "
        "(courriers, conditions, factures) arrivent dans votre boîte de réception Ma LM.",
    },
    "settings_inbox_state_off": {
        "nl": "Uw inbox staat uit: u krijgt documenten van LM per post.",
        "fr": f"Votre boîte de réception est désactivée{NBSP}: vous recevez les documents "
        "de la LM par la poste.",
    },
    "settings_inbox_legend": {
        "nl": "Hoe wilt u documenten van LM krijgen?",
        "fr": f"Comment souhaitez-vous recevoir les documents de la LM{NBSP}?",
    },
    "settings_inbox_on": {
        "nl": "In mijn inbox in Mijn LM",
        "fr": "Dans ma boîte de réception Ma LM",
    },
    "settings_inbox_off": {
        "nl": "Per post (inbox uit)",
        "fr": "Par la poste (boîte de réception désactivée)",
    },
    "settings_inbox_off_means": {
        "nl": "Zet u de inbox uit, dan krijgt u nieuwe documenten per post, ook uw facturen. "
        "Wat al in uw inbox staat, blijft daar. U kunt de inbox op elk ogenblik weer "
        "aanzetten: nieuwe documenten komen dan weer in uw inbox.",
        "fr": "Si vous désactivez la boîte de réception, vous recevrez les nouveaux "
        "documents par la poste, vos factures aussi. Ce qui se trouve déjà dans votre boîte "
        f"de réception y reste. Vous pouvez la réactiver à tout moment{NBSP}: les nouveaux "
        "documents y arriveront à nouveau.",
    },
    "settings_inbox_save": {
        "nl": "Keuze voor documenten bewaren",
        "fr": "Enregistrer le choix pour les documents",
    },
    "settings_inbox_on_done": {
        "nl": "Uw inbox staat aan: nieuwe documenten komen in Mijn LM.",
        "fr": f"Votre boîte de réception est activée{NBSP}: les nouveaux documents arrivent "
        "dans Ma LM.",
    },
    "settings_inbox_off_done": {
        "nl": "Uw inbox staat uit: u krijgt nieuwe documenten per post.",
        "fr": f"Votre boîte de réception est désactivée{NBSP}: vous recevrez les nouveaux "
        "documents par la poste.",
    },
    # e-mails per category (EI-4)
    "settings_emails_title": {"nl": "E-mails", "fr": "E-mails"},
    "settings_emails_legend": {
        "nl": "Waarover wilt u een e-mail krijgen?",
        "fr": f"Pour quels sujets souhaitez-vous recevoir un e-mail{NBSP}?",
    },
    "settings_email_invoices": {
        "nl": "Een nieuwe factuur en herinneringen",
        "fr": "Une nouvelle facture et les rappels",
    },
    "settings_email_documents": {
        "nl": "Een nieuw document in uw inbox",
        "fr": "Un nouveau document dans votre boîte de réception",
    },
    "settings_email_policy": {
        "nl": "Uw verzekeringen: de termijnen bij een wijziging van uw contract",
        "fr": f"Vos assurances{NBSP}: les délais lors d'une modification de votre contrat",
    },
    "settings_email_claims": {
        "nl": "Uw schadegevallen: elke stap in de behandeling",
        "fr": f"Vos sinistres{NBSP}: chaque étape du traitement",
    },
    "settings_emails_always": {
        "nl": "Berichten over de veiligheid van uw account krijgt u altijd, die kunt u niet "
        "uitzetten: de code voor een nieuw e-mailadres, het bericht dat uw e-mailadres of "
        "uw rekeningnummer voor een uitbetaling gewijzigd is, en de aankondiging van "
        "nieuwe voorwaarden voor e-facturatie.",
        "fr": "Les messages sur la sécurité de votre compte vous sont toujours envoyés et "
        f"ne peuvent pas être désactivés{NBSP}: le code pour une nouvelle adresse e-mail, "
        "l'avis de changement de votre adresse e-mail ou de votre numéro de compte pour un "
        "paiement, et l'annonce de nouvelles conditions de facturation électronique.",
    },
    "settings_emails_pay_anyway": {
        "nl": "Ook zonder e-mail betaalt u een factuur vóór de vervaldag die erop staat.",
        "fr": "Même sans e-mail, une facture est à payer avant l'échéance qui y figure.",
    },
    "settings_emails_save": {
        "nl": "Keuze voor e-mails bewaren",
        "fr": "Enregistrer le choix pour les e-mails",
    },
    "settings_emails_done": {
        "nl": "Uw keuze voor e-mails is bewaard.",
        "fr": "Votre choix pour les e-mails est enregistré.",
    },
    # the notification address (EI-4: "changeable in My Settings")
    "settings_address_title": {
        "nl": "E-mailadres voor berichten",
        "fr": "Adresse e-mail pour les notifications",
    },
    "settings_address_intro": {
        "nl": "We sturen onze e-mails naar het adres dat u bij uw inschrijving gaf, tot u "
        "hier een ander adres bevestigt. Daarvoor krijgt u een code van 6 cijfers op het "
        "nieuwe adres; tot u die ingeeft, blijft het oude adres in gebruik.",
        "fr": "Nous envoyons nos e-mails à l'adresse donnée lors de votre inscription, "
        "jusqu'à ce que vous en confirmiez une autre ici. Vous recevez pour cela un code "
        "à 6 chiffres à la nouvelle adresse\u00a0; tant que vous ne l'avez pas saisi, "
        "l'ancienne adresse reste utilisée.",
    },
    # the address in use and a change waiting (notify GET …/email, EI-4)
    "settings_address_in_use": {
        "nl": "Onze e-mails gaan nu naar",
        "fr": "Nos e-mails sont envoyés à",
    },
    "settings_address_source_default": {
        "nl": "Het e-mailadres dat u bij uw inschrijving gaf.",
        "fr": "L'adresse e-mail donnée lors de votre inscription.",
    },
    "settings_address_source_member": {
        "nl": "Het e-mailadres dat u zelf bevestigde.",
        "fr": "L'adresse e-mail que vous avez vous-même confirmée.",
    },
    "settings_address_none": {
        "nl": "We hebben geen e-mailadres van u. Geef er een in om onze e-mails te krijgen.",
        "fr": "Nous n'avons pas d'adresse e-mail pour vous. Indiquez-en une pour recevoir "
        "nos e-mails.",
    },
    "settings_address_pending": {
        "nl": "Nieuw e-mailadres dat wacht op de code: {address}. Geef de code in vóór "
        "{time} op {date}; tot dan gaan onze e-mails naar het adres hierboven.",
        "fr": f"Nouvelle adresse e-mail en attente du code{NBSP}: {{address}}. Saisissez le "
        f"code avant {{time}} le {{date}}{NBSP}; d'ici là, nos e-mails sont envoyés à "
        "l'adresse ci-dessus.",
    },
    "settings_address_too_many": {
        "nl": "U hebt te veel codes gevraagd. Probeer het over {minutes} minuten opnieuw.",
        "fr": "Vous avez demandé trop de codes. Réessayez dans {minutes} minutes.",
    },
    "settings_address_too_many_minute": {
        "nl": "U hebt net een code gevraagd. Probeer het over een minuut opnieuw.",
        "fr": "Vous venez de demander un code. Réessayez dans une minute.",
    },
    "settings_address_change": {
        "nl": "E-mailadres wijzigen",
        "fr": "Modifier l'adresse e-mail",
    },
    "settings_address_label": {"nl": "Nieuw e-mailadres", "fr": "Nouvelle adresse e-mail"},
    "settings_address_send": {"nl": "Code versturen", "fr": "Envoyer le code"},
    "settings_address_have_code": {
        "nl": "Ik heb al een code",
        "fr": "J'ai déjà un code",
    },
    "settings_address_invalid": {
        "nl": "Dit is geen geldig e-mailadres. Controleer het en probeer opnieuw.",
        "fr": "Ce n'est pas une adresse e-mail valable. Vérifiez-la et réessayez.",
    },
    "settings_address_not_sent": {
        "nl": "We konden de code nu niet versturen. Probeer het over enkele minuten opnieuw.",
        "fr": "Nous n'avons pas pu envoyer le code pour l'instant. Réessayez dans quelques "
        "minutes.",
    },
    "settings_code_title": {
        "nl": "Uw nieuwe e-mailadres bevestigen",
        "fr": "Confirmer votre nouvelle adresse e-mail",
    },
    "settings_code_sent": {
        "nl": "We hebben een code van 6 cijfers naar uw nieuwe e-mailadres gestuurd. Ze is "
        "15 minuten geldig. Tot u ze hier ingeeft, gaan onze e-mails naar uw huidige adres.",
        "fr": "Nous avons envoyé un code à 6 chiffres à votre nouvelle adresse e-mail. Il "
        "est valable 15 minutes. Tant que vous ne l'avez pas saisi ici, nos e-mails vont "
        "à votre adresse actuelle.",
    },
    "settings_code_intro": {
        "nl": "Geef de code van 6 cijfers in uit de e-mail die u op uw nieuwe adres kreeg.",
        "fr": "Saisissez le code à 6 chiffres de l'e-mail reçu à votre nouvelle adresse.",
    },
    "settings_code_label": {"nl": "Code (6 cijfers)", "fr": "Code (6 chiffres)"},
    "settings_code_confirm": {"nl": "Bevestigen", "fr": "Confirmer"},
    "settings_code_new": {
        "nl": "Geen code gekregen, of is ze verlopen? Vraag een nieuwe code.",
        "fr": f"Pas reçu de code, ou code expiré{NBSP}? Demandez un nouveau code.",
    },
    "settings_code_empty": {
        "nl": "Geef de code van 6 cijfers in die u per e-mail kreeg.",
        "fr": "Saisissez le code à 6 chiffres reçu par e-mail.",
    },
    "settings_code_wrong": {
        "nl": "Deze code is niet juist. U kunt het nog {left} keer proberen.",
        "fr": "Ce code n'est pas correct. Il vous reste {left} essais.",
    },
    "settings_code_wrong_last": {
        "nl": "Deze code is niet juist. U kunt het nog één keer proberen.",
        "fr": "Ce code n'est pas correct. Il vous reste un dernier essai.",
    },
    "settings_code_wrong_plain": {
        "nl": "Deze code is niet juist.",
        "fr": "Ce code n'est pas correct.",
    },
    "settings_code_expired": {
        "nl": "Deze code is verlopen. Vraag een nieuwe code.",
        "fr": "Ce code a expiré. Demandez un nouveau code.",
    },
    "settings_code_locked": {
        "nl": "U hebt te vaak een verkeerde code ingegeven. Vraag een nieuwe code.",
        "fr": "Vous avez saisi un code erroné trop de fois. Demandez un nouveau code.",
    },
    "settings_code_none": {
        "nl": "Er wacht geen nieuw e-mailadres op een code. Geef eerst het nieuwe adres in.",
        "fr": "Aucune nouvelle adresse n'attend de code. Indiquez d'abord la nouvelle adresse.",
    },
    "settings_address_done": {
        "nl": "Uw nieuwe e-mailadres is bevestigd: onze e-mails gaan vanaf nu "
        "daarheen. Uw vorige adres kreeg daarover een bericht.",
        "fr": f"Votre nouvelle adresse e-mail est confirmée{NBSP}: nos e-mails y "
        "sont envoyés dès maintenant. Votre ancienne adresse en a été avertie.",
    },
}
