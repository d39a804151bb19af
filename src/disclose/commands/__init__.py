"""Larger commands live here, one module each, exporting a click command named ``command``.

``disclose.cli`` registers every module of this package, so adding a command needs no
edit elsewhere. Every command, here and in ``cli``, is declared with ``COMMAND``.
"""

from disclose import click_zh

click_zh.install()  # before any command is declared: click translates some texts then

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
COMMAND = {"context_settings": CONTEXT, "options_metavar": "[选项]"}
