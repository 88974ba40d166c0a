"""The member portal's words (issue 20 item 2; nl and fr):
claims: declaring, evidence, status, deadlines, letters, offers."""

from mylm_shared.texts.portal.words import Words

WORDS: Words = {
    # the list
    "claims_title": {"nl": "Mijn schadegevallen", "fr": "Mes sinistres"},
    "claims_intro": {
        "nl": "Hier volgt u uw aangiften op: hun status, wat er nog moet gebeuren en tegen "
        "wanneer, en de brieven die wij u stuurden.",
        "fr": "Suivez ici vos déclarations\u00a0: leur statut, ce qui doit encore se passer et "
        "pour quand, et les lettres que nous vous avons envoyées.",
    },
    "claims_none": {
        "nl": "U hebt nog geen schadegeval aangegeven.",
        "fr": "Vous n'avez encore déclaré aucun sinistre.",
    },
    "claims_new_link": {"nl": "Een schadegeval aangeven", "fr": "Déclarer un sinistre"},
    "claims_number": {"nl": "Nummer", "fr": "Numéro"},
    "claims_cover": {"nl": "Waarborg", "fr": "Garantie"},
    "claims_status": {"nl": "Status", "fr": "Statut"},
    "claims_next_deadline": {"nl": "Volgende termijn", "fr": "Prochaine échéance"},
    "claims_no_deadline": {"nl": "Geen", "fr": "Aucune"},
    "claims_event_date": {"nl": "Datum van het voorval", "fr": "Date de l'événement"},
    "claims_declared_on": {"nl": "Aangegeven op", "fr": "Déclaré le"},
    # covers
    "claims_cover_accident": {"nl": "Ongeval privéleven", "fr": "Accident de la vie privée"},
    "claims_cover_assistance": {"nl": "Bijstand", "fr": "Assistance"},
    "claims_cover_identity_theft": {"nl": "Identiteitsdiefstal", "fr": "Usurpation d'identité"},
    "claims_cover_payment_fraud": {
        "nl": "Fraude met betaalmiddelen",
        "fr": "Utilisation frauduleuse de moyens de paiement",
    },
    "claims_cover_e_reputation": {"nl": "E-reputatie", "fr": "E-réputation"},
    "claims_cover_e_merchant_goods": {
        "nl": "Online aankoop van een goed",
        "fr": "Achat en ligne d'un bien",
    },
    "claims_cover_e_merchant_service": {
        "nl": "Online aankoop van een dienst",
        "fr": "Achat en ligne d'un service",
    },
    "claims_cover_connected_object": {"nl": "Geconnecteerd toestel", "fr": "Objet connecté"},
    # statuses
    "claims_status_declared": {"nl": "Aangegeven", "fr": "Déclaré"},
    "claims_status_documents_requested": {
        "nl": "Documenten gevraagd",
        "fr": "Documents demandés",
    },
    "claims_status_under_assessment": {"nl": "In behandeling", "fr": "En cours d'examen"},
    "claims_status_accepted": {"nl": "Aanvaard", "fr": "Accepté"},
    "claims_status_rejected": {"nl": "Geweigerd", "fr": "Refusé"},
    "claims_status_closed": {"nl": "Afgesloten", "fr": "Clôturé"},
    # deadlines
    "claims_deadline_advance": {
        "nl": "Voorschot van de verzekeraar",
        "fr": "Avance de l'assureur",
    },
    "claims_deadline_provisional_offer": {
        "nl": "Voorlopig voorstel van de verzekeraar",
        "fr": "Offre provisoire de l'assureur",
    },
    "claims_deadline_final_offer": {
        "nl": "Definitief voorstel van de verzekeraar",
        "fr": "Offre définitive de l'assureur",
    },
    "claims_deadline_payment": {"nl": "Betaling aan u", "fr": "Paiement en votre faveur"},
    "claims_deadline_lar_reimbursement": {
        "nl": "Terugbetaling door LAR als het niet is opgelost",
        "fr": "Remboursement par LAR si ce n'est pas résolu",
    },
    "claims_deadline_lar_refund": {
        "nl": "Terugbetaling van de prijs door LAR als de verkoper niet regelt",
        "fr": "Remboursement du prix par LAR si le vendeur ne règle pas",
    },
    "claims_deadline_documents": {
        "nl": "Uw documenten bezorgen",
        "fr": "Envoyer vos documents",
    },
    "claims_deadline_by_insurer": {"nl": "door de verzekeraar", "fr": "par l'assureur"},
    "claims_deadline_by_member": {"nl": "door u", "fr": "par vous"},
    "claims_deadline_until": {"nl": "uiterlijk {day}", "fr": "au plus tard le {day}"},
    # one claim
    "claims_claim": {"nl": "Schadegeval {number}", "fr": "Sinistre {number}"},
    "claims_decision": {"nl": "Beoordeling", "fr": "Évaluation"},
    "claims_outcome_covered": {"nl": "Gedekt", "fr": "Couvert"},
    "claims_outcome_covered_in_part": {"nl": "Gedeeltelijk gedekt", "fr": "Couvert en partie"},
    "claims_outcome_rejected": {"nl": "Niet gedekt", "fr": "Non couvert"},
    "claims_late": {
        "nl": "Deze aangifte kwam later dan de polis vraagt; een medewerker beoordeelt of "
        "dat gevolgen heeft.",
        "fr": "Cette déclaration est arrivée plus tard que ne le prévoit la police\u00a0; un "
        "collaborateur examine si cela a des conséquences.",
    },
    "claims_deadlines": {"nl": "Termijnen", "fr": "Échéances"},
    "claims_deadline_what": {"nl": "Wat", "fr": "Quoi"},
    "claims_deadline_who": {"nl": "Door wie", "fr": "Par qui"},
    "claims_deadline_when": {"nl": "Uiterlijk op", "fr": "Au plus tard le"},
    "claims_history": {"nl": "Verloop", "fr": "Historique"},
    "claims_requested": {"nl": "Gevraagde documenten", "fr": "Documents demandés"},
    "claims_respond_by": {"nl": "Te bezorgen uiterlijk op", "fr": "À envoyer au plus tard le"},
    "claims_evidence": {"nl": "Uw bewijsstukken", "fr": "Vos pièces justificatives"},
    "claims_evidence_none": {
        "nl": "U hebt nog geen bewijsstukken bezorgd.",
        "fr": "Vous n'avez encore envoyé aucune pièce justificative.",
    },
    "claims_received_on": {"nl": "ontvangen op {day}", "fr": "reçu le {day}"},
    "claims_upload_title": {"nl": "Een bewijsstuk toevoegen", "fr": "Ajouter une pièce"},
    "claims_upload_label": {
        "nl": "Foto of PDF (JPEG, PNG of PDF, hoogstens 10 MB)",
        "fr": "Photo ou PDF (JPEG, PNG ou PDF, 10 Mo au maximum)",
    },
    "claims_upload_button": {"nl": "Toevoegen", "fr": "Ajouter"},
    "claims_letters": {"nl": "Brieven over dit schadegeval", "fr": "Lettres sur ce sinistre"},
    "claims_letters_none": {
        "nl": "Er staan nog geen brieven over dit schadegeval in uw inbox.",
        "fr": "Votre boîte de réception ne contient pas encore de lettre sur ce sinistre.",
    },
    "claims_letter_unread": {"nl": "nieuw", "fr": "nouveau"},
    "claims_back": {"nl": "Terug naar mijn schadegevallen", "fr": "Retour à mes sinistres"},
    # offers
    "claims_offers": {"nl": "Voorstellen tot vergoeding", "fr": "Offres d'indemnisation"},
    "claims_offer_advance": {"nl": "Voorschot", "fr": "Avance"},
    "claims_offer_provisional": {"nl": "Voorlopig voorstel", "fr": "Offre provisoire"},
    "claims_offer_final": {"nl": "Definitief voorstel", "fr": "Offre définitive"},
    "claims_offer_open": {"nl": "Wacht op uw antwoord", "fr": "En attente de votre réponse"},
    "claims_offer_accepted": {"nl": "Aanvaard op {day}", "fr": "Acceptée le {day}"},
    "claims_offer_superseded": {
        "nl": "Vervangen door een later voorstel",
        "fr": "Remplacée par une offre ultérieure",
    },
    "claims_offer_respond_by": {
        "nl": "Antwoord uiterlijk op {day}",
        "fr": "Réponse au plus tard le {day}",
    },
    "claims_accept_title": {"nl": "Dit voorstel aanvaarden", "fr": "Accepter cette offre"},
    "claims_accept_means": {
        "nl": "Als u aanvaardt, gaat u akkoord met dit bedrag voor dit voorstel. Wij storten "
        "het op de rekening die u hieronder opgeeft, uiterlijk {days} na uw aanvaarding. "
        "U krijgt een bevestiging in uw inbox en per e-mail.",
        "fr": "En acceptant, vous marquez votre accord sur ce montant pour cette offre. Nous "
        "le versons sur le compte indiqué ci-dessous, au plus tard {days} après votre "
        "acceptation. Vous recevez une confirmation dans votre boîte de réception et par "
        "e-mail.",
    },
    "claims_days_30": {"nl": "30 dagen", "fr": "30 jours"},
    "claims_days_month": {"nl": "één maand", "fr": "un mois"},
    "claims_iban": {"nl": "Uw rekeningnummer (IBAN)", "fr": "Votre numéro de compte (IBAN)"},
    "claims_iban_hint": {
        "nl": "Bijvoorbeeld BE43 0689 9999 9501. Een rekening in de SEPA-zone.",
        "fr": "Par exemple BE43 0689 9999 9501. Un compte de la zone SEPA.",
    },
    "claims_reauth_title": {
        "nl": "Bevestig dat u het bent",
        "fr": "Confirmez qu'il s'agit bien de vous",
    },
    "claims_reauth_hint": {
        "nl": "Voor uw veiligheid vragen wij opnieuw uw gebruikersnaam en wachtwoord voor we "
        "geld naar een rekening sturen.",
        "fr": "Pour votre sécurité, nous vous redemandons votre nom d'utilisateur et votre mot "
        "de passe avant de verser de l'argent sur un compte.",
    },
    "claims_username": {"nl": "Gebruikersnaam", "fr": "Nom d'utilisateur"},
    "claims_password": {"nl": "Wachtwoord", "fr": "Mot de passe"},
    "claims_accept_button": {"nl": "Voorstel aanvaarden", "fr": "Accepter l'offre"},
    "claims_payout": {
        "nl": "{amount} wordt gestort op de rekening die eindigt op {last4}, uiterlijk op {day}.",
        "fr": "{amount} sera versé sur le compte se terminant par {last4}, au plus tard le {day}.",
    },
    "claims_payout_paid": {
        "nl": "{amount} werd betaald op {day} (rekening eindigend op {last4}).",
        "fr": "{amount} a été payé le {day} (compte se terminant par {last4}).",
    },
    # notices after a post/redirect/get
    "claims_done_declared": {
        "nl": "Uw aangifte is ontvangen. U vindt de ontvangstbevestiging ook in uw inbox.",
        "fr": "Votre déclaration a été reçue. L'accusé de réception est aussi dans votre "
        "boîte de réception.",
    },
    "claims_done_evidence": {
        "nl": "Uw bewijsstuk is toegevoegd.",
        "fr": "Votre pièce justificative a été ajoutée.",
    },
    "claims_done_accepted": {
        "nl": "U hebt het voorstel aanvaard. De betaling is aangevraagd.",
        "fr": "Vous avez accepté l'offre. Le paiement est demandé.",
    },
    # declaring
    "claims_new_title": {"nl": "Een schadegeval aangeven", "fr": "Déclarer un sinistre"},
    "claims_new_intro": {
        "nl": "Geef uw schadegeval zo snel mogelijk aan: binnen 8 dagen na het voorval.",
        "fr": "Déclarez votre sinistre le plus vite possible\u00a0: dans les 8 jours de "
        "l'événement.",
    },
    "claims_step_choose": {
        "nl": "Stap 1: contract en waarborg",
        "fr": "Étape 1\u00a0: contrat et garantie",
    },
    "claims_step_facts": {
        "nl": "Stap 2: wat is er gebeurd?",
        "fr": "Étape 2\u00a0: que s'est-il passé\u00a0?",
    },
    "claims_policy": {"nl": "Contract", "fr": "Contrat"},
    "claims_policy_auto": {
        "nl": "Het contract dat mij verzekert (laat Mijn LM zoeken)",
        "fr": "Le contrat qui m'assure (laisser Ma LM chercher)",
    },
    "claims_policy_option": {
        "nl": "Ongevallen privéleven, {formula}, sinds {day}{eprotection}",
        "fr": "Accidents de la vie privée, {formula}, depuis le {day}{eprotection}",
    },
    "claims_formula_single": {"nl": "alleenstaande", "fr": "isolé"},
    "claims_formula_family": {"nl": "gezin", "fr": "famille"},
    "claims_with_eprotection": {"nl": ", met e-protection", "fr": ", avec e-protection"},
    "claims_choose_cover": {
        "nl": "Waarvoor wilt u aangeven?",
        "fr": "Que souhaitez-vous déclarer\u00a0?",
    },
    "claims_cover_hint_accident": {
        "nl": "Een lichamelijk letsel door een ongeval in uw privéleven.",
        "fr": "Une lésion corporelle due à un accident de la vie privée.",
    },
    "claims_cover_hint_e_merchant_goods": {
        "nl": "E-protection: een online gekocht goed dat niet, te laat, kapot of onvolledig "
        "werd geleverd.",
        "fr": "E-protection\u00a0: un bien acheté en ligne non livré, livré en retard, cassé ou "
        "incomplet.",
    },
    "claims_cover_hint_e_merchant_service": {
        "nl": "E-protection: een online gekochte dienst die slecht of niet werd uitgevoerd.",
        "fr": "E-protection\u00a0: un service acheté en ligne mal exécuté ou non exécuté.",
    },
    "claims_other_covers": {
        "nl": "Voor bijstand belt u 02/550 05 55 (dag en nacht); voor andere e-protection-"
        "zaken (identiteitsdiefstal, fraude, e-reputatie) 078 15 15 55.",
        "fr": "Pour l'assistance, appelez le 02/550 05 55 (jour et nuit)\u00a0; pour les autres "
        "cas e-protection (usurpation d'identité, fraude, e-réputation), le 078 15 15 55.",
    },
    "claims_next": {"nl": "Verder", "fr": "Continuer"},
    "claims_change_choice": {
        "nl": "Een ander contract of een andere waarborg kiezen",
        "fr": "Choisir un autre contrat ou une autre garantie",
    },
    "claims_declare_button": {"nl": "Aangifte versturen", "fr": "Envoyer la déclaration"},
    "claims_optional": {"nl": "(niet verplicht)", "fr": "(facultatif)"},
    "claims_date_hint": {"nl": "dd/mm/jjjj", "fr": "jj/mm/aaaa"},
    "claims_amount_hint": {
        "nl": "In euro, bijvoorbeeld 400,00",
        "fr": "En euros, par exemple 400,00",
    },
    "claims_yes": {"nl": "Ja", "fr": "Oui"},
    "claims_facts_purchase": {"nl": "De aankoop", "fr": "L'achat"},
    "claims_facts_delivery": {
        "nl": "De levering en het probleem",
        "fr": "La livraison et le problème",
    },
    "claims_facts_problem": {"nl": "Het probleem", "fr": "Le problème"},
    "claims_facts_main": {"nl": "Het ongeval", "fr": "L'accident"},
    "claims_facts_evidence": {"nl": "Bewijsstuk", "fr": "Pièce justificative"},
    # the facts' fields
    "claims_f_event_date_accident": {"nl": "Datum van het ongeval", "fr": "Date de l'accident"},
    "claims_f_event_date_e_merchant_goods": {
        "nl": "Datum van het probleem (de levering, of de beloofde leverdatum)",
        "fr": "Date du problème (la livraison, ou la date de livraison promise)",
    },
    "claims_f_event_date_e_merchant_service": {
        "nl": "Datum van het probleem",
        "fr": "Date du problème",
    },
    "claims_f_country": {"nl": "Land van het ongeval", "fr": "Pays de l'accident"},
    "claims_f_trip_departed_on": {
        "nl": "In het buitenland: eerste dag van de reis",
        "fr": "À l'étranger\u00a0: premier jour du voyage",
    },
    "claims_f_trip_ends_on": {
        "nl": "In het buitenland: laatste dag van de reis",
        "fr": "À l'étranger\u00a0: dernier jour du voyage",
    },
    "claims_f_motor_vehicle_traffic": {
        "nl": "Een verkeersongeval met een motorvoertuig",
        "fr": "Un accident de la circulation avec un véhicule à moteur",
    },
    "claims_f_claimed_amount": {
        "nl": "Gevraagd bedrag, als u het al kent",
        "fr": "Montant demandé, si vous le connaissez déjà",
    },
    "claims_f_price": {"nl": "Prijs, btw inbegrepen", "fr": "Prix, TVA comprise"},
    "claims_f_defect_goods": {"nl": "Wat is het probleem?", "fr": "Quel est le problème\u00a0?"},
    "claims_f_defect_service": {"nl": "Wat is het probleem?", "fr": "Quel est le problème\u00a0?"},
    "claims_defect_broken": {"nl": "Kapot geleverd", "fr": "Livré cassé"},
    "claims_defect_incomplete": {"nl": "Onvolledig geleverd", "fr": "Livré incomplet"},
    "claims_defect_damaged_or_non_conforming": {
        "nl": "Beschadigd of niet conform",
        "fr": "Endommagé ou non conforme",
    },
    "claims_defect_not_matching_specs": {
        "nl": "Niet volgens de specificaties van de fabrikant",
        "fr": "Non conforme aux spécifications du fabricant",
    },
    "claims_defect_not_delivered": {"nl": "Niet geleverd", "fr": "Non livré"},
    "claims_defect_badly_performed": {"nl": "Slecht uitgevoerd", "fr": "Mal exécuté"},
    "claims_defect_not_performed": {"nl": "Niet uitgevoerd", "fr": "Non exécuté"},
    "claims_f_promised_delivery_on": {
        "nl": "Beloofde leverdatum (op de orderbevestiging)",
        "fr": "Date de livraison promise (sur la confirmation de commande)",
    },
    "claims_f_delivered_on": {
        "nl": "Datum van levering (leeg als het niet geleverd is)",
        "fr": "Date de livraison (vide si rien n'a été livré)",
    },
    "claims_f_seller_country": {"nl": "Land van de verkoper", "fr": "Pays du vendeur"},
    "claims_f_delivery_method": {"nl": "Verzonden met", "fr": "Envoyé par"},
    "claims_delivery_tracked_post": {
        "nl": "Post met track-and-trace",
        "fr": "Poste avec suivi",
    },
    "claims_delivery_private_carrier": {"nl": "Koerierdienst", "fr": "Transporteur privé"},
    "claims_delivery_other": {"nl": "Anders", "fr": "Autre"},
    "claims_f_delivery_country": {"nl": "Land van levering", "fr": "Pays de livraison"},
    "claims_f_bought_online": {"nl": "Online gekocht", "fr": "Acheté en ligne"},
    "claims_f_new": {"nl": "Nieuw gekocht", "fr": "Acheté neuf"},
    "claims_f_transportable": {
        "nl": "Een verplaatsbaar goed (geen gebouw, geen grond)",
        "fr": "Un bien transportable (ni bâtiment, ni terrain)",
    },
    "claims_f_seller_professional": {
        "nl": "Gekocht bij een professionele verkoper (een webwinkel, geen particulier)",
        "fr": "Acheté chez un vendeur professionnel (un e-commerçant, pas un particulier)",
    },
    "claims_f_evidence": {
        "nl": "Foto of PDF, bv. de orderbevestiging (JPEG, PNG of PDF, hoogstens 10 MB)",
        "fr": "Photo ou PDF, p. ex. la confirmation de commande (JPEG, PNG ou PDF, 10 Mo au "
        "maximum)",
    },
    # errors, in the member's words
    "claims_errors_title": {
        "nl": "Controleer deze gegevens:",
        "fr": "Vérifiez ces informations\u00a0:",
    },
    "claims_error_required": {"nl": "Vul dit in.", "fr": "Complétez ce champ."},
    "claims_error_choose": {"nl": "Maak een keuze.", "fr": "Faites un choix."},
    "claims_error_date": {
        "nl": "Geef een geldige datum (dag, maand, jaar).",
        "fr": "Indiquez une date valide (jour, mois, année).",
    },
    "claims_error_amount": {
        "nl": "Geef een bedrag in euro met hoogstens twee cijfers na de komma, bv. 400,00.",
        "fr": "Indiquez un montant en euros avec au plus deux décimales, p. ex. 400,00.",
    },
    "claims_error_field": {
        "nl": "Deze waarde wordt niet aanvaard; controleer ze.",
        "fr": "Cette valeur n'est pas acceptée\u00a0; vérifiez-la.",
    },
    "claims_error_future": {
        "nl": "Deze datum ligt na vandaag: een schadegeval geeft u aan nadat het gebeurde.",
        "fr": "Cette date est postérieure à aujourd'hui\u00a0: on déclare un sinistre après "
        "qu'il s'est produit.",
    },
    "claims_error_no_contract": {
        "nl": "Geen van uw contracten verzekerde u op deze datum. Kies een ander contract of "
        "controleer de datum.",
        "fr": "Aucun de vos contrats ne vous assurait à cette date. Choisissez un autre "
        "contrat ou vérifiez la date.",
    },
    "claims_error_conflict": {
        "nl": "Dit formulier werd al verstuurd met andere gegevens. Open het opnieuw.",
        "fr": "Ce formulaire a déjà été envoyé avec d'autres données. Rouvrez-le.",
    },
    "claims_error_file_type": {
        "nl": "Alleen een foto (JPEG of PNG) of een PDF wordt aanvaard.",
        "fr": "Seule une photo (JPEG ou PNG) ou un PDF est acceptée.",
    },
    "claims_error_file_size": {
        "nl": "Dit bestand is groter dan 10 MB.",
        "fr": "Ce fichier dépasse 10 Mo.",
    },
    "claims_error_file_missing": {
        "nl": "Kies een bestand.",
        "fr": "Choisissez un fichier.",
    },
    "claims_error_file_closed": {
        "nl": "Dit schadegeval is al beslist of afgesloten; bewijsstukken worden niet meer "
        "toegevoegd. Stuur ze eventueel via een bericht.",
        "fr": "Ce sinistre est déjà décidé ou clôturé\u00a0; on n'y ajoute plus de pièces. "
        "Envoyez-les éventuellement par message.",
    },
    "claims_error_evidence_after_declaring": {
        "nl": "Uw aangifte is ontvangen, maar het bewijsstuk niet: {reason} Voeg het "
        "hieronder opnieuw toe.",
        "fr": "Votre déclaration a été reçue, mais pas la pièce\u00a0: {reason} Ajoutez-la à "
        "nouveau ci-dessous.",
    },
    "claims_error_iban": {
        "nl": "Dit is geen geldig IBAN-rekeningnummer in de SEPA-zone. Controleer het.",
        "fr": "Ce n'est pas un numéro de compte IBAN valide de la zone SEPA. Vérifiez-le.",
    },
    "claims_error_reauth_needed": {
        "nl": "U meldde zich meer dan 5 minuten geleden aan. Bevestig met uw gebruikersnaam "
        "en wachtwoord en aanvaard opnieuw.",
        "fr": "Vous vous êtes connecté il y a plus de 5 minutes. Confirmez avec votre nom "
        "d'utilisateur et votre mot de passe, puis acceptez à nouveau.",
    },
    "claims_error_reauth": {
        "nl": "Gebruikersnaam of wachtwoord klopt niet, of hoort niet bij dit dossier.",
        "fr": "Le nom d'utilisateur ou le mot de passe est incorrect, ou n'appartient pas à "
        "ce dossier.",
    },
    "claims_error_offer_conflict": {
        "nl": "Dit voorstel kan niet meer aanvaard worden (vervangen of al aanvaard met een "
        "andere rekening). Vernieuw de pagina.",
        "fr": "Cette offre ne peut plus être acceptée (remplacée ou déjà acceptée avec un "
        "autre compte). Actualisez la page.",
    },
}
