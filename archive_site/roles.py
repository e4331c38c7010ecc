"""Groups with exactly the permissions a role needs, for the data migrations that create them."""

from django.contrib.auth.management import create_permissions


def grant_group(apps, *, name: str, app_label: str, codenames: list[str]) -> None:
    # Permissions are normally created after all migrations; the group needs them now.
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )


def remove_group(apps, *, name: str) -> None:
    apps.get_model("auth", "Group").objects.filter(name=name).delete()
