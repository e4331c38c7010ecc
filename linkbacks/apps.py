from django.apps import AppConfig


class LinkbacksConfig(AppConfig):
    name = "linkbacks"
    verbose_name = "Linkbacks"

    def ready(self):
        from . import signals

        signals.connect()
