"""identity's tables."""
from .tables import Account, Captcha, Enterprise, IdentityBase, LoginFailure, audit_feed

__all__ = ["Account", "Captcha", "Enterprise", "IdentityBase", "LoginFailure", "audit_feed"]
