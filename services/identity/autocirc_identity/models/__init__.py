"""identity's tables."""
from .tables import Account, Captcha, Enterprise, IdentityBase, LoginFailure, PasswordResetCode

__all__ = ["Account", "Captcha", "Enterprise", "IdentityBase", "LoginFailure", "PasswordResetCode"]
