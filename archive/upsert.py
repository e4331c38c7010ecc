"""
Idempotent writes keyed on a stable external identity.

Every importer writes through `upsert()`: an object is created when its key is new, updated in
place when a field differs, and left alone (not even saved) when nothing changed, so a second
run of any import reports 0 created and 0 updated. `upsert_many()` does the same for a batch of
rows in a few queries, for imports of many thousands of objects.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.db import models

from .report import ImportReport


def upsert(model: type[models.Model], *, lookup: dict, values: dict, report: ImportReport,
           kind: str, on_create: dict | None = None, m2m: dict | None = None) -> models.Model:
    """Create or update the one `model` row matching `lookup` so that it holds `values`.

    `on_create` fields are written only for a new row (e.g. `imported_at`, kept from the first
    import so that re-imports change nothing). `m2m` maps many-to-many fields to the exact
    objects they must hold.
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model._default_manager.create(**lookup, **values, **(on_create or {}))
        _set_many(obj, m2m or {})
        report.add(kind, "created")
        return obj
    changed = {name for name, value in values.items() if getattr(obj, name) != value}
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save()
    m2m_changed = _set_many(obj, m2m or {})
    report.add(kind, "updated" if changed or m2m_changed else "unchanged")
    return obj


def _set_many(obj, m2m):
    changed = False
    for field, related in m2m.items():
        manager = getattr(obj, field)
        if set(manager.values_list("pk", flat=True)) != {item.pk for item in related}:
            manager.set(related)
            changed = True
    return changed


def upsert_many(model: type[models.Model], *, rows: Mapping[str, dict], report: ImportReport,
                kind: str, key: str = "source_key", on_create: dict | None = None,
                m2m: Mapping[str, Mapping[str, Iterable[int]]] | None = None,
                batch_size: int = 500) -> dict[str, models.Model]:
    """upsert() for many rows at once: `rows` maps each row's `key` value to its values.

    The same outcomes as upsert(), in a handful of queries whatever the number of rows: one
    select of the rows that exist, one bulk insert of the new ones, one bulk update of those
    that changed, and per many-to-many field one select, one insert and (only when something
    was removed) one delete. Values name foreign keys by attname (`post_id`), so comparing them
    never loads the related rows. `m2m` maps a row's key to {field: the pks it must hold}.

    Returns {key value: saved object}. Bulk inserts send no signals: callers expire what
    depends on the rows themselves.
    """
    if not rows:
        return {}
    manager = model._default_manager
    fields = {name for values in rows.values() for name in values}
    existing = {}
    keys = list(rows)
    for start in range(0, len(keys), batch_size):
        chunk = manager.filter(**{f"{key}__in": keys[start:start + batch_size]}).only(key, *fields)
        existing.update((getattr(obj, key), obj) for obj in chunk)

    new, changed, changed_fields, unchanged = [], [], set(), []
    for value, values in rows.items():
        obj = existing.get(value)
        if obj is None:
            new.append(model(**{key: value}, **values, **(on_create or {})))
            continue
        differs = {name for name, field_value in values.items() if getattr(obj, name) != field_value}
        for name in differs:
            setattr(obj, name, values[name])
        (changed if differs else unchanged).append(obj)
        changed_fields |= differs
    manager.bulk_create(new, batch_size=batch_size)
    if changed:
        manager.bulk_update(changed, sorted(changed_fields), batch_size=batch_size)

    saved = {getattr(obj, key): obj for obj in [*new, *changed, *unchanged]}
    m2m_changed = _set_many_in_bulk(model, saved, m2m or {}, batch_size=batch_size)
    report.add(kind, "created", len(new))
    report.add(kind, "updated", len(changed) + sum(1 for obj in unchanged if obj.pk in m2m_changed))
    report.add(kind, "unchanged", sum(1 for obj in unchanged if obj.pk not in m2m_changed))
    return saved


def _set_many_in_bulk(model, saved: dict, m2m: Mapping[str, Mapping[str, Iterable[int]]], *,
                      batch_size: int) -> set[int]:
    """Make each saved object's many-to-many fields hold exactly the pks in `m2m`; return the
    pks of the objects whose relations changed."""
    wanted_by_field = defaultdict(dict)
    for value, fields in m2m.items():
        for name, pks in fields.items():
            wanted_by_field[name][saved[value].pk] = set(pks)
    changed = set()
    for name, wanted in wanted_by_field.items():
        field = model._meta.get_field(name)
        through = field.remote_field.through
        owner, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        have = defaultdict(set)
        owners = list(wanted)
        for start in range(0, len(owners), batch_size):
            pairs = through._default_manager.filter(**{f"{owner}__in": owners[start:start + batch_size]})
            for owner_pk, target_pk in pairs.values_list(owner, target):
                have[owner_pk].add(target_pk)
        added = [through(**{owner: pk, target: target_pk})
                 for pk, pks in wanted.items() for target_pk in pks - have[pk]]
        through._default_manager.bulk_create(added, batch_size=batch_size)
        for pk, pks in wanted.items():
            if removed := have[pk] - pks:
                through._default_manager.filter(**{owner: pk, f"{target}__in": removed}).delete()
            if pks != have[pk]:
                changed.add(pk)
    return changed
