"""Pages register themselves with the app when imported."""

from bilan_app.pages import account, admin, auth, homes, platform, public

__all__ = ["account", "admin", "auth", "homes", "platform", "public"]
