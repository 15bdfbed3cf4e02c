"""The certificates app's views: the holder's pages and the public verification page
(`pages`), and the Open Badges credentials for people and machines (`credentials`)."""

from certificates.views.credentials import (
    credential_badge,
    credential_json,
    credential_jwt,
    issuer_profile,
    published_keys,
    status_list,
    verify_detail_json,
)
from certificates.views.pages import (
    certificate_download,
    certificate_name_request,
    certificate_renew,
    my_certificates,
    verify_detail,
    verify_form,
)

__all__ = [
    "certificate_download",
    "certificate_name_request",
    "certificate_renew",
    "credential_badge",
    "credential_json",
    "credential_jwt",
    "issuer_profile",
    "my_certificates",
    "published_keys",
    "status_list",
    "verify_detail",
    "verify_detail_json",
    "verify_form",
]
