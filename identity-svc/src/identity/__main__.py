from mylm_shared.runner import serve
from mylm_shared.settings import load_settings

from identity.bootstrap import create_app
from identity.settings import IdentitySettings


def main() -> None:
    settings = load_settings(IdentitySettings)
    serve(create_app(settings), settings)


if __name__ == "__main__":
    main()
