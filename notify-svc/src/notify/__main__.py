from mylm_shared.runner import serve
from mylm_shared.settings import load_settings

from notify.bootstrap import create_app
from notify.settings import NotifySettings


def main() -> None:
    settings = load_settings(NotifySettings)
    serve(create_app(settings), settings)


if __name__ == "__main__":
    main()
