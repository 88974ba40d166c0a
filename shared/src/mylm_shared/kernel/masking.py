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


EMAIL_STARS = "*****"  # always five: the length of the hidden part is not shown


def mask_email(address: str) -> str:
    """``titular@demo.lm.test`` → ``t*****r@demo.lm.test``: enough to recognise one's own
    address (identity's code screens, notify's notification log), not to learn it."""
    local, _, domain = address.rpartition("@")
    if not local:
        return f"{EMAIL_STARS}@{domain}"
    last = local[-1] if len(local) > 1 else ""
    return f"{local[0]}{EMAIL_STARS}{last}@{domain}"
