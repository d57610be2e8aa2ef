"""Stand-in for ``google.colab.output``: records calls instead of changing Colab's front end."""
calls: list[str] = []


def enable_custom_widget_manager() -> None:
    """On Colab this lets third-party (ipywidgets 7) widgets render; here it is recorded."""
    calls.append("enable_custom_widget_manager")


def disable_custom_widget_manager() -> None:
    calls.append("disable_custom_widget_manager")
