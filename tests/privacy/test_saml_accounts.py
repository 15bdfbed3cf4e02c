"""A person who signed in through their organization's SAML identity provider (a real one
on 127.0.0.1, tests/saml.py): their copy of their data has that sign-in account and the
attributes the provider asserted; erasure leaves no trace of their name or address."""

import json

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount

from accounts.models import User
from privacy import erasure
from privacy.models import AccountClosure
from tests.organizations.test_sign_in_saml import provider, sign_in  # noqa: F401 (fixture)
from tests.privacy.test_erasure import traces
from tests.privacy.test_export import _files, _requested_copy

pytestmark = pytest.mark.django_db

NAME = "Zéphirine Saml-Ouellet"
EMAIL = "zephirine.saml@shelter.example.org"
MAIL_URI = "urn:oid:0.9.2342.19200300.100.1.3"


@pytest.fixture
def person(client, provider, saml_idp):  # noqa: F811 (the fixture imported above)
    saml_idp.user("nid-privacy", email=EMAIL, name=NAME)
    assert sign_in(client, saml_idp, EMAIL, name_id="nid-privacy").status_code == 302
    return User.objects.get(email=EMAIL)


def test_the_export_has_the_saml_sign_in_account_and_what_the_provider_asserted(person):
    files = _files(_requested_copy(person))
    (account,) = json.loads(files["sign_in_accounts.json"])["records"]
    assert (account["provider"], account["uid"]) == ("Shelter SAML", "nid-privacy")
    assert account["claims"][MAIL_URI] == [EMAIL]
    assert account["claims"]["urn:oid:2.16.840.1.113730.3.1.241"] == [NAME]


def test_erasure_leaves_no_trace_of_the_saml_sign_in(person):
    assert "socialaccount.SocialAccount.extra_data" in traces([NAME, EMAIL])  # it can fail
    closure = erasure.closure_request(user=person, certificates=AccountClosure.Certificates.REVOKE)
    erasure.account_erase(closure=closure)
    assert traces([NAME, EMAIL, "nid-privacy"]) == []
    assert not SocialAccount.objects.exists()
    assert not EmailAddress.objects.filter(user=person).exists()
