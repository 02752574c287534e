from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo bureau (`loaddemo`): it sits above governance and minutes and nothing imports it."""

    name = "demo"
    verbose_name = "演示数据"
