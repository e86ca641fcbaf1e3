"""identity's tables."""
from .tables import Account, Captcha, Enterprise, IdentityBase, LoginFailure

__all__ = ["Account", "Captcha", "Enterprise", "IdentityBase", "LoginFailure"]
