from mylm_shared.runner import serve
from mylm_shared.settings import load_settings

from billing.bootstrap import create_app
from billing.settings import BillingSettings


def main() -> None:
    settings = load_settings(BillingSettings)
    serve(create_app(settings), settings)


if __name__ == "__main__":
    main()
