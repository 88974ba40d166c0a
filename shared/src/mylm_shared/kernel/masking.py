"""What a member is shown of an account number: enough to recognise their own, never
enough to use it (issue 15 item 7, issue 17 item 4: one mask for inbox letters and
e-mails alike).

Events carry only the last four characters of an IBAN (``iban_last4``), never the whole
account; a letter or an e-mail shows them behind a fixed mask, so the length of the
hidden part is not shown either. Pure: no I/O, no framework.
"""

IBAN_MASK = "**** **** ****"


def masked_iban(last4: str) -> str:
    """``"4321"`` → ``"**** **** **** 4321"``."""
    return f"{IBAN_MASK} {last4}"
