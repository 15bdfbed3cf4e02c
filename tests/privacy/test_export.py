import datetime
import io
import json
import zipfile

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.utils import timezone

from certificates.credentials import baking
from privacy import export
from privacy.models import DataExport, DataExportEvent
from tests.privacy.factories import intertwined_people
from xapi.models import LearnerAccount

pytestmark = pytest.mark.django_db


def _files(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _link_token(body: str) -> str:
    return body.split("/my-data/")[1].split("/")[0]


def _requested_copy(person) -> bytes:
    """Ask for the person's copy (the task runs at once in tests), follow the mailed link."""
    mail.outbox.clear()
    export.data_export_request(user=person)
    (message,) = [m for m in mail.outbox if "/my-data/" in m.body]
    return export.data_export_download(user=person, token=_link_token(message.body))


def test_export_has_every_kind_of_record_of_the_person():
    people = intertwined_people()
    files = _files(_requested_copy(people.alice))

    for kind in export.KINDS:
        document = json.loads(files[f"{kind.name}.json"])
        assert document["kind"] == kind.name
        assert document["records"], f"no {kind.name} in the export"
        # Every field a record has is labelled, in both languages.
        assert set(document["records"][0]) == set(document["labels"])
        assert all(set(label) == {"en", "fr"} for label in document["labels"].values())
    account = json.loads(files["account.json"])["records"][0]
    assert account["email"] == "alicia.zwartkop@example.org"
    assert account["full_name"] == "Alicia Z. Zwartkop"
    invitations = json.loads(files["invitations.json"])["records"]
    assert {i["organization"] for i in invitations} == {"Refuge du Nord", "Maison Beta"}
    (attempt,) = json.loads(files["quiz_attempts.json"])["records"]
    assert attempt["score"] == 100
    assert all(answer["chosen"] and answer["question"]["fr"] for answer in attempt["answers"])
    checks = json.loads(files["knowledge_checks.json"])["records"]
    assert [(c["phase"], c["score"]) for c in checks] == [("pre", 100), ("post", 100)]
    assert {checks[0]["form"], checks[1]["form"]} == {"A", "B"}
    assert all(a["question"]["fr"] and a["chosen"]["en"] for c in checks for a in c["answers"])
    (provider,) = json.loads(files["sign_in_accounts.json"])["records"]
    assert (provider["uid"], provider["claims"]) == ("alice-at-the-provider", {"name": "Alicia"})
    # Two-factor: its kinds and dates, never the app's secret nor a recovery code.
    two_factor = json.loads(files["two_factor.json"])["records"]
    assert [record["type"]["en"] for record in two_factor] == [
        "TOTP Authenticator",
        "Recovery codes",
    ]
    secret = Authenticator.objects.get(user=people.alice, type="totp").data["secret"]
    codes = Authenticator.objects.get(user=people.alice, type="recovery_codes").wrap()
    everything = b"".join(files.values()).decode("utf-8", "replace")
    assert secret not in everything
    assert not any(code in everything for code in codes.generate_codes())
    (certificate,) = json.loads(files["certificates.json"])["records"]
    assert certificate["verification_url"].replace("-", "").endswith(f"/{certificate['code']}/")
    assert files[certificate["files"]["pdf"]].startswith(b"%PDF")
    jwt = files[certificate["files"]["jwt"]].decode()
    assert baking.unbake(files[certificate["files"]["png"]]) == jwt
    names = json.loads(files["certificate_names.json"])["records"]
    assert [n["new_name"] for n in names] == ["Alicia Z. Zwartkop"]
    # What the organization's systems received: the event, the LMS's record, the xAPI name.
    (delivery,) = json.loads(files["webhook_deliveries.json"])["records"]
    assert (delivery["event"], delivery["organization"]) == ("course.completed", "Refuge du Nord")
    (lms,) = json.loads(files["lms_accounts.json"])["records"]
    assert (lms["lms"], lms["sub"]) == ("Moodle du Nord", f"moodle-{people.alice.pk}")
    (xapi,) = json.loads(files["xapi.json"])["records"]
    assert xapi["identifier"] == str(LearnerAccount.objects.get(user=people.alice).name)
    assert [s["verb"] for s in xapi["statements"]] == ["completed"]
    kinds = {event["kind"] for event in json.loads(files["audit_events.json"])["records"]}
    assert {"invitation_sent", "invitation_accepted", "account_renamed"} <= kinds


def test_export_holds_nothing_of_anyone_else():
    """Alice's copy names neither Bruno (same organization, same quiz, each invited the
    other) nor the supervisor who invited, assigned and reminded them both."""
    people = intertwined_people()
    files = _files(_requested_copy(people.alice))

    text = "\n".join(
        content.decode() for name, content in files.items() if name.endswith((".json", ".html"))
    ).casefold()
    for other in (people.bruno, people.supervisor):
        for word in (other.email, other.full_name, *other.full_name.split()):
            assert word.casefold() not in text
    # Bruno's account id appears nowhere as an id.
    documents = [json.loads(content) for name, content in files.items() if name.endswith(".json")]

    def ids(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "id" or key.endswith("_id"):
                    yield item
                yield from ids(item)
        elif isinstance(value, list):
            for item in value:
                yield from ids(item)

    found = {identifier for document in documents for identifier in ids(document["records"])}
    assert found == {people.alice.pk}
    # Only Alice's certificate files.
    codes = {name.split("/")[1].split(".")[0] for name in files if name.startswith("certificates/")}
    assert codes == {people.alice.certificates.get().code}


def test_summary_page_is_in_the_persons_language():
    people = intertwined_people()
    alice = _files(_requested_copy(people.alice))["summary.html"].decode()
    bruno = _files(_requested_copy(people.bruno))["summary.html"].decode()

    assert '<html lang="fr">' in alice
    assert "Invitation acceptée" in alice  # a code of the JSON files, in words
    assert "Tentatives aux questionnaires" in alice
    assert "Reconnaître l’exploitation" in alice
    assert '<html lang="en">' in bruno
    assert "Quiz attempts" in bruno
    assert "Recognising exploitation" in bruno


def test_link_is_mailed_in_the_persons_language_and_token_is_not_stored():
    people = intertwined_people()
    mail.outbox.clear()
    export.data_export_request(user=people.bruno)

    (message,) = mail.outbox
    assert message.to == [people.bruno.email]
    assert message.subject == "Your copy of your Repère data is ready"
    token = _link_token(message.body)
    row = DataExport.objects.get(user=people.bruno)
    assert row.state == DataExport.State.READY
    assert token not in row.token_hash
    assert row.token_hash == export.token_hash(token)


def test_link_works_once():
    people = intertwined_people()
    mail.outbox.clear()
    export.data_export_request(user=people.alice)
    token = _link_token(mail.outbox[0].body)

    assert export.data_export_download(user=people.alice, token=token).startswith(b"PK")
    with pytest.raises(export.ExportLinkError) as error:
        export.data_export_download(user=people.alice, token=token)
    assert error.value.message == export.LINK_USED
    row = DataExport.objects.get(user=people.alice)
    assert row.content is None  # the copy is not kept once downloaded
    assert list(row.events.order_by("pk").values_list("kind", flat=True)) == [
        "requested",
        "ready",
        "downloaded",
        "refused_used",
    ]


def test_link_opens_nothing_for_another_person_and_records_the_try():
    people = intertwined_people()
    mail.outbox.clear()
    export.data_export_request(user=people.alice)
    token = _link_token(mail.outbox[0].body)

    with pytest.raises(DataExport.DoesNotExist):
        export.data_export_download(user=people.bruno, token=token)
    assert DataExportEvent.objects.filter(kind="refused_other", actor=people.bruno).exists()
    # Alice still can.
    assert export.data_export_download(user=people.alice, token=token).startswith(b"PK")


def test_expired_link_says_so(settings):
    people = intertwined_people()
    mail.outbox.clear()
    export.data_export_request(user=people.alice)
    token = _link_token(mail.outbox[0].body)
    DataExport.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    with pytest.raises(export.ExportLinkError) as error:
        export.data_export_download(user=people.alice, token=token)
    assert error.value.message == export.LINK_EXPIRED


def test_link_lasts_the_configured_hours(settings):
    settings.REPERE_DATA_EXPORT_EXPIRY_HOURS = 2
    people = intertwined_people()
    export.data_export_request(user=people.alice)

    row = DataExport.objects.get(user=people.alice)
    assert row.expires_at - row.ready_at == datetime.timedelta(hours=2)


def test_one_request_pending_at_a_time(task_worker):
    """With the worker not yet run, a second request adds nothing."""
    people = intertwined_people()
    export.data_export_request(user=people.alice)
    with pytest.raises(export.ExportLinkError) as error:
        export.data_export_request(user=people.alice)
    assert error.value.message == export.ERROR_PENDING
    assert DataExport.objects.filter(user=people.alice).count() == 1


def test_a_new_copy_replaces_the_one_not_downloaded():
    people = intertwined_people()
    export.data_export_request(user=people.alice)
    export.data_export_request(user=people.alice)

    states = list(
        DataExport.objects.filter(user=people.alice).order_by("pk").values_list("state", "content")
    )
    assert [state for state, _ in states] == ["replaced", "ready"]
    assert states[0][1] is None


def test_only_a_few_copies_a_day():
    people = intertwined_people()
    for _ in range(export.REQUESTS_PER_DAY):
        export.data_export_request(user=people.bruno)
    with pytest.raises(export.ExportLinkError) as error:
        export.data_export_request(user=people.bruno)
    assert error.value.message == export.ERROR_TOO_MANY
    assert DataExport.objects.filter(user=people.bruno).count() == export.REQUESTS_PER_DAY
