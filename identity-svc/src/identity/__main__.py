from mylm_shared.runner import serve

from identity.bootstrap import create_app
from identity.settings import IdentitySettings


def main() -> None:
    settings = IdentitySettings()
    serve(create_app(settings), settings)


if __name__ == "__main__":
    main()
