from mylm_shared.runner import serve
from mylm_shared.settings import load_settings

from claims.bootstrap import create_app
from claims.settings import ClaimsSettings


def main() -> None:
    settings = load_settings(ClaimsSettings)
    serve(create_app(settings), settings)


if __name__ == "__main__":
    main()
