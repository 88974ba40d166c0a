"""The unique keys identity's store holds (value → owner id): member numbers, national
register numbers, usernames (case-insensitive, RG-3) and "one account per member"."""


def member_number_key(number: str) -> str:
    return f"member-number:{number.strip().upper()}"


def national_number_key(number: str) -> str:
    return f"national-number:{number}"


def username_key(username: str) -> str:
    return f"username:{username.strip().lower()}"


def member_account_key(member_id: str) -> str:
    return f"account-of:{member_id}"
