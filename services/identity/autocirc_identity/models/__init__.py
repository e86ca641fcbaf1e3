"""identity's tables."""
from .api_keys import ApiKey
from .tables import Account, Captcha, Enterprise, IdentityBase, LoginFailure, PasswordResetCode, audit_feed

__all__ = ["Account", "ApiKey", "Captcha", "Enterprise", "IdentityBase", "LoginFailure", "PasswordResetCode",
           "audit_feed"]
