"""The member portal's words (issue 20 item 2; nl and fr):
policies: contract, insured persons, conditions, proposals.

The covers' names and the insured persons' relations follow the special conditions
policy-svc prints (policy-svc ``domain/conditions.py``); the amounts in the covers'
descriptions are the general conditions' (seeds/private-life-accident-policy-nl.txt:
PA-5, AS-3, LA-2, LA-11), filled in by the page."""

from mylm_shared.texts.portal.words import Words

WORDS: Words = {
    "policies_title": {"nl": "Mijn verzekeringen", "fr": "Mes assurances"},
    "policies_product": {
        "nl": "Ongevallen privé-leven met hulpverlening en, als u ze kiest, rechtsbijstand "
        "e-protection.",
        "fr": "Accidents de la vie privée avec assistance et, si vous la choisissez, "
        "protection juridique e-protection.",
    },
    "policies_none": {
        "nl": "U hebt geen verzekering of voorstel bij ons.",
        "fr": "Vous n'avez aucune assurance ni proposition chez nous.",
    },
    "policies_proposals_waiting": {
        "nl": "U hebt een voorstel dat op uw aanvaarding wacht.",
        "fr": "Vous avez une proposition qui attend votre acceptation.",
    },
    "policies_caption": {
        "nl": "Uw verzekeringen en voorstellen",
        "fr": "Vos assurances et propositions",
    },
    "policy_number": {"nl": "Polisnummer", "fr": "Numéro de police"},
    "policy_state": {"nl": "Toestand", "fr": "État"},
    "policy_start": {"nl": "Aanvangsdatum", "fr": "Date de prise d'effet"},
    "policy_yearly_premium": {"nl": "Jaarpremie", "fr": "Prime annuelle"},
    "policy_covers": {"nl": "Dekkingen", "fr": "Garanties"},
    "policy_open": {"nl": "Bekijk {number}", "fr": "Voir {number}"},
    "policy_status_proposed": {"nl": "Voorstel", "fr": "Proposition"},
    "policy_status_awaiting_first_premium": {
        "nl": "Wacht op de eerste premie",
        "fr": "En attente de la première prime",
    },
    "policy_status_active": {"nl": "Actief", "fr": "Active"},
    "policy_status_suspended": {"nl": "Geschorst", "fr": "Suspendue"},
    "policy_status_terminated": {"nl": "Beëindigd", "fr": "Résiliée"},
    "policy_cover_accident": {"nl": "Ongevallen privé-leven", "fr": "Accidents de la vie privée"},
    "policy_cover_assistance": {"nl": "Hulpverlening", "fr": "Assistance"},
    "policy_cover_e_protection": {
        "nl": "Rechtsbijstand e-protection",
        "fr": "Protection juridique e-protection",
    },
    "policy_cover_accident_text": {
        "nl": "Blijvende ongeschiktheid vanaf de tegemoetkomingsgrens of overlijden door een "
        "ongeval in het privéleven: tot {limit} per ongeval en per slachtoffer, "
        "begrafeniskosten tot {funeral}.",
        "fr": "Invalidité permanente à partir du seuil d'intervention ou décès à la suite "
        "d'un accident de la vie privée\u00a0: jusqu'à {limit} par accident et par victime, "
        "frais funéraires jusqu'à {funeral}.",
    },
    "policy_cover_assistance_text": {
        "nl": "24 uur op 24 op 02/550 05 55, ook onder de tegemoetkomingsgrens: hulp thuis "
        "na een ongeval, repatriëring, medische kosten in het buitenland tot {medical}.",
        "fr": "24 h sur 24 au 02/550 05 55, même sous le seuil d'intervention\u00a0: aide à "
        "domicile après un accident, rapatriement, frais médicaux à l'étranger jusqu'à "
        "{medical}.",
    },
    "policy_cover_e_protection_text": {
        "nl": "Identiteitsdiefstal, fraude met betaalmiddelen, uw e-reputatie en aankopen "
        "bij een e-handelaar: tot {limit} per schadegeval en per verzekeringsjaar, na een "
        "wachttijd van 1 maand. Infolijn 078 15 15 55.",
        "fr": "Usurpation d'identité, utilisation frauduleuse de moyens de paiement, votre "
        "e-réputation et vos achats auprès d'un e-commerçant\u00a0: jusqu'à {limit} par sinistre "
        "et par année d'assurance, après un délai d'attente d'un mois. Ligne info "
        "078 15 15 55.",
    },
    "policy_no_e_protection": {
        "nl": "Zonder rechtsbijstand e-protection.",
        "fr": "Sans protection juridique e-protection.",
    },
    "policy_amounts_note": {
        "nl": "Bedragen volgens de algemene voorwaarden; ze worden niet geïndexeerd.",
        "fr": "Montants selon les conditions générales\u00a0; ils ne sont pas indexés.",
    },
    "policy_title": {"nl": "Verzekering {number}", "fr": "Assurance {number}"},
    "policy_proposal_title": {"nl": "Voorstel {number}", "fr": "Proposition {number}"},
    "policy_contract": {"nl": "Het contract", "fr": "Le contrat"},
    "policy_product": {
        "nl": "Ongevallen privé-leven met hulpverlening",
        "fr": "Accidents de la vie privée avec assistance",
    },
    "policy_product_label": {"nl": "Product", "fr": "Produit"},
    "policy_holder": {"nl": "Verzekeringnemer", "fr": "Preneur d'assurance"},
    "policy_formula": {"nl": "Formule", "fr": "Formule"},
    "policy_formula_single": {
        "nl": "Single (de verzekeringnemer)",
        "fr": "Single (le preneur d'assurance)",
    },
    "policy_formula_family": {"nl": "Familie", "fr": "Famille"},
    "policy_threshold": {"nl": "Tegemoetkomingsgrens", "fr": "Seuil d'intervention"},
    "policy_threshold_value": {
        "nl": "{pct}\u00a0% blijvende ongeschiktheid",
        "fr": "{pct}\u00a0% d'invalidité permanente",
    },
    "policy_proposed_on": {"nl": "Voorgesteld op", "fr": "Proposée le"},
    "policy_signed_on": {"nl": "Ondertekend op", "fr": "Signée le"},
    "policy_ends_on": {"nl": "Einde van het contract", "fr": "Fin du contrat"},
    "policy_start_condition": {
        "nl": "De dekking loopt vanaf de aanvangsdatum, zodra de eerste premie betaald is.",
        "fr": "La garantie court à partir de la date de prise d'effet, dès que la première "
        "prime est payée.",
    },
    "policy_awaiting_premium": {
        "nl": "Uw dekking begint zodra de eerste premie betaald is. De factuur vindt u bij",
        "fr": "Votre garantie commence dès que la première prime est payée. La facture se "
        "trouve dans",
    },
    "policy_insured": {"nl": "Verzekerde personen", "fr": "Personnes assurées"},
    "policy_insured_on_start": {
        "nl": "Verzekerde personen op de aanvangsdatum",
        "fr": "Personnes assurées à la date de prise d'effet",
    },
    "policy_insured_name": {"nl": "Naam", "fr": "Nom"},
    "policy_insured_relation": {"nl": "Relatie", "fr": "Lien"},
    "policy_nobody_insured": {
        "nl": "Niemand is vandaag verzekerd door dit contract.",
        "fr": "Personne n'est assuré aujourd'hui par ce contrat.",
    },
    "policy_relation_policyholder": {"nl": "Verzekeringnemer", "fr": "Preneur d'assurance"},
    "policy_relation_partner": {
        "nl": "Samenwonende echtgeno(o)t(e) of partner",
        "fr": "Conjoint ou partenaire cohabitant",
    },
    "policy_relation_child_in": {
        "nl": "Kind dat bij de verzekeringnemer inwoont",
        "fr": "Enfant vivant sous le toit du preneur d'assurance",
    },
    "policy_relation_minor_elsewhere": {
        "nl": "Minderjarig kind, elders wonend",
        "fr": "Enfant mineur vivant ailleurs",
    },
    "policy_relation_student": {
        "nl": "Ongehuwd studerend kind jonger dan 26, elders wonend",
        "fr": "Enfant célibataire de moins de 26 ans aux études, vivant ailleurs",
    },
    "policy_premium": {"nl": "Premie", "fr": "Prime"},
    "policy_premium_net": {"nl": "Nettopremie", "fr": "Prime nette"},
    "policy_premium_taxes": {"nl": "Taksen", "fr": "Taxes"},
    "policy_premium_contributions": {"nl": "Bijdragen en kosten", "fr": "Contributions et frais"},
    "policy_premium_total": {"nl": "Totaal per jaar", "fr": "Total par an"},
    "policy_premium_terms": {"nl": "Premievervaldagen", "fr": "Échéances de prime"},
    "policy_term": {"nl": "Jaar", "fr": "Année"},
    "policy_term_due": {"nl": "Vervaldag", "fr": "Échéance"},
    "policy_term_paid": {"nl": "Betaald op {day}", "fr": "Payée le {day}"},
    "policy_term_open": {"nl": "Te betalen", "fr": "À payer"},
    "policy_term_overdue": {"nl": "Niet betaald", "fr": "Impayée"},
    "policy_term_notice": {
        "nl": "Ingebrekestelling van {posted}: dekking geschorst vanaf {suspended}",
        "fr": "Mise en demeure du {posted}\u00a0: garantie suspendue à partir du {suspended}",
    },
    "policy_term_notice_end": {
        "nl": "; einde van het contract op {ends}",
        "fr": "\u00a0; fin du contrat le {ends}",
    },
    "policy_no_terms_yet": {
        "nl": "Na uw aanvaarding vragen wij de eerste premie; ze vervalt op {day}.",
        "fr": "Après votre acceptation, nous demandons la première prime\u00a0; elle échoit le "
        "{day}.",
    },
    "policy_documents": {"nl": "Documenten", "fr": "Documents"},
    "policy_conditions_pdf": {
        "nl": "Bijzondere voorwaarden (PDF)",
        "fr": "Conditions particulières (PDF)",
    },
    "policy_proposal_pdf": {
        "nl": "Voorstel van bijzondere voorwaarden (PDF)",
        "fr": "Proposition de conditions particulières (PDF)",
    },
    "policy_accept_title": {"nl": "Voorstel aanvaarden", "fr": "Accepter la proposition"},
    "policy_accept_intro": {
        "nl": "Lees eerst het voorstel van bijzondere voorwaarden. Door te aanvaarden "
        "ondertekent u het contract; wij vragen dan de eerste premie.",
        "fr": "Lisez d'abord la proposition de conditions particulières. En acceptant, vous "
        "signez le contrat\u00a0; nous demandons ensuite la première prime.",
    },
    "policy_accept_consent": {
        "nl": "Ik heb het voorstel van bijzondere voorwaarden van {day} gelezen en aanvaard "
        "het, met een jaarpremie van {premium}.",
        "fr": "J'ai lu la proposition de conditions particulières du {day} et je l'accepte, "
        "avec une prime annuelle de {premium}.",
    },
    "policy_accept_button": {"nl": "Voorstel aanvaarden", "fr": "Accepter la proposition"},
    "policy_consent_missing": {
        "nl": "Vink aan dat u het voorstel gelezen hebt en aanvaardt.",
        "fr": "Cochez la case pour confirmer que vous avez lu et acceptez la proposition.",
    },
    "policy_accepted": {
        "nl": "U hebt het voorstel aanvaard: uw contract is ondertekend.",
        "fr": "Vous avez accepté la proposition\u00a0: votre contrat est signé.",
    },
    "policy_accept_403": {
        "nl": "Alleen de verzekeringnemer kan dit voorstel aanvaarden.",
        "fr": "Seul le preneur d'assurance peut accepter cette proposition.",
    },
    "policy_accept_409": {
        "nl": "Dit voorstel kan niet meer aanvaard worden: het werd al aanvaard of is niet "
        "meer geldig.",
        "fr": "Cette proposition ne peut plus être acceptée\u00a0: elle a déjà été acceptée ou "
        "n'est plus valable.",
    },
    "policy_accept_changed": {
        "nl": "Dit voorstel werd gewijzigd sinds u het las. Lees het hieronder opnieuw en "
        "aanvaard het dan.",
        "fr": "Cette proposition a été modifiée depuis que vous l'avez lue. Relisez-la "
        "ci-dessous, puis acceptez-la.",
    },
    "policy_accept_422": {
        "nl": "Dit voorstel kan niet aanvaard worden: de formule single vraagt een "
        "verzekeringnemer ouder dan 18 jaar bij de ondertekening.",
        "fr": "Cette proposition ne peut pas être acceptée\u00a0: la formule single demande un "
        "preneur d'assurance de plus de 18 ans à la signature.",
    },
    "policy_back": {"nl": "Terug naar mijn verzekeringen", "fr": "Retour à mes assurances"},
}
