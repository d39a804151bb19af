"""Larger commands live here, one module each, exporting a click command named ``command``.

``disclose.cli`` registers every module of this package, so adding a command needs no
edit elsewhere.
"""
