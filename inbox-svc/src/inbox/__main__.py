from mylm_shared.runner import serve
from mylm_shared.settings import load_settings

from inbox.bootstrap import create_app
from inbox.settings import InboxSettings


def main() -> None:
    settings = load_settings(InboxSettings)
    serve(create_app(settings), settings)


if __name__ == "__main__":
    main()
