from mylm_shared.runner import serve
from mylm_shared.settings import load_settings

from policy.bootstrap import create_app
from policy.settings import PolicySettings


def main() -> None:
    settings = load_settings(PolicySettings)
    serve(create_app(settings), settings)


if __name__ == "__main__":
    main()
