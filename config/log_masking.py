"""Nothing personal in server logs (issue 20).

`PersonalDataFilter` is on every handler (LOGGING in config/settings.py). It rewrites each
record's message once, with its arguments merged in, so that no formatter can put them back:

- e-mail addresses become `***@domain` (the domain helps to read a mail-server error and
  names nobody);
- the name of the signed-in person (django.request records carry the request) and of any
  account passed as an argument become `user #<id>`;
- the secret part of the links that open something (password reset and set-password links,
  data-export links, and any `token=` in a query string) becomes `***`: Django's
  "Not Found: /fr/accounts/reset/<uid>/<token>/" warning would otherwise keep a working link.

It masks what it can recognise, not every name a person typed: code that logs should log
ids, as accounts.tasks does; this is the net under that rule.
"""

import logging
import re

from django.utils.functional import empty

MASK = "***"
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
# /accounts/reset/<uidb64>/<token>/ and /privacy/my-data/<token>/.
TOKEN_PATHS = (
    re.compile(r"(/reset/)[^/\s?#\"']+/[^/\s?#\"']+"),
    re.compile(r"(/my-data/)(?!request/)[^/\s?#\"']+"),
    re.compile(r"([?&](?:token|key|code)=)[^&\s#\"']+"),
)


def mask(text: str, names: tuple[tuple[str, str], ...] = ()) -> str:
    """`text` with its e-mail addresses, the given (name, replacement) pairs and the tokens
    of links masked."""
    for name, replacement in names:
        if name and len(name) > 1:
            text = re.sub(re.escape(name), replacement, text, flags=re.IGNORECASE)
    text = EMAIL.sub(lambda match: f"{MASK}@{match.group(1)}", text)
    for pattern in TOKEN_PATHS:
        text = pattern.sub(lambda match: match.group(1) + MASK, text)
    return text


def _account_names(record: logging.LogRecord) -> tuple[tuple[str, str], ...]:
    """The names of the accounts a record knows about: the request's person and any account
    among its arguments. Read from what is already loaded: a filter makes no query."""
    accounts = []
    request = getattr(record, "request", None)
    user = getattr(request, "__dict__", {}).get("user") if request is not None else None
    # AuthenticationMiddleware's lazy user, only if the request already loaded it.
    user = getattr(user, "_wrapped", user)
    if user is not None and user is not empty and getattr(user, "is_authenticated", False):
        accounts.append(user)
    args = record.args if isinstance(record.args, tuple) else (record.args,)
    accounts.extend(arg for arg in args if hasattr(arg, "full_name") and hasattr(arg, "pk"))
    names = []
    for account in accounts:
        name = getattr(account, "full_name", "")
        if isinstance(name, str) and name.strip():
            names.append((name.strip(), f"user #{account.pk}"))
    return tuple(names)


class PersonalDataFilter(logging.Filter):
    """Masks personal data in every record; never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler to report
            return True
        record.msg = mask(message, _account_names(record))
        record.args = None
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        return True
