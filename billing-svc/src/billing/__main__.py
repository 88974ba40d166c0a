from mylm_shared.runner import serve

from billing.bootstrap import create_app
from billing.settings import BillingSettings


def main() -> None:
    settings = BillingSettings()
    serve(create_app(settings), settings)


if __name__ == "__main__":
    main()
