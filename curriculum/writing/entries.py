"""Writing one row of the file, and finding a parent's rows again by their ids."""

from courses.entries import digest, normal
from curriculum.report import CurriculumError


def entry_sync(instance, values, *, structure, label, force, report, keys=None) -> None:
    """Write the file's `values` unless an administrator edited them; `structure` always.

    One rule for every row the file writes (`courses.entries.Fingerprinted`): `values` gives
    the model's `curriculum_fields`, `structure` where the row sits (its parent, position).
    `keys` gives, for a field that refers to another entry (`fingerprint_keys`), that entry's
    key, which the fingerprint hashes in place of its row id.
    """
    fields = type(instance).curriculum_fields
    keys = keys or {}
    wanted = digest((name, keys.get(name, values[name])) for name in fields)
    if instance.pk is None:
        for name, value in {**values, **structure}.items():
            setattr(instance, name, value)
        instance.curriculum_fingerprint = wanted
        instance.save()
        report.created(label)
        return
    current = instance.content_fingerprint()
    changed = [name for name, value in structure.items() if getattr(instance, name) != value]
    if current == wanted:
        action = "updated" if changed else "unchanged"
    elif current == instance.curriculum_fingerprint or force:
        action = "updated"
        changed += [name for name in fields if normal(getattr(instance, name)) != values[name]]
        for name in fields:
            setattr(instance, name, values[name])
    else:
        action = "kept"
    for name, value in structure.items():
        setattr(instance, name, value)
    if action != "kept" and instance.curriculum_fingerprint != wanted:
        # Also when the content already matches (an edit undone): follow the file again.
        instance.curriculum_fingerprint = wanted
        changed.append("curriculum_fingerprint")
    if changed:
        instance.save(update_fields=sorted(set(changed)))
    getattr(report, action)(label)


def by_key(rows, kind: str, *, path: str, within: str):
    """`({key: row}, count of rows without a key)`: rows added in the admin have no key."""
    found, unkeyed = {}, 0
    for row in rows:
        if not row.key:
            unkeyed += 1
        elif row.key in found:
            raise CurriculumError(
                path,
                f"{kind} {row.key}",
                f"two {kind}s of this {within} in the database have this id: "
                "change one of them in the admin, then load again",
            )
        else:
            found[row.key] = row
    return found, unkeyed
