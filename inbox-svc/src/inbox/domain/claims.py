"""The letters of a claim in the claimant's inbox (CL-1: the insured is kept informed):
one per milestone, titled and written in the member's language (nl, fr, de).

Kinds a member UI filters on (all start with ``claim_``): ``claim_acknowledgement``
(declared), ``claim_documents_requested``, ``claim_decision`` (accepted or rejected),
``claim_offer``, ``claim_offer_accepted``, ``claim_payment``, ``claim_closed``.

Each letter's ``source_id`` is the fact's business identity, so the same fact published
again under a new event id files nothing more: ``{claim_id}`` (acknowledgement, closure),
``{claim_id}:{outcome}[:override]`` (a staff override is a new decision),
``{claim_id}:{offer_id}`` (offer, its acceptance), ``{claim_id}:{payout_id}`` (payment),
``{claim_id}:{respond_by}:{documents}`` (a request; the contract has no request id).

The cover engine's reasons exist in nl and fr only; a German-speaking member reads the
French one (the German-speaking Community lies in Wallonia, where French is the
administrative second language).
"""

from dataclasses import dataclass
from typing import Literal

from mylm_shared.events import (
    ClaimAcceptedV1,
    ClaimClosedV1,
    ClaimDeadlineV1,
    ClaimDeclaredV1,
    ClaimDocumentsRequestedV1,
    ClaimOfferAcceptedV1,
    ClaimOfferMadeV1,
    ClaimPaidV1,
    ClaimRejectedV1,
    LocalizedTextV1,
)
from mylm_shared.formatting import day, euro

ClaimKind = Literal[
    "claim_acknowledgement",
    "claim_documents_requested",
    "claim_decision",
    "claim_offer",
    "claim_offer_accepted",
    "claim_payment",
    "claim_closed",
]
CLAIM_KINDS: tuple[ClaimKind, ...] = (
    "claim_acknowledgement",
    "claim_documents_requested",
    "claim_decision",
    "claim_offer",
    "claim_offer_accepted",
    "claim_payment",
    "claim_closed",
)


@dataclass(frozen=True)
class ClaimLetter:
    kind: ClaimKind
    source_id: str
    title: str
    body: str


def _lang(language: str) -> str:
    return language if language in ("nl", "fr", "de") else "nl"


def reason_in(reason: LocalizedTextV1, language: str) -> str:
    """The engine's reason in the member's language; German members read French."""
    return reason.nl if _lang(language) == "nl" else reason.fr


# Words used in several letters, per language.
_CLAIM = {"nl": "Schadegeval", "fr": "Sinistre", "de": "Schadensfall"}
_COVERS = {
    "nl": {
        "accident": "een ongeval",
        "assistance": "een aanvraag om bijstand",
        "identity_theft": "identiteitsdiefstal",
        "payment_fraud": "betalingsfraude",
        "e_reputation": "schade aan uw e-reputatie",
        "e_merchant_goods": "een geschil met een e-handelaar (goederen)",
        "e_merchant_service": "een geschil met een e-handelaar (dienst)",
        "connected_object": "een probleem met een verbonden toestel",
    },
    "fr": {
        "accident": "un accident",
        "assistance": "une demande d'assistance",
        "identity_theft": "une usurpation d'identité",
        "payment_fraud": "une fraude au paiement",
        "e_reputation": "une atteinte à votre e-réputation",
        "e_merchant_goods": "un litige avec un e-commerçant (biens)",
        "e_merchant_service": "un litige avec un e-commerçant (service)",
        "connected_object": "un problème d'objet connecté",
    },
    "de": {
        "accident": "einen Unfall",
        "assistance": "eine Beistandsanfrage",
        "identity_theft": "einen Identitätsdiebstahl",
        "payment_fraud": "einen Zahlungsbetrug",
        "e_reputation": "eine Schädigung Ihres Online-Rufs",
        "e_merchant_goods": "einen Streitfall mit einem Online-Händler (Waren)",
        "e_merchant_service": "einen Streitfall mit einem Online-Händler (Dienstleistung)",
        "connected_object": "ein Problem mit einem vernetzten Gerät",
    },
}
# ClaimDeadlineV1.kind: the step promised (PA-8, LA-6, LA-8); unknown kinds read generic.
_DEADLINES = {
    "nl": {
        "advance": "voorschot (door ons)",
        "provisional_offer": "voorlopig voorstel (door ons)",
        "final_offer": "definitief voorstel (door ons)",
        "payment": "betaling (door ons)",
        "lar_reimbursement": "terugbetaling door LAR (door ons)",
        "lar_refund": "terugbetaling van de aankoopprijs door LAR (door ons)",
        "documents": "uw documenten",
        "_": "volgende stap",
    },
    "fr": {
        "advance": "avance (par nous)",
        "provisional_offer": "offre provisoire (par nous)",
        "final_offer": "offre définitive (par nous)",
        "payment": "paiement (par nous)",
        "lar_reimbursement": "remboursement par LAR (par nous)",
        "lar_refund": "remboursement du prix par LAR (par nous)",
        "documents": "vos documents",
        "_": "prochaine étape",
    },
    "de": {
        "advance": "Vorschuss (durch uns)",
        "provisional_offer": "vorläufiges Angebot (durch uns)",
        "final_offer": "endgültiges Angebot (durch uns)",
        "payment": "Zahlung (durch uns)",
        "lar_reimbursement": "Erstattung durch LAR (durch uns)",
        "lar_refund": "Erstattung des Kaufpreises durch LAR (durch uns)",
        "documents": "Ihre Unterlagen",
        "_": "nächster Schritt",
    },
}
_OFFERS = {
    "nl": {
        "advance": "voorschot",
        "provisional": "voorlopig voorstel",
        "final": "definitief voorstel",
    },
    "fr": {"advance": "avance", "provisional": "offre provisoire", "final": "offre définitive"},
    "de": {
        "advance": "Vorschuss",
        "provisional": "vorläufiges Angebot",
        "final": "endgültiges Angebot",
    },
}
_DE_ARTICLE = {"advance": "einen", "provisional": "ein", "final": "ein"}
_OUTCOMES = {
    "nl": {
        "covered": "gedekt",
        "covered_in_part": "gedeeltelijk gedekt",
        "rejected": "niet gedekt",
    },
    "fr": {"covered": "couvert", "covered_in_part": "couvert en partie", "rejected": "refusé"},
    "de": {"covered": "gedeckt", "covered_in_part": "teilweise gedeckt", "rejected": "abgelehnt"},
}
_CLOSED_REASONS = {
    "nl": {
        "paid": "de vergoeding is betaald",
        "rejected": "het schadegeval is niet gedekt",
        "withdrawn": "u trok uw aangifte in",
    },
    "fr": {
        "paid": "l'indemnité a été payée",
        "rejected": "le sinistre n'est pas couvert",
        "withdrawn": "vous avez retiré votre déclaration",
    },
    "de": {
        "paid": "die Entschädigung wurde gezahlt",
        "rejected": "der Schadensfall ist nicht gedeckt",
        "withdrawn": "Sie haben Ihre Meldung zurückgezogen",
    },
}


def _title(lang: str, number: str, fact: str) -> str:
    return f"{_CLAIM[lang]} {number}{' :' if lang == 'fr' else ':'} {fact}"


def _deadline(lang: str, deadline: ClaimDeadlineV1) -> str:
    labels = _DEADLINES[lang]
    return f"{labels.get(deadline.kind, labels['_'])} — {day(deadline.due_on)}"


def _masked(last4: str) -> str:
    return f"**** **** **** {last4}"


def acknowledgement(claim: ClaimDeclaredV1, language: str) -> ClaimLetter:
    """CL-1: the claim number and the next deadline; CL-2: a late declaration is flagged."""
    lang, due = _lang(language), claim.next_deadline
    cover = _COVERS[lang].get(claim.cover, claim.cover)
    fact = {
        "nl": "aangifte ontvangen" + (f", volgende termijn {day(due.due_on)}" if due else ""),
        "fr": "déclaration reçue" + (f", prochaine échéance le {day(due.due_on)}" if due else ""),
        "de": "Meldung erhalten" + (f", nächste Frist am {day(due.due_on)}" if due else ""),
    }[lang]
    lines = {
        "nl": [
            f"Wij ontvingen op {day(claim.declared_on)} uw aangifte van {cover}"
            f" van {day(claim.event_date)}.",
            f"Uw dossiernummer: {claim.claim_number}.",
        ],
        "fr": [
            f"Nous avons reçu le {day(claim.declared_on)} votre déclaration concernant {cover}"
            f" du {day(claim.event_date)}.",
            f"Votre numéro de dossier : {claim.claim_number}.",
        ],
        "de": [
            f"Wir haben am {day(claim.declared_on)} Ihre Meldung über {cover}"
            f" vom {day(claim.event_date)} erhalten.",
            f"Ihr Aktenzeichen: {claim.claim_number}.",
        ],
    }[lang]
    if due:
        lines.append(
            {"nl": "Volgende termijn: ", "fr": "Prochaine échéance : ", "de": "Nächste Frist: "}[
                lang
            ]
            + _deadline(lang, due)
        )
    if claim.late_declaration:
        lines.append(
            {
                "nl": "Uw aangifte kwam laattijdig; een medewerker beoordeelt de gevolgen.",
                "fr": "Votre déclaration est tardive ; un collaborateur en apprécie les suites.",
                "de": "Ihre Meldung erfolgte verspätet; ein Mitarbeiter prüft die Folgen.",
            }[lang]
        )
    return ClaimLetter(
        "claim_acknowledgement",
        claim.claim_id,
        _title(lang, claim.claim_number, fact),
        "\n".join(lines),
    )


def documents_requested(request: ClaimDocumentsRequestedV1, language: str) -> ClaimLetter:
    lang, by = _lang(language), request.respond_by
    fact = {
        "nl": "documenten gevraagd" + (f", uiterlijk op {day(by)}" if by else ""),
        "fr": "documents demandés" + (f", au plus tard le {day(by)}" if by else ""),
        "de": "Unterlagen angefordert" + (f", spätestens am {day(by)}" if by else ""),
    }[lang]
    intro = {
        "nl": "Voor uw dossier hebben wij nog nodig:",
        "fr": "Pour votre dossier, il nous faut encore :",
        "de": "Für Ihre Akte benötigen wir noch:",
    }[lang]
    lines = [intro, *(f"- {document}" for document in request.documents)]
    if by:
        lines.append(
            {
                "nl": f"Gelieve ze uiterlijk op {day(by)} op te laden in My LM.",
                "fr": f"Merci de les déposer dans My LM au plus tard le {day(by)}.",
                "de": f"Bitte laden Sie sie spätestens am {day(by)} in My LM hoch.",
            }[lang]
        )
    source = f"{request.claim_id}:{by or '-'}:{','.join(sorted(request.documents))}"
    return ClaimLetter(
        "claim_documents_requested",
        source,
        _title(lang, request.claim_number, fact),
        "\n".join(lines),
    )


def decision(claim: ClaimAcceptedV1 | ClaimRejectedV1, language: str) -> ClaimLetter:
    """The outcome, the reason in words and the rules that decided it, the ceiling and
    deductible that apply."""
    lang = _lang(language)
    outcome = claim.outcome if isinstance(claim, ClaimAcceptedV1) else "rejected"
    labels = {
        "nl": ("Beslissing", "Reden", "Toegepaste regels", "Plafond", "Vrijstelling"),
        "fr": ("Décision", "Motif", "Règles appliquées", "Plafond", "Franchise"),
        "de": ("Entscheidung", "Grund", "Angewandte Regeln", "Höchstbetrag", "Selbstbehalt"),
    }[lang]
    sep = " : " if lang == "fr" else ": "
    lines = [
        f"{labels[0]}{sep}{_OUTCOMES[lang][outcome]}",
        f"{labels[1]}{sep}{reason_in(claim.reason, lang)}",
        f"{labels[2]}{sep}{', '.join(claim.rules)}",
    ]
    if isinstance(claim, ClaimAcceptedV1):
        for label, amount in ((labels[3], claim.ceiling), (labels[4], claim.deductible)):
            if amount is not None:
                lines.append(f"{label}{sep}{euro(amount, lang)}")
    source = f"{claim.claim_id}:{outcome}" + (":override" if claim.overridden else "")
    return ClaimLetter(
        "claim_decision",
        source,
        _title(lang, claim.claim_number, _OUTCOMES[lang][outcome]),
        "\n".join(lines),
    )


def offer(made: ClaimOfferMadeV1, language: str) -> ClaimLetter:
    lang, by = _lang(language), made.respond_by
    what, amount = _OFFERS[lang][made.kind], euro(made.amount, lang)
    fact = {
        "nl": f"{what} van {amount}" + (f", te aanvaarden vóór {day(by)}" if by else ""),
        "fr": f"{what} de {amount}" + (f", à accepter avant le {day(by)}" if by else ""),
        "de": f"{what} über {amount}" + (f", anzunehmen bis {day(by)}" if by else ""),
    }[lang]
    lines = [
        {
            "nl": f"Wij stellen u een {what} voor van {amount}.",
            "fr": f"Nous vous proposons une {what} de {amount}.",
            "de": f"Wir bieten Ihnen {_DE_ARTICLE[made.kind]} {what} über {amount} an.",
        }[lang]
    ]
    if by:
        lines.append(
            {
                "nl": f"Gelieve het te aanvaarden in My LM uiterlijk op {day(by)}.",
                "fr": f"Merci de l'accepter dans My LM au plus tard le {day(by)}.",
                "de": f"Bitte nehmen Sie das Angebot spätestens am {day(by)} in My LM an.",
            }[lang]
        )
    return ClaimLetter(
        "claim_offer",
        f"{made.claim_id}:{made.offer_id}",
        _title(lang, made.claim_number, fact),
        "\n".join(lines),
    )


def offer_accepted(accepted: ClaimOfferAcceptedV1, language: str) -> ClaimLetter:
    """PA-8 (1 month) / LA-6 (30 days): the day the payment is due at the latest."""
    lang, amount, pay_by = (
        _lang(language),
        euro(accepted.amount, _lang(language)),
        day(accepted.pay_by),
    )
    fact = {
        "nl": f"voorstel van {amount} aanvaard, betaling uiterlijk op {pay_by}",
        "fr": f"offre de {amount} acceptée, paiement au plus tard le {pay_by}",
        "de": f"Angebot über {amount} angenommen, Zahlung spätestens am {pay_by}",
    }[lang]
    body = {
        "nl": f"U aanvaardde op {day(accepted.accepted_on)} ons voorstel van {amount}.\n"
        f"Wij betalen het uiterlijk op {pay_by}.",
        "fr": f"Vous avez accepté le {day(accepted.accepted_on)} notre offre de {amount}.\n"
        f"Nous payons ce montant au plus tard le {pay_by}.",
        "de": f"Sie haben am {day(accepted.accepted_on)} unser Angebot über {amount}"
        f" angenommen.\nWir zahlen spätestens am {pay_by}.",
    }[lang]
    return ClaimLetter(
        "claim_offer_accepted",
        f"{accepted.claim_id}:{accepted.offer_id}",
        _title(lang, accepted.claim_number, fact),
        body,
    )


def payment(paid: ClaimPaidV1, language: str) -> ClaimLetter:
    lang, amount, account = (
        _lang(language),
        euro(paid.amount, _lang(language)),
        _masked(paid.iban_last4),
    )
    fact = {
        "nl": f"{amount} betaald op {day(paid.paid_on)}",
        "fr": f"{amount} payés le {day(paid.paid_on)}",
        "de": f"{amount} gezahlt am {day(paid.paid_on)}",
    }[lang]
    body = {
        "nl": f"Wij betaalden op {day(paid.paid_on)} {amount} op uw rekening {account}.",
        "fr": f"Nous avons versé le {day(paid.paid_on)} {amount} sur votre compte {account}.",
        "de": f"Wir haben am {day(paid.paid_on)} {amount} auf Ihr Konto {account} überwiesen.",
    }[lang]
    return ClaimLetter(
        "claim_payment",
        f"{paid.claim_id}:{paid.payout_id}",
        _title(lang, paid.claim_number, fact),
        body,
    )


def closure(closed: ClaimClosedV1, language: str) -> ClaimLetter:
    lang, on = _lang(language), day(closed.closed_on)
    fact = {"nl": f"afgesloten op {on}", "fr": f"clôturé le {on}", "de": f"abgeschlossen am {on}"}
    why = _CLOSED_REASONS[lang].get(closed.reason)
    body = {
        "nl": f"Wij sloten uw dossier {closed.claim_number} af op {on}",
        "fr": f"Nous avons clôturé votre dossier {closed.claim_number} le {on}",
        "de": f"Wir haben Ihre Akte {closed.claim_number} am {on} abgeschlossen",
    }[lang] + (f"{' :' if lang == 'fr' else ':'} {why}." if why else ".")
    return ClaimLetter(
        "claim_closed", closed.claim_id, _title(lang, closed.claim_number, fact[lang]), body
    )
