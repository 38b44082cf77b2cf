"""Local development: DEBUG on, SQLite by default, a throwaway secret key."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-insecure-key-only-for-local-runs"  # noqa: F405
VAR_DIR.mkdir(exist_ok=True)
